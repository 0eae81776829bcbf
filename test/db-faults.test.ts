import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { MESSAGES, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../src/domain/errors.js';
import {
  call,
  cleanUp,
  lines,
  startServe,
  writeTempFile,
  type Reply,
  type ServeProcess,
} from './helpers/cli-process.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { runPeople } from './helpers/directory-files.js';
import { createTestDatabase, TEST_PG_URL, TEST_STORE, type TestDatabase } from './helpers/test-database.js';

// Database faults against real `rollcall serve` processes: PostgreSQL connections terminated under load
// (the process stays up, requests succeed again, the change feed comes back and caches follow it), a
// database that cannot be reached (503 + Retry-After, not 500), and a busy SQLite file. Every fault is
// made on this machine only: backends of the servers under test (by their application_name), a TCP
// relay in this process, a lock held by this process. Nothing stops the shared PostgreSQL server.

const PG = TEST_STORE === 'postgres';
const run = randomBytes(6).toString('hex');
const ORG = '0b200000-0000-4000-8000-000000000001';
const entry = runPeople(ORG, '0b200000-0000-4000-8000-0000000002', 'faults.test', run);
const P = {
  admin: entry(1, 'admin', ['id_full_admin']),
  reader: entry(2, 'reader'),
  victim: entry(3, 'victim'),
};
const tokenOf = (person: { tokens: string[] }) => person.tokens[0] as string;
const DIRECTORY: DirectoryFile = { orgs: [{ id: ORG, displayName: 'Faults' }], people: Object.values(P) };
const hydraPerson = (uuid: string) => Buffer.from(`ciscospark://us/PEOPLE/${uuid}`).toString('base64url');

const ARGS = [
  // No load shedding and no rate limit within reach: only the faults below may turn a request away.
  '--max-event-loop-delay-ms',
  '0',
  '--rate-limit',
  '1000000',
  '--activity-flush-ms',
  '200',
];

/** After the termination, every request that starts later than this must succeed. */
const RECOVERY_BOUND_MS = 1500;
/** /readyz answers 200 again within this after the termination (the feed's first retry is at 100 ms). */
const READY_BOUND_MS = 3000;
/** B refuses a person deleted through A within this, once its change feed is back. */
const REVOKE_BOUND_MS = 1000;

type Json = Record<string, unknown>;

function logLines(server: ServeProcess): Json[] {
  return lines(server.stderr()).map((line) => JSON.parse(line) as Json);
}

const withMessage = (server: ServeProcess, text: string) =>
  logLines(server).filter((line) => typeof line.msg === 'string' && line.msg.includes(text));

function assertAlive(server: ServeProcess, name: string): void {
  assert.equal(server.child.exitCode, null, `${name} exited: ${server.stderr()}`);
  assert.equal(server.child.signalCode, null, `${name} was killed`);
}

function assertUnavailable(reply: Reply, where: string): void {
  assert.equal(reply.status, 503, `${where}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.headers.get('retry-after'), String(UNAVAILABLE_RETRY_AFTER_SECONDS), where);
  const trackingId = reply.headers.get('trackingid');
  assert.ok(trackingId, `${where}: trackingid header`);
  assert.deepEqual(
    reply.body,
    { message: MESSAGES.unavailable, errors: [{ description: MESSAGES.unavailable }], trackingId },
    where,
  );
}

/** The value of one sample of the server's /metrics; fails when there is no such sample. */
async function metric(server: ServeProcess, name: string, labels: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const families = parsePrometheusText(await res.text());
  const present = [...families.values()].some((family) =>
    family.samples.some(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    ),
  );
  assert.ok(present, `${name} ${JSON.stringify(labels)} is exposed`);
  return sampleValue(families, name, labels);
}

/** Repeats `attempt` until it answers `status`, at most `limitMs` after `since`; the delay from `since`. */
async function until(
  since: number,
  limitMs: number,
  status: number,
  attempt: () => Promise<Reply>,
): Promise<number> {
  for (;;) {
    const reply = await attempt().catch(refused);
    const delayMs = Date.now() - since;
    if (reply.status === status) return delayMs;
    if (delayMs > limitMs) {
      assert.fail(`no ${status} ${delayMs} ms later; last: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    await sleep(10);
  }
}

/** A request that got no answer at all (the process is gone), as a reply with status 0. */
const refused = (error: Error): Reply => ({ status: 0, headers: new Headers(), body: error.message });

async function withPg<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of a test database whose connections carry `name` as application_name. */
function named(url: string, name: string): string {
  const withName = new URL(url);
  withName.searchParams.set('application_name', name);
  return withName.toString();
}

interface Outcome {
  server: 'A' | 'B';
  start: number;
  end: number;
  status: number;
}

/** Light load until `stop()`: one request at a time per server, at most 20,000 in all or 30 s. */
function lightLoad(servers: Record<'A' | 'B', ServeProcess>) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const deadline = Date.now() + 30_000;
  const loop = async (name: 'A' | 'B') => {
    const path = `/v1/people/${hydraPerson(P.reader.id)}`;
    while (!stopped && outcomes.length < 20_000 && Date.now() < deadline) {
      const start = Date.now();
      const reply = await call(servers[name].url, 'GET', path, {
        token: tokenOf(P.admin),
        timeoutMs: 10_000,
      }).catch(refused);
      outcomes.push({ server: name, start, end: Date.now(), status: reply.status });
      await sleep(2);
    }
  };
  const loops = Promise.all([loop('A'), loop('B')]);
  return {
    outcomes,
    stop: async () => {
      stopped = true;
      await loops;
    },
  };
}

