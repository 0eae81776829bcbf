import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { exportDatabase } from '../src/cli/export.js';
import { generateDirectoryFile } from '../src/cli/generate.js';
import { importDirectoryFile } from '../src/cli/import.js';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { DirectoryFileError, parseDirectoryFile } from '../src/directory/parse-directory.js';
import { openStore } from '../src/store/open-store.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from './helpers/test-database.js';

// `rollcall import` into PostgreSQL (the store's batched importDirectory): the rows are exactly those
// replaceDirectory writes, the indexes are back, and a failed import leaves the directory as it was.

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'bin', 'rollcall.js');
const NOW = Date.parse('2026-01-15T12:00:00.000Z');
// Small batches (and more people than one INSERT takes) so that rows cross batches and chunks.
const OPTIONS = { people: 2500, orgs: 3, seed: 11, tokens: 120 };
const BATCH = 700;

let dir: string;
let file: string;
let text: string;
let directory: DirectoryFile;
const databases: TestDatabase[] = [];

async function database(): Promise<string> {
  const db = await createTestDatabase();
  databases.push(db);
  return db.url;
}

async function seeded(source: string): Promise<string> {
  const url = await database();
  const store = openStore(url);
  try {
    await store.replaceDirectory(parseDirectoryFile(source, NOW), NOW);
  } finally {
    await store.close();
  }
  return url;
}

/** Every table as rows, in the order the store reads them (`position` itself left out). */
async function tables(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const all = async (sql: string): Promise<Record<string, unknown>[]> =>
      (await client.query<Record<string, unknown>>(sql)).rows;
    return {
      orgs: await all('SELECT id, display_name FROM orgs ORDER BY position'),
      org_manages: await all('SELECT * FROM org_manages ORDER BY manager_id, managed_id'),
      // Every column but `position`, whose values depend on the sequence (its order is compared).
      people: (await all('SELECT * FROM people ORDER BY position')).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'position')),
      ),
      person_emails: await all('SELECT * FROM person_emails ORDER BY email_lower'),
      tokens: await all('SELECT * FROM tokens ORDER BY hash'),
      indexes: await all(
        `SELECT indexname, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') AS def FROM pg_indexes
         WHERE schemaname = current_schema() ORDER BY indexname`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe('rollcall import into PostgreSQL', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only' }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollcall-pg-import-'));
    file = join(dir, 'directory.json');
    await generateDirectoryFile(OPTIONS, file);
    text = readFileSync(file, 'utf8');
    directory = JSON.parse(text) as DirectoryFile;
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(databases.map((db) => db.drop()));
  });

  test('writes exactly the rows replaceDirectory writes, indexes included', async () => {
    const url = await database();
    const summary = await importDirectoryFile({ db: url, file, now: NOW, batchSize: BATCH });
    assert.deepEqual({ ...summary, ms: 0 }, { orgs: 3, people: 2500, tokens: 120, ms: 0 });
    const imported = await tables(url);
    const expected = await tables(await seeded(text));
    assert.equal(imported.people?.length, 2500);
    assert.ok((imported.indexes?.length ?? 0) >= 4, 'the secondary indexes are there');
    assert.deepEqual(imported, expected);
  });

  test('replaces a directory that is already there', async () => {
    const url = await seeded(text);
    const small = join(dir, 'small.json');
    await generateDirectoryFile({ people: 50, orgs: 1, seed: 3, tokens: 2 }, small);
    await importDirectoryFile({ db: url, file: small, now: NOW, batchSize: BATCH });
    assert.deepEqual(await tables(url), await tables(await seeded(readFileSync(small, 'utf8'))));
  });

  const person = (i: number) => directory.people[i] as DirectoryFile['people'][number];
  const withPerson = (i: number, entry: DirectoryFile['people'][number]): DirectoryFile => ({
    ...directory,
    people: directory.people.map((p, j) => (j === i ? entry : p)),
  });
  const badFiles: [name: string, make: () => DirectoryFile][] = [
    ['a schema error in a late batch', () => withPerson(2400, { ...person(2400), emails: [] })],
    [
      'an email taken in an earlier batch',
      () => withPerson(2300, { ...person(2300), emails: person(10).emails }),
    ],
    ['a person ID of an earlier batch', () => withPerson(2499, { ...person(2499), id: person(3).id })],
  ];
  for (const [name, make] of badFiles) {
    test(`a file with ${name} is rejected and changes nothing`, async () => {
      const url = await seeded(text);
      const before = await tables(url);
      const bad = join(dir, 'bad.json');
      const badText = JSON.stringify(make());
      writeFileSync(bad, badText);
      let expected: string | undefined;
      try {
        parseDirectoryFile(badText, NOW);
      } catch (error) {
        expected = (error as Error).message;
      }
      await assert.rejects(
        importDirectoryFile({ db: url, file: bad, now: NOW, batchSize: BATCH }),
        (error) => {
          // A duplicate across batches is caught by a unique key; the message names the entry all the same.
          assert.ok(error instanceof DirectoryFileError, String(error));
          assert.equal(error.message, expected);
          return true;
        },
      );
      assert.deepEqual(await tables(url), before);
    });
  }

  test('rollcall import <file> --db postgres://…', async () => {
    const url = await database();
    const { stdout } = await run(process.execPath, [CLI, 'import', file, '--db', url]);
    assert.match(stdout, /^Imported 3 orgs, 2,500 people and 120 tokens from .* in \d+\.\d s\n$/);
    assert.equal(await exportDatabase(url), await exportDatabase(await seeded(text)));
  });
});
