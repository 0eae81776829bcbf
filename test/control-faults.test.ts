import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { seededRandom } from '../src/lib/seeded-random.js';
import { control, controlDirectory, TOKEN } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, type Json, type JsonResponse } from './helpers/wire.js';

// POST /rollcall/v1/faults: Webex requests answered with real Webex errors (and Retry-After), or delayed.

const WEBEX = {
  429: 'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
  423: 'The requested resource is temporarily unavailable. Retry after the Retry-After delay.',
  500: 'Something went wrong on the server. If the issue persists, contact the server administrator.',
  502: 'The server received an invalid response from an upstream server while processing the request. Try again later.',
  503: 'Server is overloaded with requests. Try again later.',
  504: 'An upstream server failed to respond on time. If your query uses max parameter, please try to reduce it.',
} as const;

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());
afterEach(async () => {
  assert.equal((await control(server, 'DELETE', '/faults')).status, 204);
});

const me = (s: TestServer = server) => call(s, '/v1/people/me', { token: TOKEN.user });

async function addFault(body: Json, s: TestServer = server): Promise<Json> {
  const res = await control(s, 'POST', '/faults', { body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Json;
}

function assertFault(res: JsonResponse, status: keyof typeof WEBEX, retryAfter: string | null): void {
  assertError(res, status, WEBEX[status], `${status}`);
  assert.equal(res.headers.get('retry-after'), retryAfter, `retry-after of ${status}`);
}

describe('fault rules', () => {
  test('a rule with count 2 fails exactly two requests, then stops', async () => {
    const rule = await addFault({
      method: 'GET',
      path: '/v1/people/*',
      status: 429,
      retryAfter: 2,
      count: 2,
    });
    assert.match(rule.id as string, /^fault-\d+$/);
    assert.deepEqual(rule, {
      id: rule.id,
      method: 'GET',
      path: '/v1/people/*',
      status: 429,
      retryAfter: 2,
      count: 2,
      remaining: 2,
      fired: 0,
    });
    assertFault(await me(), 429, '2');
    assertFault(await me(), 429, '2');
    assert.equal((await me()).status, 200);
    assert.equal((await me()).status, 200);
    const list = await control(server, 'GET', '/faults');
    assert.deepEqual(list.body, { items: [{ ...rule, remaining: 0, fired: 2 }] });
  });

  test('the count holds under concurrent requests', async () => {
    await addFault({ path: '/v1/**', status: 503, count: 3 });
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => me()))).map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 503).length, 3);
    assert.equal(statuses.filter((s) => s === 200).length, 9);
  });

  test('each status carries its Webex error body, and Retry-After exactly where Webex sends it', async () => {
    const expected: [keyof typeof WEBEX, string | null][] = [
      [429, '1'],
      [423, '7'],
      [503, '1'],
      [500, null],
      [502, null],
      [504, null],
    ];
    for (const [status, retryAfter] of expected) {
      await addFault({
        path: '/v1/people/me',
        status,
        count: 1,
        ...(status === 423 && { retryAfter: 7 }),
      });
      const res = await call(server, '/v1/people/me', {
        token: TOKEN.user,
        headers: { trackingid: `fault-${status}` },
      });
      assertFault(res, status, retryAfter);
      assert.equal(res.headers.get('trackingid'), `fault-${status}`);
      assert.equal((res.body as Json).trackingId, `fault-${status}`);
    }
    assert.equal((await me()).status, 200);
  });

  test('rules match the method and the path glob', async () => {
    await addFault({ method: 'post', path: '/v1/people', status: 500 });
    const get = await addFault({ method: 'GET', path: '/v1/people/*', status: 502 });
    assertFault(
      await call(server, '/v1/people', {
        method: 'POST',
        token: TOKEN.admin,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emails: ['x@control.test'], displayName: 'X' }),
      }),
      500,
      null,
    );
    // GET /v1/people is neither the POST rule's method nor under /v1/people/.
    assert.equal(
      (await call(server, '/v1/people?email=user@control.test', { token: TOKEN.admin })).status,
      200,
    );
    assertFault(await call(server, '/v1/people/', { token: TOKEN.admin }), 502, null);
    assertFault(await me(), 502, null);
    // Without a method, any; and paths Rollcall does not serve are Webex requests too.
    await control(server, 'DELETE', `/faults/${get.id as string}`);
    await addFault({ path: '/v1/**', status: 504 });
    assertFault(await call(server, '/v1/rooms', { token: TOKEN.admin }), 504, null);
    assertFault(await me(), 504, null);
  });

  test('probability draws from a seed: the same requests fail every time', async () => {
    await addFault({ path: '/v1/people/me', status: 503, probability: 0.5, seed: 42 });
    const random = seededRandom(42);
    const expected = Array.from({ length: 20 }, () => (random() < 0.5 ? 503 : 200));
    assert.ok(expected.includes(503) && expected.includes(200));
    const actual: number[] = [];
    for (let i = 0; i < 20; i++) actual.push((await me()).status);
    assert.deepEqual(actual, expected);
    const [rule] = ((await control(server, 'GET', '/faults')).body as { items: Json[] }).items;
    assert.equal(rule?.fired, expected.filter((s) => s === 503).length);
  });

  test('delayMs delays the answer (real time), with or without an error', async () => {
    await addFault({ path: '/v1/people/me', delayMs: 400, count: 1 });
    let start = performance.now();
    assert.equal((await me()).status, 200);
    assert.ok(performance.now() - start >= 390, `${performance.now() - start} ms`);

    await addFault({ path: '/v1/people/me', status: 502, delayMs: 300, count: 1 });
    start = performance.now();
    assertFault(await me(), 502, null);
    assert.ok(performance.now() - start >= 290);

    start = performance.now();
    assert.equal((await me()).status, 200);
    assert.ok(performance.now() - start < 290);
  });

  test('the first matching rule that fires applies; control calls are never faulted', async () => {
    await addFault({ path: '/v1/**', status: 500, probability: 0 });
    await addFault({ path: '/v1/**', status: 423 });
    assertFault(await me(), 423, '1');
    assert.equal((await control(server, 'GET', '/clock')).status, 200);
    const rules = ((await control(server, 'GET', '/faults')).body as { items: Json[] }).items;
    assert.deepEqual(
      rules.map((r) => [r.status, r.fired]),
      [
        [500, 0],
        [423, 1],
      ],
    );
  });

  test('authentication comes first: a bad token is still a 401, and the rule does not fire', async () => {
    await addFault({ path: '/v1/**', status: 503 });
    assertError(
      await call(server, '/v1/people/me', { token: 'not-a-token' }),
      401,
      'The request requires a valid access token set in the Authorization request header.',
    );
    const [rule] = ((await control(server, 'GET', '/faults')).body as { items: Json[] }).items;
    assert.equal(rule?.fired, 0);
    assertFault(await me(), 503, '1');
  });

  test('DELETE removes one rule or all of them', async () => {
    const first = await addFault({ path: '/v1/**', status: 500 });
    await addFault({ path: '/v1/**', status: 502 });
    assert.equal((await control(server, 'DELETE', `/faults/${first.id as string}`)).status, 204);
    assertFault(await me(), 502, null);
    assertError(
      await control(server, 'DELETE', `/faults/${first.id as string}`),
      404,
      'Fault rule not found.',
    );
    assert.equal((await control(server, 'DELETE', '/faults')).status, 204);
    assert.deepEqual((await control(server, 'GET', '/faults')).body, { items: [] });
    assert.equal((await me()).status, 200);
  });

  test('a bad rule is a 400', async () => {
    const cases: [Json, string][] = [
      [{ path: '/v1/people' }, "A fault rule needs a 'status', a 'delayMs' or both."],
      [
        { path: '/v1/people', status: 418 },
        "Invalid field 'status' in the request body: must be equal to one of the allowed values.",
      ],
      [
        { path: '/v1/people', status: 500, retryAfter: 5 },
        "Invalid field 'retryAfter' in the request body: Webex sends Retry-After only with 429, 423 and 503.",
      ],
      [
        { path: '/rollcall/v1/clock', status: 500 },
        "Invalid field 'path' in the request body: faults apply to Webex API paths, which start with /v1/.",
      ],
      [
        { path: '/v1/people', status: 500, probability: 2 },
        "Invalid field 'probability' in the request body: must be <= 1.",
      ],
      [
        { path: '/v1/people', status: 500, count: 0 },
        "Invalid field 'count' in the request body: must be >= 1.",
      ],
      [{ status: 500 }, "Missing required field 'path' in the request body."],
    ];
    for (const [body, message] of cases) {
      assertError(await control(server, 'POST', '/faults', { body }), 400, message, JSON.stringify(body));
    }
    assert.deepEqual((await control(server, 'GET', '/faults')).body, { items: [] });
  });
});

describe('fault rules without a seed', () => {
  let injected: TestServer;
  before(async () => {
    injected = await startTestServer(controlDirectory(), { control: { enabled: true, random: () => 0.7 } });
  });
  after(() => injected.close());

  test('draw from the injected random source', async () => {
    await addFault({ path: '/v1/people/me', status: 500, probability: 0.5 }, injected);
    assert.equal((await me(injected)).status, 200);
    await addFault({ path: '/v1/people/me', status: 503, probability: 0.75 }, injected);
    assertFault(await me(injected), 503, '1');
  });
});
