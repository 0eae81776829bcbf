import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { AppSettings } from '../src/app.js';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { MESSAGES } from '../src/domain/errors.js';
import { hashToken } from '../src/domain/tokens.js';
import {
  call,
  cleanUp,
  spawnServer,
  writeTempFile,
  type Reply,
  type ServeProcess,
} from './helpers/cli-process.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { createTestDatabase, TEST_STORE, type TestDatabase } from './helpers/test-database.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Rate limits (src/http/rate-limit.ts): a budget of requests per minute per token; past it, 429 with
// the Webex error body, Retry-After in whole seconds and X-RateLimit-* headers. Per-route budgets are
// lower limits for one route. With --redis the budget is shared by every instance; without it each
// process counts on its own.

const REDIS_URL = 'redis://127.0.0.1:6379';
const ORG = '0a1e0000-0000-4000-8000-000000000001';
const me = (base: string, token: string) => call(base, 'GET', '/v1/people/me', { token });

let created = 0;
const createBody = () => {
  created += 1;
  return {
    emails: [`new-${created}-${randomBytes(4).toString('hex')}@limits.test`],
    displayName: `New ${created}`,
  };
};

function directory(tokens: { user: string; other: string; admin: string; admin2: string }): DirectoryFile {
  const person = (n: number, name: string, token: string, roles: string[] = []) => ({
    id: `0a1e0000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`,
    orgId: ORG,
    emails: [`${name}@limits.test`],
    displayName: name,
    roles,
    tokens: [token],
  });
  return {
    orgs: [{ id: ORG, displayName: 'Limits' }],
    people: [
      person(1, 'user', tokens.user),
      person(2, 'other', tokens.other),
      person(3, 'admin', tokens.admin, ['id_full_admin']),
      person(4, 'admin2', tokens.admin2, ['id_full_admin']),
    ],
  };
}

const FIXED_TOKENS = { user: 'tok-user', other: 'tok-other', admin: 'tok-admin', admin2: 'tok-admin2' };

/** A request within the budget: 200 and the budget's headers. */
function assertAllowed(reply: Reply, limit: number, remaining: number, where: string): void {
  assert.equal(reply.status, 200, `${where}: ${JSON.stringify(reply.body)}`);
  assert.equal(reply.headers.get('x-ratelimit-limit'), String(limit), `${where}: x-ratelimit-limit`);
  assert.equal(
    reply.headers.get('x-ratelimit-remaining'),
    String(remaining),
    `${where}: x-ratelimit-remaining`,
  );
}

/** The 429: Webex error body with the header's tracking ID, Retry-After in whole seconds (≤ the window). */
function assertLimited(reply: Reply, limit: number, where: string): void {
  assert.equal(reply.status, 429, `${where}: ${JSON.stringify(reply.body)}`);
  const trackingId = reply.headers.get('trackingid');
  assert.ok(trackingId, `${where}: trackingid header`);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, where);
  assert.deepEqual(
    reply.body,
    { message: MESSAGES.rateLimited, errors: [{ description: MESSAGES.rateLimited }], trackingId },
    where,
  );
  const retryAfter = reply.headers.get('retry-after') ?? '';
  assert.match(retryAfter, /^[1-9]\d*$/, `${where}: retry-after is a positive whole number of seconds`);
  assert.ok(Number(retryAfter) <= 60, `${where}: retry-after ${retryAfter} is within the one-minute window`);
  assert.equal(reply.headers.get('x-ratelimit-limit'), String(limit), `${where}: x-ratelimit-limit`);
  assert.equal(reply.headers.get('x-ratelimit-remaining'), '0', `${where}: x-ratelimit-remaining`);
}

