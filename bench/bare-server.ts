// The references for the benchmarks: a plain Fastify app serialized through the same response schemas
// as Rollcall's, with no auth and no hooks.
//   - `GET /v1/people/:personId` answers the person of <person.json> (`npm run bench`), or, with
//     `--sqlite <file>`, reads that person from Rollcall's database: one SELECT per request, turned into
//     the person's own view by Rollcall's row mapping and view function (the "plain SQLite lookup" of
//     `npm run bench`);
//   - `GET /v1/people` answers the list page of <page.json>, when given (`npm run bench:scale`).
//
//   node --import tsx bench/bare-server.ts (<person.json> [<page.json>] | --sqlite <database file>)
//
// Prints `Bare server listening on http://127.0.0.1:PORT` once it accepts connections.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Static } from '@sinclair/typebox';
import Database from 'better-sqlite3';
import Fastify, { type FastifyReply } from 'fastify';
import { makeCaller } from '../src/domain/caller.js';
import { decodeHydraId } from '../src/domain/ids.js';
import { viewPerson } from '../src/domain/person-view.js';
import { PersonCollection, PersonRef, PersonSchema, type Person } from '../src/schemas/person.js';
import { fromPersonRow, type PersonRow } from '../src/store/person-row.js';

const { values, positionals } = parseArgs({
  options: { sqlite: { type: 'string' } },
  allowPositionals: true,
});
const [personFile, pageFile] = positionals;
if ((personFile === undefined) === (values.sqlite === undefined)) {
  console.error('usage: bare-server.ts (<person.json> [<page.json>] | --sqlite <database file>)');
  process.exit(2);
}

const app = Fastify({ logger: false });
app.addSchema(PersonSchema);
const personRoute = { schema: { response: { 200: PersonRef } } };
if (values.sqlite !== undefined) {
  const db = new Database(values.sqlite, { readonly: true });
  const selectPerson = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE id = ?');
  app.get<{ Params: { personId: string } }>(
    '/v1/people/:personId',
    personRoute,
    async (request, reply): Promise<Person | FastifyReply> => {
      const decoded = decodeHydraId(request.params.personId);
      const row = decoded && selectPerson.get(decoded.id);
      if (!row) return reply.code(404).send();
      const person = fromPersonRow(row);
      return viewPerson(person, makeCaller(person, []), {
        callingData: false,
        presence: false,
        listById: false,
        flagsAsBooleans: false,
        now: Date.now(),
        rememberFormatting: false,
      });
    },
  );
} else if (personFile !== undefined) {
  const person = JSON.parse(readFileSync(personFile, 'utf8')) as Person;
  app.get('/v1/people/:personId', personRoute, async (): Promise<Person> => person);
}
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
