import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { MESSAGES } from '../src/domain/errors.js';
import { PG_MIGRATIONS } from '../src/store/pg/migrations.js';
import { SQLITE_MIGRATIONS } from '../src/store/sqlite/migrations.js';
import {
  call,
  cleanUp,
  spawnServer,
  writeTempFile,
  type Reply,
  type ServeProcess,
} from './helpers/cli-process.js';
import { runPeople } from './helpers/directory-files.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from './helpers/test-database.js';
import { assertError } from './helpers/wire.js';

// Several `rollcall serve` processes on one database.
// PostgreSQL: every read goes to the database, so writes are seen by the other instance at once; a
// change to a person (update, delete) is NOTIFYed and drops that person's cached tokens in every
// instance (within 1 s here); activity is flushed every --activity-flush-ms; instances starting together
// migrate once (advisory lock).
// SQLite: the same for reads and writes of two processes on one file; there is no notification, so a
// token change is seen when the token cache entry expires (docs/adr/0005: "within the TTL"; 1 s here).

const PG = TEST_STORE === 'postgres';
const FLUSH_MS = 200;
const SQLITE_TOKEN_TTL_MS = 1000;
/** Within this, B acts on a delete or a role change made through A. */
const CACHE_BOUND_MS = PG ? 1000 : SQLITE_TOKEN_TTL_MS + 500;
/** Within this, B shows activity recorded by A (flush interval + margin). */
const PRESENCE_POLL_MS = 2000;
const POLL_EVERY_MS = 10;

const ARGS = [
  '--activity-flush-ms',
  String(FLUSH_MS),
  // No load shedding: a busy machine must not turn a request into a 503 in these tests.
  '--max-event-loop-delay-ms',
  '0',
  // No rate limit within reach: the reads below run back to back with one token for about 5 s, and a
  // fast machine passes the default 6,000 a minute.
  '--rate-limit',
  '1000000',
  ...(PG ? [] : ['--token-cache-ttl-ms', String(SQLITE_TOKEN_TTL_MS)]),
];

const ORG = '0b100000-0000-4000-8000-000000000001';
const run = randomBytes(6).toString('hex');
const entry = runPeople(ORG, '0b100000-0000-4000-8000-0000000001', 'multi.test', run);
const P = {
  admin: entry(1, 'admin', ['id_full_admin']),
  victim: entry(2, 'victim'),
  promoted: entry(3, 'promoted'),
  newcomer: entry(4, 'newcomer'),
  fresh1: entry(5, 'fresh1'),
  fresh2: entry(6, 'fresh2'),
  fresh3: entry(7, 'fresh3'),
  fresh4: entry(8, 'fresh4'),
  fresh5: entry(9, 'fresh5'),
  fresh6: entry(10, 'fresh6'),
  fresh7: entry(11, 'fresh7'),
  fresh8: entry(12, 'fresh8'),
};
const tokenOf = (person: { tokens: string[] }) => person.tokens[0] as string;
const ADMIN = tokenOf(P.admin);
const DIRECTORY: DirectoryFile = { orgs: [{ id: ORG, displayName: 'Multi' }], people: Object.values(P) };

const hydraPerson = (uuid: string) => Buffer.from(`ciscospark://us/PEOPLE/${uuid}`).toString('base64url');
const idOf = (body: unknown): string => {
  const id = (body as { id?: unknown }).id;
  assert.equal(typeof id, 'string');
  return id as string;
};

/**
 * Repeats `attempt` until `done` holds or `limitMs` pass (counted from `since`); returns the reply
 * and the delay from `since` to the moment that reply arrived.
 */
