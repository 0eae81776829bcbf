import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { exportDatabase } from '../src/cli/export.js';
import { generateDirectoryFile } from '../src/cli/generate.js';
import { importDirectoryFile } from '../src/cli/import.js';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { DirectoryFileError, parseDirectoryFile } from '../src/directory/parse-directory.js';
import { readDirectoryEntries } from '../src/directory/read-directory-stream.js';
import { hashToken } from '../src/domain/tokens.js';
import { openStore } from '../src/store/open-store.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'bin', 'rollcall.js');
const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const OPTIONS = { people: 2000, orgs: 3, seed: 7, tokens: 100 };
// Small batches, so that a file of 2,000 people is written in several and errors cross batches.
const BATCH = 300;

let dir: string;
let file: string;
let text: string;
let directory: DirectoryFile;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollcall-import-'));
  file = join(dir, 'directory.json');
  await generateDirectoryFile(OPTIONS, file);
  text = readFileSync(file, 'utf8');
  directory = JSON.parse(text) as DirectoryFile;
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function seeded(name: string, source: string): Promise<string> {
  const db = join(dir, name);
  const store = openStore(db);
  try {
    await store.replaceDirectory(parseDirectoryFile(source, NOW), NOW);
  } finally {
    await store.close();
  }
  return db;
}

describe('rollcall generate', () => {
  test('writes the directory asked for: orgs, people, tokens, unique emails', () => {
    assert.equal(directory.orgs.length, 3);
    assert.deepEqual(directory.orgs[1]?.manages, [directory.orgs[0]?.id]);
    assert.equal(directory.people.length, 2000);
    const holders = directory.people.filter((p) => p.tokens !== undefined);
    assert.equal(holders.length, 100);
    assert.ok(holders.filter((p) => p.roles !== undefined).length >= 20);
    for (const org of directory.orgs) {
      assert.ok(
        holders.some((p) => p.orgId === org.id && p.roles !== undefined),
        `an admin in ${org.id}`,
      );
    }
    const emails = directory.people.flatMap((p) => p.emails.map((e) => e.toLowerCase()));
    assert.equal(new Set(emails).size, emails.length);
    // Names repeat as in a real directory, but not too much.
    const names = new Set(directory.people.map((p) => p.displayName));
    assert.ok(names.size > 1500, `${names.size} distinct names`);
  });

  test('is deterministic for a seed, and the seed matters', async () => {
    const again = join(dir, 'again.json');
    await generateDirectoryFile(OPTIONS, again);
    assert.equal(readFileSync(again, 'utf8'), text);
    await generateDirectoryFile({ ...OPTIONS, seed: 8 }, again);
    assert.notEqual(readFileSync(again, 'utf8'), text);
  });

  test('is a file that --seed accepts as it is', () => {
    const parsed = parseDirectoryFile(text, NOW);
    assert.equal(parsed.people.length, 2000);
    assert.equal(parsed.tokens.length, 100);
  });
});

