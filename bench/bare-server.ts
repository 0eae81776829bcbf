// The reference for the benchmark: a plain Fastify app whose one route answers every
// `GET /v1/people/:personId` with the same Person, serialized through the same response schema as
// Rollcall's. No auth, no store, no hooks: what Fastify itself costs for a response of that size.
//
//   node --import tsx bench/bare-server.ts <person.json>
//
// Prints `Bare server listening on http://127.0.0.1:PORT` once it accepts connections.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { PersonRef, PersonSchema, type Person } from '../src/schemas/person.js';

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: bare-server.ts <person.json>');
  process.exit(2);
}
const person = JSON.parse(readFileSync(file, 'utf8')) as Person;

const app = Fastify({ logger: false });
app.addSchema(PersonSchema);
app.get(
  '/v1/people/:personId',
  { schema: { response: { 200: PersonRef } } },
  async (): Promise<Person> => person,
);

await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`Bare server listening on http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);

const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
