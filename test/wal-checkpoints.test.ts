import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { generateDirectoryText } from '../src/directory/generate-directory.js';
import { parseDirectoryFile } from '../src/directory/parse-directory.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { startWalCheckpointer } from '../src/store/sqlite/wal-checkpointer.js';

// `rollcall serve` checkpoints its SQLite WAL from a worker thread (docs/adr/0002): the database file
// takes the committed pages without a request's commit doing it. One transaction of 1,000 people
// writes about 300 WAL pages, under the 1,000 at which SQLite would checkpoint in the commit, so the
// database file only grows when a checkpoint runs elsewhere.

const dir = mkdtempSync(join(tmpdir(), 'rollcall-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const now = Date.parse('2026-12-01T00:00:00.000Z');
const directory = parseDirectoryFile(
  [...generateDirectoryText({ people: 1000, orgs: 3, seed: 7, tokens: 5 })].join(''),
  now,
);

/** Polls `check` every 50 ms until it holds or `limitMs` passes; says whether it held. */
async function eventually(check: () => boolean, limitMs: number): Promise<boolean> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) return false;
    await sleep(50);
  }
  return true;
}

describe('background WAL checkpoints (SQLite)', () => {
  test('the worker copies committed pages into the database file; closing stops it and removes the WAL', async () => {
    const file = join(dir, 'background.db');
    const store = openSqliteStore(file, { backgroundCheckpoints: true });
    await store.replaceDirectory(directory, now);
    const checkpointed = await eventually(() => statSync(file).size > 100 * 4096, 5000);
    assert.equal(checkpointed, true, `database file is ${statSync(file).size} bytes after 5 s`);
    await store.close();
    assert.equal(existsSync(`${file}-wal`), false);
    const reopened = new Database(file, { readonly: true });
    assert.equal(reopened.prepare('SELECT COUNT(*) FROM people').pluck().get(), 1000);
    reopened.close();
  });

  test('without it (the CLI commands), the same write stays in the WAL until the database closes', async () => {
    const file = join(dir, 'in-place.db');
    const store = openSqliteStore(file);
    await store.replaceDirectory(directory, now);
    const sizeAfterWrite = statSync(file).size;
    await sleep(1500);
    assert.equal(statSync(file).size, sizeAfterWrite);
    assert.ok(statSync(`${file}-wal`).size > 100 * 4096);
    await store.close();
    assert.ok(statSync(file).size > 100 * 4096);
    assert.equal(existsSync(`${file}-wal`), false);
  });

  test('the serving connection never checkpoints by itself while the worker runs, and does again if it fails', async () => {
    const running = new Database(join(dir, 'running.db'));
    running.pragma('journal_mode = WAL');
    const checkpointer = startWalCheckpointer(running, 1000);
    assert.equal(running.pragma('wal_autocheckpoint', { simple: true }), 0);
    await checkpointer.stop();
    assert.equal(running.pragma('wal_autocheckpoint', { simple: true }), 0);
    running.close();

    // The worker cannot open a file that is gone (it never creates one): it fails at once.
    const gone = join(dir, 'gone.db');
    const orphan = new Database(gone);
    orphan.pragma('journal_mode = WAL');
    unlinkSync(gone);
    startWalCheckpointer(orphan, 1000);
    assert.equal(orphan.pragma('wal_autocheckpoint', { simple: true }), 0);
    const restored = await eventually(
      () => orphan.pragma('wal_autocheckpoint', { simple: true }) === 1000,
      5000,
    );
    assert.equal(restored, true);
    orphan.close();
  });
});
