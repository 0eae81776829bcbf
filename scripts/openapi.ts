// `npm run openapi`: writes docs/openapi.json, the document Rollcall serves at /openapi.json.
// test/openapi.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../src/cli/openapi.js';

const PATH = 'docs/openapi.json';
const options = { ...(await resolveConfig(PATH)), filepath: PATH };
writeFileSync(PATH, await format(JSON.stringify(await openApiDocument()), options));
console.log(`Wrote ${PATH}`);