describe('rate limits in one process (buildApp)', () => {
  let server: TestServer | undefined;
  const start = async (settings: Partial<AppSettings>) => {
    server = await startTestServer(directory(FIXED_TOKENS), {
      // No load shedding: a busy test machine must not turn a request into a 503 here.
      settings: { maxEventLoopDelayMs: 0, ...settings },
    });
    return server;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('rateLimit 5: the 6th request of a token in the window is a 429; another token still gets 200', async () => {
    const { url } = await start({ rateLimit: 5 });
    for (let i = 1; i <= 5; i++) assertAllowed(await me(url, FIXED_TOKENS.user), 5, 5 - i, `request ${i}`);
    assertLimited(await me(url, FIXED_TOKENS.user), 5, 'request 6');
    // Still limited, whatever the route.
    assertLimited(
      await call(url, 'GET', '/v1/people?email=other%40limits.test', { token: FIXED_TOKENS.user }),
      5,
      'request 7',
    );
    assertAllowed(await me(url, FIXED_TOKENS.other), 5, 4, 'another token');
  });

  test('requests without a token are limited per address: the 6th from one address is a 429', async () => {
    // src/http/rate-limit.ts: "per token (per address without one)".
    const { url } = await start({ rateLimit: 5 });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await call(url, 'GET', '/v1/people/me')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  });

  /** How many times the server asked its store for a token so far. */
  async function tokenLookups(url: string): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    const families = parsePrometheusText(text);
    return sampleValue(families, 'rollcall_store_query_duration_seconds_count', { method: 'findToken' });
  }

  test('made-up tokens count against the address: 5 × 401 with a lookup each, then 429 with no lookup', async () => {
    const { url } = await start({ rateLimit: 5 });
    assertAllowed(await me(url, FIXED_TOKENS.user), 5, 4, 'a real token, before');
    const lookupsBefore = await tokenLookups(url);
    const statuses: number[] = [];
    for (let i = 1; i <= 300; i++) statuses.push((await me(url, `made-up-${i}`)).status);
    assert.deepEqual(statuses, [...Array<number>(5).fill(401), ...Array<number>(295).fill(429)]);
    assertLimited(await me(url, 'made-up-301'), 5, 'a further made-up token');
    assert.equal(
      (await tokenLookups(url)) - lookupsBefore,
      5,
      'one store lookup per failure, up to the budget',
    );
    // A real token this server knows keeps its own budget, even from the same address; one it does not
    // know yet waits for the window's end like the made-up ones (telling them apart takes a lookup).
    assertAllowed(await me(url, FIXED_TOKENS.user), 5, 3, 'a real token, after');
    assertLimited(await me(url, FIXED_TOKENS.other), 5, 'a real token not seen yet');
  });

  test("5,200 made-up tokens do not push a real token's counter out: its budget stays spent", async () => {
    const { url } = await start({ rateLimit: 3 });
    for (let i = 1; i <= 3; i++) assertAllowed(await me(url, FIXED_TOKENS.user), 3, 3 - i, `request ${i}`);
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < 5200) {
        sent += 1;
        const status = (await me(url, `flood-${sent}`)).status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.deepEqual(Object.fromEntries(statuses), { 401: 3, 429: 5197 });
    assertLimited(await me(url, FIXED_TOKENS.user), 3, 'request 4 of the real token');
  });

  test('routeRateLimits "POST /v1/people=2": the 3rd POST is a 429 while GETs keep going', async () => {
    const { url } = await start({ routeRateLimits: 'POST /v1/people=2' });
    const post = (token: string) => call(url, 'POST', '/v1/people', { token, json: createBody() });
    assertAllowed(await post(FIXED_TOKENS.admin), 2, 1, 'POST 1');
    assertAllowed(await post(FIXED_TOKENS.admin), 2, 0, 'POST 2');
    assertLimited(await post(FIXED_TOKENS.admin), 2, 'POST 3');
    for (let i = 1; i <= 5; i++) assertAllowed(await me(url, FIXED_TOKENS.admin), 6000, 6000 - i, `GET ${i}`);
    assertLimited(await post(FIXED_TOKENS.admin), 2, 'POST 4, after the GETs');
    assertAllowed(await post(FIXED_TOKENS.admin2), 2, 1, 'POST of another token');
  });
});

describe(`rate limits across two serve processes (${TEST_STORE})`, () => {
  let database: TestDatabase | undefined;
  const redisKeys = new Set<string>();
  after(async () => {
    await cleanUp();
    if (redisKeys.size > 0) {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        // Only the keys of this run's tokens (each test uses fresh random tokens).
        for (const pattern of redisKeys) {
          for (const key of await scanKeys(redis, pattern)) await redis.del(key);
        }
      } finally {
        redis.disconnect();
      }
    }
  });
  afterEach(async () => {
    await cleanUp();
    await database?.drop();
    database = undefined;
  });

  /** Two processes on one fresh database; the first seeds it, the second keeps it. */
  async function twoServers(
    extra: string[],
  ): Promise<{ a: ServeProcess; b: ServeProcess; tokens: typeof FIXED_TOKENS }> {
    const run = randomBytes(8).toString('hex');
    const tokens = {
      user: `rl-user-${run}`,
      other: `rl-other-${run}`,
      admin: `rl-admin-${run}`,
      admin2: `rl-admin2-${run}`,
    };
    for (const token of Object.values(tokens)) redisKeys.add(`rollcall-rate-limit:*${hashToken(token)}*`);
    database = await createTestDatabase();
    const args = ['--max-event-loop-delay-ms', '0', '--rate-limit', '10', ...extra];
    const seed = writeTempFile('directory.json', directory(tokens));
    const a = await spawnServer({ db: database.url, seed, args });
    const b = await spawnServer({ db: database.url, args });
    return { a, b, tokens };
  }

  test('with --redis the budget is shared: 6 requests on A and 5 on B, the 11th overall is a 429', async () => {
    const { a, b, tokens } = await twoServers(['--redis', REDIS_URL]);
    for (let i = 1; i <= 6; i++) assertAllowed(await me(a.url, tokens.user), 10, 10 - i, `A, request ${i}`);
    for (let i = 7; i <= 10; i++) assertAllowed(await me(b.url, tokens.user), 10, 10 - i, `B, request ${i}`);
    assertLimited(await me(b.url, tokens.user), 10, 'B, request 11');
    assertLimited(await me(a.url, tokens.user), 10, 'A, request 12');
    assertAllowed(await me(b.url, tokens.other), 10, 9, 'B, another token');

    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await redis.connect();
      assert.deepEqual(await scanKeys(redis, `rollcall-rate-limit:*${hashToken(tokens.user)}*`), [
        `rollcall-rate-limit:token:${hashToken(tokens.user)}`,
      ]);
      assert.equal(await redis.get(`rollcall-rate-limit:token:${hashToken(tokens.user)}`), '12');
    } finally {
      redis.disconnect();
    }
  });

  test('without --redis each process has its own budget: 10 on A and 10 on B succeed', async () => {
    const { a, b, tokens } = await twoServers([]);
    for (let i = 1; i <= 10; i++) assertAllowed(await me(a.url, tokens.user), 10, 10 - i, `A, request ${i}`);
    for (let i = 1; i <= 10; i++) assertAllowed(await me(b.url, tokens.user), 10, 10 - i, `B, request ${i}`);
    assertLimited(await me(a.url, tokens.user), 10, 'A, request 11');
    assertLimited(await me(b.url, tokens.user), 10, 'B, request 11');
  });
});

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}
