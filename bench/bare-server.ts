// The reference for the benchmarks: a plain Fastify app that answers with fixed bodies, serialized
// through the same response schemas as Rollcall's. No auth, no store, no hooks: what Fastify itself
// costs for responses of those sizes.
//   - `GET /v1/people/:personId` answers the person of <person.json> (`npm run bench`);
//   - `GET /v1/people` answers the list page of <page.json>, when given (`npm run bench:scale`).
//
//   node --import tsx bench/bare-server.ts <person.json> [<page.json>]
//
// Prints `Bare server listening on http://127.0.0.1:PORT` once it accepts connections.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Static } from '@sinclair/typebox';
import Fastify from 'fastify';
import { PersonCollection, PersonRef, PersonSchema, type Person } from '../src/schemas/person.js';

const [personFile, pageFile] = process.argv.slice(2);
if (personFile === undefined) {
  console.error('usage: bare-server.ts <person.json> [<page.json>]');
  process.exit(2);
}
const person = JSON.parse(readFileSync(personFile, 'utf8')) as Person;

const app = Fastify({ logger: false });
app.addSchema(PersonSchema);
app.get(
  '/v1/people/:personId',
  { schema: { response: { 200: PersonRef } } },
  async (): Promise<Person> => person,
);
if (pageFile !== undefined) {
  const page = JSON.parse(readFileSync(pageFile, 'utf8')) as Static<typeof PersonCollection>;
  app.get(
    '/v1/people',
    { schema: { response: { 200: PersonCollection } } },
    async (): Promise<Static<typeof PersonCollection>> => page,
  );
}

await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`Bare server listening on http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);

const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