async function pollUntil(
  since: number,
  limitMs: number,
  attempt: () => Promise<Reply>,
  done: (reply: Reply) => boolean,
): Promise<{ reply: Reply; delayMs: number; attempts: number }> {
  let attempts = 0;
  for (;;) {
    const reply = await attempt();
    attempts += 1;
    const delayMs = Date.now() - since;
    if (done(reply)) return { reply, delayMs, attempts };
    if (delayMs > limitMs) {
      assert.fail(
        `still not there ${delayMs} ms later (${attempts} attempts); last: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    await sleep(POLL_EVERY_MS);
  }
}

describe(`two serve processes on one ${TEST_STORE} database`, () => {
  let database: TestDatabase;
  let a: ServeProcess;
  let b: ServeProcess;

  before(async () => {
    database = await createTestDatabase();
    // A loads the directory; B starts on it without --seed, so it does not replace it.
    a = await spawnServer({ db: database.url, seed: writeTempFile('directory.json', DIRECTORY), args: ARGS });
    b = await spawnServer({ db: database.url, args: ARGS });
  });
  after(async () => {
    await cleanUp();
    await database.drop();
  });

  let created: Record<string, unknown>;
  let createdId: string;
  const email = `created-${run}@multi.test`;

  test('a person created through A is returned by B (GET and list) at once', async () => {
    const post = await call(a.url, 'POST', '/v1/people', {
      token: ADMIN,
      json: { emails: [email], displayName: 'Carla Created', firstName: 'Carla', title: 'First' },
    });
    assert.equal(post.status, 200, JSON.stringify(post.body));
    created = post.body as Record<string, unknown>;
    createdId = idOf(created);
    assert.equal(created.status, 'pending');

    const got = await call(b.url, 'GET', `/v1/people/${createdId}`, { token: ADMIN });
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.deepEqual(got.body, created);
    const listed = await call(b.url, 'GET', `/v1/people?email=${encodeURIComponent(email)}`, {
      token: ADMIN,
    });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.deepEqual(listed.body, { items: [created] });
  });

  test('a person updated through B is seen by A at once', async () => {
    const put = await call(b.url, 'PUT', `/v1/people/${createdId}`, {
      token: ADMIN,
      json: { displayName: 'Carla Updated', firstName: 'Carla', lastName: 'Updated', title: 'Second' },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const updated = put.body as Record<string, unknown>;
    assert.equal(updated.displayName, 'Carla Updated');
    assert.equal(updated.title, 'Second');
    assert.deepEqual(updated.emails, [email]);

    const got = await call(a.url, 'GET', `/v1/people/${createdId}`, { token: ADMIN });
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.deepEqual(got.body, updated);
    const listed = await call(a.url, 'GET', `/v1/people?displayName=Carla`, { token: ADMIN });
    assert.deepEqual(listed.body, { items: [updated] });
  });

  test('a person deleted through A is a 404 on B at once', async () => {
    const del = await call(a.url, 'DELETE', `/v1/people/${createdId}`, { token: ADMIN });
    assert.equal(del.status, 204);
    assert.equal(del.body, undefined);

    assertError(
      await call(b.url, 'GET', `/v1/people/${createdId}`, { token: ADMIN }),
      404,
      MESSAGES.personNotFound,
      'GET on B',
    );
    const listed = await call(b.url, 'GET', `/v1/people?email=${encodeURIComponent(email)}`, {
      token: ADMIN,
    });
    assert.deepEqual(listed.body, { items: [] });
  });

  test(`the token of a person deleted through A is refused (401) by B within ${CACHE_BOUND_MS} ms`, async () => {
    const victim = tokenOf(P.victim);
    const probe = () => call(b.url, 'GET', `/v1/people/${hydraPerson(P.admin.id)}`, { token: victim });
    // B resolves and caches the token.
    assert.equal((await probe()).status, 200);
    assert.equal((await probe()).status, 200);

    const del = await call(a.url, 'DELETE', `/v1/people/${hydraPerson(P.victim.id)}`, { token: ADMIN });
    assert.equal(del.status, 204);
    const since = Date.now();
    const { reply, delayMs, attempts } = await pollUntil(
      since,
      CACHE_BOUND_MS + 1000,
      probe,
      (r) => r.status !== 200,
    );
    console.log(
      `${TEST_STORE}: B refused the deleted person's token ${delayMs} ms after A's 204 (${attempts} requests)`,
    );
    assertError(reply, 401, MESSAGES.unauthorized, 'B, after the delete');
    assert.ok(delayMs <= CACHE_BOUND_MS, `refused after ${delayMs} ms, more than ${CACHE_BOUND_MS} ms`);
    // And it stays refused, on both.
    assertError(await probe(), 401, MESSAGES.unauthorized, 'B, again');
    assertError(
      await call(a.url, 'GET', '/v1/people/me', { token: victim }),
      401,
      MESSAGES.unauthorized,
      'A',
    );
  });

  test(`a role change through A (user → full admin) lets that user create people through B within ${CACHE_BOUND_MS} ms`, async () => {
    const token = tokenOf(P.promoted);
    let n = 0;
    const create = () =>
      call(b.url, 'POST', '/v1/people', {
        token,
        json: { emails: [`by-promoted-${run}-${++n}@multi.test`], displayName: `By Promoted ${n}` },
      });
    // B caches the token as a plain user's.
    assertError(await create(), 403, MESSAGES.forbidden, 'B, before the role change');

    const put = await call(a.url, 'PUT', `/v1/people/${hydraPerson(P.promoted.id)}`, {
      token: ADMIN,
      json: { displayName: 'promoted', roles: ['id_full_admin'] },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual((put.body as { roles?: unknown }).roles, [
      Buffer.from('ciscospark://us/ROLE/id_full_admin').toString('base64url'),
    ]);
    const since = Date.now();
    const { reply, delayMs, attempts } = await pollUntil(
      since,
      CACHE_BOUND_MS + 1000,
      create,
      (r) => r.status !== 403,
    );
    console.log(`${TEST_STORE}: B honoured the new role ${delayMs} ms after A's 200 (${attempts} requests)`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal((reply.body as { displayName?: unknown }).displayName, `By Promoted ${n}`);
    assert.ok(delayMs <= CACHE_BOUND_MS, `allowed after ${delayMs} ms, more than ${CACHE_BOUND_MS} ms`);
  });

  test(`presence: a pending person's request through A shows them active on B within ${PRESENCE_POLL_MS} ms`, async () => {
    const path = `/v1/people/${hydraPerson(P.newcomer.id)}`;
    const statusOn = async (server: ServeProcess) => {
      const reply = await call(server.url, 'GET', path, { token: ADMIN });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply;
    };
    const statusOf = (reply: Reply) => (reply.body as { status?: unknown }).status;
    assert.equal(statusOf(await statusOn(b)), 'pending');
    assert.equal(statusOf(await statusOn(a)), 'pending');

    const own = await call(a.url, 'GET', '/v1/people/me', { token: tokenOf(P.newcomer) });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    const since = Date.now();
    const { reply, delayMs, attempts } = await pollUntil(
      since,
      PRESENCE_POLL_MS,
      () => statusOn(b),
      (r) => statusOf(r) === 'active',
    );
    console.log(
      `${TEST_STORE}: B showed the newcomer active ${delayMs} ms after their request through A ` +
        `(flush every ${FLUSH_MS} ms; ${attempts} requests)`,
    );
    const body = reply.body as { lastActivity?: unknown };
    assert.equal(typeof body.lastActivity, 'string');
    assert.ok(delayMs <= PRESENCE_POLL_MS);
  });

  test("A's own answers are never behind the activity it recorded, also while it flushes it", async () => {
    // docs/adr/0005: "reads merge the in-memory value, so the server's own answers are never behind".
    // Read through A without pause while its flushes (every 200 ms) write the activity to the store.
    const behind: string[] = [];
    let reads = 0;
    for (const person of [P.fresh1, P.fresh2, P.fresh3, P.fresh4, P.fresh5, P.fresh6, P.fresh7, P.fresh8]) {
      const path = `/v1/people/${hydraPerson(person.id)}`;
      const own = await call(a.url, 'GET', '/v1/people/me', { token: tokenOf(person) });
      assert.equal(own.status, 200, JSON.stringify(own.body));
      const since = Date.now();
      while (Date.now() - since < 3 * FLUSH_MS) {
        const reply = await call(a.url, 'GET', path, { token: ADMIN });
        reads += 1;
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        const status = (reply.body as { status?: unknown }).status;
        if (status !== 'active')
          behind.push(`${person.displayName}: ${String(status)} ${Date.now() - since} ms after`);
      }
    }
    console.log(`${TEST_STORE}: ${reads} reads through A, ${behind.length} behind`);
    assert.deepEqual(behind, []);
  });
});