describe('rollcall import', () => {
  test('imports what --seed would load: export equals', async () => {
    const imported = join(dir, 'imported.db');
    const summary = await importDirectoryFile({ db: imported, file, now: NOW, batchSize: BATCH });
    assert.deepEqual({ ...summary, ms: 0 }, { orgs: 3, people: 2000, tokens: 100, ms: 0 });
    const exported = await exportDatabase(imported);
    assert.equal(exported, await exportDatabase(await seeded('seeded.db', text)));
    assert.equal((JSON.parse(exported) as DirectoryFile).people.length, 2000);
    // The same without the worker thread.
    const inThread = join(dir, 'in-thread.db');
    await importDirectoryFile({ db: inThread, file, now: NOW, batchSize: BATCH, thread: false });
    assert.equal(await exportDatabase(inThread), exported);

    const store = openStore(imported);
    try {
      const holder = directory.people.find((p) => p.tokens !== undefined);
      const token = holder?.tokens?.[0] as string;
      assert.equal((await store.findToken(hashToken(token)))?.personId, holder?.id);
      assert.equal(await store.getMeta('demo'), '0');
    } finally {
      await store.close();
    }
  });

  test('reads entries across chunk boundaries, pretty-printed or not', () => {
    const pretty = join(dir, 'pretty.json');
    writeFileSync(pretty, JSON.stringify(directory, null, 2));
    const read = [...readDirectoryEntries(pretty, 'people', { chunkBytes: 97 })];
    assert.deepEqual(read, directory.people);
    assert.deepEqual([...readDirectoryEntries(file, 'orgs', { chunkBytes: 13 })], directory.orgs);
  });

  test('reads strings with escaped quotes, backslashes and brackets, at every chunk size', () => {
    const tricky = join(dir, 'tricky.json');
    const names = [
      'a "quoted" name',
      'ends in a backslash \\',
      '\\"',
      '\\\\',
      '} ] { [ , :',
      'Zoë 😀 \u0001',
    ];
    const people = names.map((displayName, i) => ({
      orgId: directory.orgs[0]?.id,
      emails: [`tricky${i}@example.test`],
      displayName,
      title: `${displayName}\\`,
    }));
    writeFileSync(tricky, JSON.stringify({ orgs: directory.orgs, people }));
    for (const chunkBytes of [1, 2, 3, 5, 8, 13, 64]) {
      assert.deepEqual([...readDirectoryEntries(tricky, 'people', { chunkBytes })], people, `${chunkBytes}`);
    }
  });

  // Value samples (sqlite_stat4) would make SQLite parse and plan each list query again on every run.
  test('leaves planner statistics without value samples', async () => {
    const imported = join(dir, 'statistics.db');
    await importDirectoryFile({ db: imported, file, now: NOW, batchSize: BATCH });
    const db = new Database(imported, { readonly: true });
    try {
      const averages = db.prepare("SELECT idx FROM sqlite_stat1 WHERE tbl = 'people' ORDER BY idx").pluck();
      assert.deepEqual(averages.all(), ['people_name', 'people_org_name', 'sqlite_autoindex_people_1']);
      assert.equal(db.prepare('SELECT COUNT(*) FROM sqlite_stat4').pluck().get(), 0);
    } finally {
      db.close();
    }
  });

  test('replaces a directory that is already there', async () => {
    const db = await seeded('replaced.db', text);
    const small = join(dir, 'small.json');
    await generateDirectoryFile({ people: 50, orgs: 1, seed: 3, tokens: 2 }, small);
    await importDirectoryFile({ db, file: small, now: NOW, batchSize: BATCH });
    assert.equal(
      await exportDatabase(db),
      await exportDatabase(await seeded('small.db', readFileSync(small, 'utf8'))),
    );
  });

  // Each bad file: the message --seed gives, and the database as it was.
  const person = (i: number) => directory.people[i] as DirectoryFile['people'][number];
  const badFiles: [name: string, make: () => DirectoryFile][] = [
    ['a schema error in a late batch', () => withPerson(1500, { ...person(1500), emails: [] })],
    [
      'an email taken in an earlier batch',
      () => withPerson(1700, { ...person(1700), emails: person(10).emails }),
    ],
    ['a person ID of an earlier batch', () => withPerson(1999, { ...person(1999), id: person(3).id })],
    [
      'a token of an earlier batch',
      () => {
        const holders = directory.people.flatMap((p, i) => (p.tokens ? [i] : []));
        const [first, last] = [holders[0] as number, holders.at(-1) as number];
        return withPerson(last, { ...person(last), tokens: person(first).tokens });
      },
    ],
    [
      'an unknown org',
      () => withPerson(1200, { ...person(1200), orgId: '00000000-0000-4000-8000-000000000000' }),
    ],
    ['an unknown member', () => ({ ...directory, extra: true }) as DirectoryFile],
    ['no orgs', () => ({ people: directory.people }) as DirectoryFile],
  ];

  for (const [name, make] of badFiles) {
    test(`rejects ${name} with the message of --seed and changes nothing`, async () => {
      const db = await seeded(`bad-${name.replace(/\W+/g, '-')}.db`, text);
      const before = await exportDatabase(db);
      const bad = join(dir, 'bad.json');
      const badText = JSON.stringify(make());
      writeFileSync(bad, badText);
      const expected = captureError(() => parseDirectoryFile(badText, NOW));
      await assert.rejects(importDirectoryFile({ db, file: bad, now: NOW, batchSize: BATCH }), (error) => {
        assert.ok(error instanceof DirectoryFileError);
        assert.equal(error.message, expected);
        return true;
      });
      assert.equal(await exportDatabase(db), before);
      const store = openStore(db);
      try {
        const token = directory.people.find((p) => p.tokens)?.tokens?.[0] as string;
        assert.ok(await store.findToken(hashToken(token)), 'tokens are kept');
      } finally {
        await store.close();
      }
    });
  }

  test('rejects a file that is not JSON, or cut short, and changes nothing', async () => {
    const db = await seeded('broken.db', text);
    const before = await exportDatabase(db);
    const bad = join(dir, 'broken.json');
    for (const broken of [
      text.slice(0, Math.floor(text.length * 0.8)),
      text.replace('},\n{', '},,\n{'),
      '',
      '[]',
    ]) {
      writeFileSync(bad, broken);
      await assert.rejects(
        importDirectoryFile({ db, file: bad, now: NOW, batchSize: BATCH }),
        (error) =>
          error instanceof DirectoryFileError &&
          /^(Directory file is not valid JSON: |directory file: Expected object)/.test(error.message),
      );
    }
    assert.equal(await exportDatabase(db), before);
  });
});

describe('the CLI', () => {
  test('rollcall generate | rollcall import, and a bad file exits 1', async () => {
    const out = join(dir, 'cli.json');
    const db = join(dir, 'cli.db');
    await run(process.execPath, [CLI, 'generate', '--people', '500', '--seed', '5', '--output', out]);
    const { stdout: piped } = await run(
      process.execPath,
      [CLI, 'generate', '--people', '500', '--seed', '5'],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    assert.equal(piped, readFileSync(out, 'utf8'));
    const { stdout } = await run(process.execPath, [CLI, 'import', out, '--db', db]);
    assert.match(stdout, /^Imported 3 orgs, 500 people and 100 tokens from .*cli\.json in \d+\.\d s\n$/);

    const bad = join(dir, 'cli-bad.json');
    const file = JSON.parse(readFileSync(out, 'utf8')) as DirectoryFile;
    (file.people[400] as { emails: string[] }).emails = ['not an email'];
    writeFileSync(bad, JSON.stringify(file));
    await assert.rejects(run(process.execPath, [CLI, 'import', bad, '--db', db]), (error: unknown) => {
      const { code, stderr } = error as { code: number; stderr: string };
      assert.equal(code, 1);
      assert.match(
        stderr,
        /^rollcall: people\[400\] \(not an email\)\.emails: "not an email" is not an email address\n$/,
      );
      return true;
    });
    await assert.rejects(run(process.execPath, [CLI, 'generate', '--people', 'many']), /--people must be/);
  });
});

function withPerson(index: number, entry: DirectoryFile['people'][number]): DirectoryFile {
  const people = [...directory.people];
  people[index] = entry;
  return { ...directory, people };
}

function captureError(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