after(async () => {
  await cleanUp();
});

describe('PostgreSQL connections terminated under load', { skip: !PG && 'PostgreSQL only' }, () => {
  test('both instances stay up, recover, and B follows a delete made through A', async (t) => {
    const database: TestDatabase = await createTestDatabase();
    const appName = `rollcall_faults_${run}`;
    const url = named(database.url, appName);
    const seed = writeTempFile('directory.json', DIRECTORY);
    try {
      const a = await startServe(['--port', '0', '--db', url, '--seed', seed, ...ARGS]);
      const b = await startServe(['--port', '0', '--db', url, ...ARGS]);
      const victim = tokenOf(P.victim);
      // Requests side by side leave each pool with several connections, idle ones among them when the
      // backends are terminated (a busy one's loss is reported by its query instead).
      const side = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b));
      await Promise.all(side.map((s) => call(s.url, 'GET', '/v1/people/me', { token: tokenOf(P.reader) })));
      const load = lightLoad({ A: a, B: b });
      await sleep(500);

      const terminatedAt = Date.now();
      const terminated = await withPg(async (client) => {
        const { rows } = await client.query<{ pid: number; query: string }>(
          `SELECT pid, query, pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name = $1 AND pid <> pg_backend_pid()`,
          [appName],
        );
        return rows;
      });
      const listeners = terminated.filter((row) => /^LISTEN /.test(row.query)).length;
      assert.equal(listeners, 2, `both LISTEN connections: ${JSON.stringify(terminated)}`);
      assert.ok(terminated.length >= 3, `pooled connections too: ${terminated.length}`);

      const readyA = until(terminatedAt, READY_BOUND_MS, 200, () => call(a.url, 'GET', '/readyz'));
      const readyB = until(terminatedAt, READY_BOUND_MS, 200, () => call(b.url, 'GET', '/readyz'));
      const [readyAMs, readyBMs] = await Promise.all([readyA, readyB]).catch((error: unknown) => {
        assertAlive(a, 'A');
        assertAlive(b, 'B');
        throw error;
      });
      // A second of load past the bound, however long readiness took.
      await sleep(Math.max(0, terminatedAt + RECOVERY_BOUND_MS + 1000 - Date.now()));
      await load.stop();
      assertAlive(a, 'A');
      assertAlive(b, 'B');

      const { outcomes } = load;
      const failed = outcomes.filter((o) => o.status !== 200);
      const late = outcomes.filter((o) => o.start > terminatedAt + RECOVERY_BOUND_MS);
      assert.ok(late.length >= 10, `requests after the bound: ${late.length}`);
      assert.deepEqual(
        late.filter((o) => o.status !== 200),
        [],
        'every request started after the bound succeeded',
      );
      // Whatever failed failed as an outage (503), never as a crash or a 500.
      assert.deepEqual(
        [...new Set(failed.map((o) => o.status))].filter((s) => s !== 503),
        [],
      );
      const recoveredMs = Math.max(0, ...failed.map((o) => o.end - terminatedAt));

      // B's change feed is back: it caches again (a second use of a token costs no lookup) and forgets a
      // person deleted through A at once, not after the token cache's 10 s.
      assert.equal((await call(b.url, 'GET', '/v1/people/me', { token: victim })).status, 200);
      const lookups = await metric(b, 'rollcall_store_query_duration_seconds_count', {
        method: 'findToken',
        outcome: 'ok',
      });
      assert.equal((await call(b.url, 'GET', '/v1/people/me', { token: victim })).status, 200);
      assert.equal(
        await metric(b, 'rollcall_store_query_duration_seconds_count', {
          method: 'findToken',
          outcome: 'ok',
        }),
        lookups,
        "B served the victim's token from its cache",
      );
      const deleted = await call(a.url, 'DELETE', `/v1/people/${hydraPerson(P.victim.id)}`, {
        token: tokenOf(P.admin),
      });
      assert.equal(deleted.status, 204);
      const deletedAt = Date.now();
      const refusedMs = await until(deletedAt, REVOKE_BOUND_MS, 401, () =>
        call(b.url, 'GET', '/v1/people/me', { token: victim }),
      );

      assert.equal(await metric(b, 'rollcall_change_feed_connected'), 1);
      for (const [name, server] of [
        ['A', a],
        ['B', b],
      ] as const) {
        assert.doesNotMatch(server.stderr(), /Unhandled 'error' event/, name);
        assert.equal(
          withMessage(server, 'change feed (LISTEN) was lost').length,
          1,
          `${name}: one loss line`,
        );
        const back = withMessage(server, 'change feed (LISTEN) is back');
        assert.equal(back.length, 1, `${name}: one recovery line`);
        assert.equal(typeof back[0]?.downMs, 'number');
        assert.ok(withMessage(server, 'a pooled PostgreSQL connection was lost').length >= 1, name);
      }

      const statuses = Object.entries(
        failed.reduce<Record<number, number>>((n, o) => ({ ...n, [o.status]: (n[o.status] ?? 0) + 1 }), {}),
      );
      t.diagnostic(
        `terminated ${terminated.length} backends (${listeners} LISTEN); ${outcomes.length} requests, ` +
          `${failed.length} non-2xx (${statuses.map(([s, n]) => `${n}× ${s}`).join(', ') || 'none'}); ` +
          `last failure ended ${recoveredMs} ms after the termination; /readyz 200 again after ` +
          `${readyAMs} ms (A) and ${readyBMs} ms (B); B refused the deleted person's token ${refusedMs} ms ` +
          `after A's 204`,
      );
    } finally {
      await database.drop();
    }
  });
});