describe(`instances started together on an empty ${TEST_STORE} database`, () => {
  const ROUNDS = 3;
  const INSTANCES = 3;
  const databases: TestDatabase[] = [];
  after(async () => {
    await cleanUp();
    for (const database of databases) await database.drop();
  });

  test(`${INSTANCES} instances started at the same moment all come up, and the schema is migrated once (${ROUNDS} rounds)`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const database = await createTestDatabase();
      databases.push(database);
      const started = await Promise.allSettled(
        Array.from({ length: INSTANCES }, () => spawnServer({ db: database.url, args: ARGS })),
      );
      const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      assert.deepEqual(failures, [], `round ${round}: every instance comes up`);
      for (const s of started) {
        if (s.status !== 'fulfilled') continue;
        // Each one answers from the database: an unknown token is looked up and refused.
        assertError(
          await call(s.value.url, 'GET', '/v1/people/me', { token: `unknown-${run}` }),
          401,
          MESSAGES.unauthorized,
          `round ${round}, ${s.value.url}`,
        );
      }
      assert.deepEqual(await migrationState(database.url), expectedMigrationState(), `round ${round}`);
      await cleanUp();
    }
  });

  test(`${INSTANCES} instances that start while the schema is locked wait for it, then all come up and migrate once`, async () => {
    // The race made certain: every instance opens the database while another connection holds what
    // migrations wait for (PostgreSQL: the advisory lock; SQLite: the write lock), so all of them are
    // about to migrate when it is released.
    const database = await createTestDatabase();
    databases.push(database);
    const lock = await holdMigrationLock(database.url);
    const pids: number[] = [];
    let starting: Promise<PromiseSettledResult<ServeProcess>[]> | undefined;
    try {
      starting = Promise.allSettled(
        Array.from({ length: INSTANCES }, () =>
          spawnServer({ db: database.url, args: ARGS, onSpawn: (pid) => pids.push(pid) }),
        ),
      );
      const waiting = await lock.waitForWaiters(pids, INSTANCES);
      console.log(`${TEST_STORE}: ${waiting} instances were waiting for the lock when it was released`);
    } finally {
      await lock.release();
    }
    const started = await starting;
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    assert.deepEqual(failures, [], 'every instance comes up');
    for (const s of started) {
      if (s.status !== 'fulfilled') continue;
      assertError(
        await call(s.value.url, 'GET', '/v1/people/me', { token: `unknown-${run}` }),
        401,
        MESSAGES.unauthorized,
        s.value.url,
      );
    }
    assert.deepEqual(await migrationState(database.url), expectedMigrationState());
  });
});

