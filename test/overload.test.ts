import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, afterEach, describe, test } from 'node:test';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { MESSAGES } from '../src/domain/errors.js';
import { call, cleanUp, spawnServer, writeTempFile, type Reply } from './helpers/cli-process.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from './helpers/test-database.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Load shedding (src/http/overload.ts): 503 with the Webex error body and Retry-After while the event
// loop lags more than maxEventLoopDelayMs, or while more than maxDbWaiting queries wait for a PostgreSQL
// connection; and back to 200 by itself once the pressure is gone.

const ORG = '0c100000-0000-4000-8000-000000000001';
const PERSON = '0c100000-0000-4000-8000-000000000002';
const PERSON_HYDRA = Buffer.from(`ciscospark://us/PEOPLE/${PERSON}`).toString('base64url');
const TOKEN = 'tok-overload';
const DIRECTORY: DirectoryFile = {
  orgs: [{ id: ORG, displayName: 'Overload' }],
  people: [{ id: PERSON, orgId: ORG, emails: ['load@overload.test'], displayName: 'Load', tokens: [TOKEN] }],
};
const RECOVERY_LIMIT_MS = 5000;

function assertOverloaded(reply: Reply, where: string): void {
  assert.equal(reply.status, 503, `${where}: ${JSON.stringify(reply.body)}`);
  const trackingId = reply.headers.get('trackingid');
  assert.ok(trackingId, `${where}: trackingid header`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, where);
  assert.deepEqual(
    reply.body,
    { message: MESSAGES.overloaded, errors: [{ description: MESSAGES.overloaded }], trackingId },
    where,
  );
  assert.equal(reply.headers.get('retry-after'), '2', `${where}: retry-after`);
}

/** Asks until the answer is a 200 (at most `limitMs`); returns how long that took. */
async function until200(request: () => Promise<Reply>, limitMs: number, what: string): Promise<number> {
  const start = Date.now();
  const seen: number[] = [];
  for (;;) {
    const reply = await request();
    if (reply.status === 200) return Date.now() - start;
    seen.push(reply.status);
    if (Date.now() - start > limitMs) assert.fail(`${what}: no 200 within ${limitMs} ms (${seen.join(' ')})`);
    await sleep(50);
  }
}

/** Blocks this process's event loop in slices of `sliceMs` (yielding between them) until stopped. */
function lagEventLoop(sliceMs: number): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    while (running) {
      const end = performance.now() + sliceMs;
      while (performance.now() < end) {
        // busy: the event loop is stuck here
      }
      await yieldToLoop();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('event loop lag (in-process server, maxEventLoopDelayMs 50)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('503 with the error body and Retry-After while the loop lags, then 200 again by itself', async () => {
    server = await startTestServer(DIRECTORY, { settings: { maxEventLoopDelayMs: 50 } });
    const me = () => call(server?.url ?? '', 'GET', '/v1/people/me', { token: TOKEN });
    // A calm server answers (its own startup may still count as lag for a moment).
    await until200(me, RECOVERY_LIMIT_MS, 'before the lag');

    // The server shares this process's event loop: 100 ms slices of busy work, with the loop turning
    // between them, make every delay sample ~100 ms until stopped — deterministic, unlike one long stall
    // (one sample among ~100 of 10 ms each barely moves the mean the sampler compares).
    const lag = lagEventLoop(100);
    let overloaded: Reply | undefined;
    const statuses: number[] = [];
    const lagStart = Date.now();
    try {
      while (Date.now() - lagStart < 6000) {
        const reply = await me();
        statuses.push(reply.status);
        if (reply.status === 503) {
          overloaded = reply;
          break;
        }
      }
    } finally {
      await lag.stop();
    }
    assert.ok(
      overloaded,
      `no 503 while the loop lagged for ${Date.now() - lagStart} ms: ${statuses.join(' ')}`,
    );
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 503),
      [],
    );
    assertOverloaded(overloaded, 'while lagging');
    console.log(
      `event loop: first 503 ${Date.now() - lagStart} ms into the lag (${statuses.length} requests)`,
    );

    const recovery = await until200(me, RECOVERY_LIMIT_MS, 'after the lag');
    console.log(`event loop: 200 again ${recovery} ms after the lag stopped`);
    // And it stays up.
    for (let i = 0; i < 5; i++) assert.equal((await me()).status, 200);
  });
});

describe(`database waiting (${TEST_STORE})`, () => {
  const PG = TEST_STORE === 'postgres';
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await cleanUp();
    await database?.drop();
    database = undefined;
  });
  after(cleanUp);

  const serve = async (poolSize: number) => {
    database = await createTestDatabase();
    return spawnServer({
      db: database.url,
      seed: writeTempFile('directory.json', DIRECTORY),
      args: ['--db-pool-size', String(poolSize), '--max-db-waiting', '1', '--max-event-loop-delay-ms', '0'],
    });
  };
  const person = (url: string) => call(url, 'GET', `/v1/people/${PERSON_HYDRA}`, { token: TOKEN });

  /** `n` requests at once; returns their statuses in order. */
  async function burst(url: string, n: number): Promise<Reply[]> {
    return Promise.all(Array.from({ length: n }, () => person(url)));
  }

  if (PG) {
    for (const poolSize of [1, 3]) {
      test(`--db-pool-size ${poolSize} --max-db-waiting 1: a burst gets some 503s, then all 200 again`, async () => {
        const server = await serve(poolSize);
        // One request at a time never waits for a connection.
        const first = await call(server.url, 'GET', `/v1/people/${PERSON_HYDRA}`, {
          token: TOKEN,
          timeoutMs: 5000,
        }).catch((error: unknown) =>
          assert.fail(`a single request got no answer within 5 s: ${String(error)}`),
        );
        assert.equal(first.status, 200, JSON.stringify(first.body));

        let shed: Reply[] = [];
        let statuses: number[] = [];
        for (let attempt = 1; attempt <= 3 && shed.length === 0; attempt++) {
          const replies = await burst(server.url, 100);
          statuses = replies.map((r) => r.status);
          shed = replies.filter((r) => r.status === 503);
          assert.deepEqual(
            statuses.filter((s) => s !== 200 && s !== 503),
            [],
            `only 200 and 503: ${statuses.join(' ')}`,
          );
        }
        assert.ok(shed.length > 0, `no 503 in a burst of 100: ${statuses.join(' ')}`);
        assert.ok(statuses.includes(200), 'some requests of the burst are served');
        shed.forEach((reply, i) => assertOverloaded(reply, `503 #${i + 1}`));
        console.log(
          `pool ${poolSize}: ${shed.length} of 100 concurrent requests shed, ${statuses.filter((s) => s === 200).length} served`,
        );
        for (let i = 0; i < 20; i++)
          assert.equal((await person(server.url)).status, 200, `request ${i + 1} after the burst`);
      });
    }
  } else {
    test('SQLite has no connection pool: --max-db-waiting 1 never sheds a burst of 100 requests', async () => {
      const server = await serve(1);
      const statuses = (await burst(server.url, 100)).map((r) => r.status);
      assert.deepEqual(
        statuses,
        Array.from({ length: 100 }, () => 200),
      );
    });
  }
});