/**
 * A TCP relay to PostgreSQL that the test can cut: `refuse` closes the port and every relayed
 * connection (the database is down), `hang` accepts and never answers (unreachable), `forward` relays.
 */
class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'forward' | 'hang' = 'forward';
  port = 0;

  async open(mode: 'forward' | 'hang' = 'forward'): Promise<void> {
    this.mode = mode;
    if (this.server) return;
    const upstream = new URL(TEST_PG_URL);
    this.server = net.createServer((socket) => {
      this.track(socket);
      if (this.mode === 'hang') return;
      const target = net.connect(Number(upstream.port || 5432), upstream.hostname);
      this.track(target);
      socket.pipe(target).pipe(socket);
      socket.on('error', () => target.destroy());
      target.on('error', () => socket.destroy());
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Cuts every connection; `refuse` also closes the port, `hang` keeps it and stops answering. */
  async cut(mode: 'refuse' | 'hang'): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (mode === 'hang') {
      this.mode = 'hang';
      return;
    }
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async close(): Promise<void> {
    await this.cut('refuse');
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

describe('a database that cannot be reached', { skip: !PG && 'PostgreSQL only (SQLite: see below)' }, () => {
  test('503 with Retry-After and the Webex body while it is down; 200 once it is back', async (t) => {
    const database = await createTestDatabase();
    const relay = new Relay();
    try {
      await relay.open();
      const url = new URL(database.url);
      url.host = `127.0.0.1:${relay.port}`;
      const server = await startServe([
        '--port',
        '0',
        '--db',
        url.toString(),
        '--seed',
        writeTempFile('d.json', DIRECTORY),
        ...ARGS,
      ]);
      const path = `/v1/people/${hydraPerson(P.reader.id)}`;
      const get = () => call(server.url, 'GET', path, { token: tokenOf(P.admin) });
      assert.equal((await get()).status, 200);

      await relay.cut('refuse');
      const down = await get();
      assertUnavailable(down, 'database down');
      assertUnavailable(
        await call(server.url, 'POST', '/v1/people', {
          token: tokenOf(P.admin),
          json: { emails: ['new@faults.test'], displayName: 'New', orgId: ORG },
        }),
        'write while down',
      );
      const ready = await call(server.url, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.equal((ready.body as Json).message, MESSAGES.notReady);
      assert.equal(await metric(server, 'rollcall_change_feed_connected'), 0);
      const logged = logLines(server).filter((line) => line.trackingId === down.headers.get('trackingid'));
      assert.deepEqual(
        logged.map((line) => line.msg),
        ['request failed: the database is unavailable'],
        'logged once, with the tracking ID',
      );
      assert.doesNotMatch(JSON.stringify(down.body), /SELECT|ECONNREFUSED|terminated/);

      // Reachable but not answering: the connection attempt times out, the request does not hang.
      await relay.open('hang');
      const hangStart = Date.now();
      assertUnavailable(
        await call(server.url, 'GET', path, { token: tokenOf(P.admin), timeoutMs: 15_000 }),
        'hang',
      );
      const hungMs = Date.now() - hangStart;
      assert.ok(hungMs < 8000, `answered after ${hungMs} ms`);

      await relay.cut('refuse');
      await relay.open('forward');
      const backAt = Date.now();
      const okMs = await until(backAt, 5000, 200, get);
      const readyMs = await until(backAt, 5000, 200, () => call(server.url, 'GET', '/readyz'));
      assertAlive(server, 'server');
      assert.equal(withMessage(server, 'change feed (LISTEN) was lost').length, 1, 'the loss, once');
      assert.equal(withMessage(server, 'change feed (LISTEN) is back').length, 1, 'the recovery, once');
      t.diagnostic(
        `down: 503 Retry-After ${down.headers.get('retry-after')}; unreachable: 503 after ${hungMs} ms; ` +
          `back: 200 after ${okMs} ms, /readyz 200 after ${readyMs} ms`,
      );
    } finally {
      await relay.close();
      await database.drop();
    }
  });
});

describe('a busy SQLite file', { skip: PG && 'SQLite only' }, () => {
  test('a write that cannot get the lock answers 503 with Retry-After, then works again', async () => {
    const database = await createTestDatabase();
    try {
      const server = await startServe([
        '--port',
        '0',
        '--db',
        database.url,
        '--seed',
        writeTempFile('d.json', DIRECTORY),
        ...ARGS,
      ]);
      const create = (email: string) =>
        call(server.url, 'POST', '/v1/people', {
          token: tokenOf(P.admin),
          json: { emails: [email], displayName: 'New', orgId: ORG },
          timeoutMs: 20_000,
        });
      const other = new Database(database.url);
      try {
        // Another process holds the write lock longer than the server's busy timeout (5 s).
        other.exec('BEGIN IMMEDIATE');
        const busy = await create('busy@faults.test');
        assertUnavailable(busy, 'locked');
        const logged = logLines(server).filter((line) => line.trackingId === busy.headers.get('trackingid'));
        assert.deepEqual(
          logged.map((line) => line.msg),
          ['request failed: the database is unavailable'],
        );
        other.exec('ROLLBACK');
      } finally {
        other.close();
      }
      assert.equal((await create('free@faults.test')).status, 200);
    } finally {
      await database.drop();
    }
  });
});