function expectedMigrationState(): unknown {
  return PG ? PG_MIGRATIONS.map((_, i) => ({ version: i + 1 })) : { userVersion: SQLITE_MIGRATIONS.length };
}

/** PostgreSQL: the rows of schema_migrations; SQLite: PRAGMA user_version. */
async function migrationState(url: string): Promise<unknown> {
  if (!PG) {
    const db = new Database(url, { readonly: true });
    try {
      return { userVersion: db.pragma('user_version', { simple: true }) as number };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return rows.map((r) => ({ version: r.version }));
  } finally {
    await client.end();
  }
}

/** The key src/store/pg/migrate.ts serializes migrations with ("Roll"). */
const PG_MIGRATION_LOCK = 0x526f6c6c;
const LOCK_WAIT_LIMIT_MS = 15_000;

interface HeldLock {
  /** Waits (bounded) until `expected` instances wait for the lock; returns how many do. */
  waitForWaiters(pids: readonly number[], expected: number): Promise<number>;
  release(): Promise<void>;
}

async function holdMigrationLock(url: string): Promise<HeldLock> {
  const deadline = Date.now() + LOCK_WAIT_LIMIT_MS;
  if (PG) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK]);
    return {
      async waitForWaiters(_pids, expected) {
        for (;;) {
          const { rows } = await client.query<{ n: number }>(
            `SELECT COUNT(*)::int AS n FROM pg_locks
             WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND objsubid = 1 AND NOT granted`,
            [PG_MIGRATION_LOCK],
          );
          const n = rows[0]?.n ?? 0;
          if (n >= expected || Date.now() > deadline) return n;
          await sleep(20);
        }
      },
      async release() {
        await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK]);
        await client.end();
      },
    };
  }
  // A new WAL database whose write lock this connection holds: readers go on, writers wait.
  const db = new Database(url);
  db.pragma('journal_mode = WAL');
  db.exec('BEGIN IMMEDIATE');
  const file = realpathSync(url);
  return {
    async waitForWaiters(pids, expected) {
      // An instance that has the file open has read its schema version within a few milliseconds and
      // then waits for the write lock (better-sqlite3's busy timeout: 5 s).
      // Released at most 3 s after the first one opened it, well within that timeout.
      const opened = () => pids.filter((pid) => hasFileOpen(pid, file)).length;
      let firstOpenedAt: number | undefined;
      while (opened() < expected && Date.now() < deadline) {
        if (firstOpenedAt === undefined && opened() > 0) firstOpenedAt = Date.now();
        if (firstOpenedAt !== undefined && Date.now() - firstOpenedAt > 3000) break;
        await sleep(20);
      }
      const n = opened();
      await sleep(300);
      return n;
    },
    async release() {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/** Linux: whether process `pid` has `file` open (via /proc/PID/fd). */
function hasFileOpen(pid: number, file: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
