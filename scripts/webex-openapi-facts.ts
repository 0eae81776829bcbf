// Run by hand, once per new version of Cisco's People schema; nothing runs it at build, test or run time:
//   node --import tsx scripts/webex-openapi-facts.ts ../shared/reference/webex-people-openapi.json \
//     > test/fixtures/webex-people-openapi-facts.json && npx prettier --write test/fixtures
// It keeps only the facts (no prose) that test/openapi.test.ts compares Rollcall's document against.
import { readFileSync } from 'node:fs';
import { openApiFacts } from '../test/helpers/openapi-facts.js';

const [path] = process.argv.slice(2);
if (path === undefined) {
  console.error('usage: webex-openapi-facts.ts <webex-people-openapi.json>');
  process.exit(2);
}
const document = JSON.parse(readFileSync(path, 'utf8')) as { info?: { description?: string } };
const source =
  'Cisco\u2019s official Webex People OpenAPI schema (webex-people-openapi.json: ' +
  `${document.info?.description?.match(/\(([^)]*commit[^)]*)\)/)?.[1] ?? 'unknown version'})`;
console.log(JSON.stringify(openApiFacts(document, '', source), null, 2));
