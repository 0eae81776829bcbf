import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { controlOptionsFor } from '../src/control/control-options.js';
import { control, controlDirectory, TOKEN } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, errorBody, type JsonResponse } from './helpers/wire.js';

// Who may use the control API: on loopback anyone on the machine (no token), else only the holder of
// --control-token; person tokens never, and the control token never on the Webex API.

const UNAUTHORIZED = 'The request requires a valid access token set in the Authorization request header.';
const TOKEN_REQUIRED =
  'The control API requires Authorization: Bearer <control token> (set with --control-token); person tokens do not work here.';
const TOKEN_UNEXPECTED =
  'This server has no control token: send control calls without an Authorization header (person tokens do not work here).';
const SECRET = 'control-secret-0123456789';

function assertRefused(
  res: JsonResponse,
  status: number,
  message: string,
  description: string,
  where: string,
) {
  const trackingId = res.headers.get('trackingid') ?? '';
  assert.equal(res.status, status, where);
  assert.deepEqual(res.body, errorBody(message, trackingId, description), where);
}

const assertUnauthorized = (res: JsonResponse, description: string, where: string) =>
  assertRefused(res, 401, UNAUTHORIZED, description, where);

describe('a loopback server without a control token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(controlDirectory());
  });
  after(() => server.close());

  test('takes control calls without an Authorization header', async () => {
    assert.equal((await control(server, 'GET', '/clock')).status, 200);
  });

  test('refuses calls a proxy forwarded: they may come from anywhere', async () => {
    const proxied: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7' },
      { 'x-real-ip': '1.2.3.4' },
      { 'X-Forwarded-Host': 'rollcall.example' },
      { 'x-forwarded-proto': 'https' },
      { 'x-client-ip': '1.2.3.4' },
      { 'true-client-ip': '1.2.3.4' },
      { 'cf-connecting-ip': '1.2.3.4' },
    ];
    for (const header of proxied) {
      const res = await call(server, '/rollcall/v1/clock', { headers: header });
      assertRefused(
        res,
        403,
        'The request is understood, but it has been refused or access is not allowed.',
        'This server has no control token, so its control API answers only direct calls from this machine, not calls through a proxy.',
        JSON.stringify(header),
      );
    }
  });

  test('refuses person tokens (and any other bearer token)', async () => {
    for (const token of [TOKEN.admin, TOKEN.user, SECRET]) {
      assertUnauthorized(await control(server, 'GET', '/clock', { token }), TOKEN_UNEXPECTED, token);
      assertUnauthorized(
        await control(server, 'PUT', '/clock', { token, body: { advance: '1h' } }),
        TOKEN_UNEXPECTED,
        token,
      );
    }
    assert.deepEqual((await control(server, 'GET', '/clock')).body, {
      now: '2026-01-15T12:00:00.000Z',
      mode: 'frozen',
      offsetMs: 0,
    });
  });
});

describe('a server with a control token', () => {
  let server: TestServer;
  before(async () => {
    const directory = controlDirectory();
    // A directory token equal to the control secret must not open the Webex API either.
    directory.people[1]?.tokens?.push(SECRET);
    server = await startTestServer(directory, {
      control: controlOptionsFor({ host: '0.0.0.0', controlToken: SECRET, trustProxy: false }),
    });
  });
  after(() => server.close());

  test('takes control calls with exactly that token', async () => {
    assert.equal((await control(server, 'GET', '/clock', { token: SECRET })).status, 200);
    assert.equal((await control(server, 'GET', '/requests', { token: SECRET })).status, 200);
  });

  test('refuses control calls without it, with another secret, or with a person token', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'no token'],
      [`${SECRET}x`, 'a longer secret'],
      [SECRET.slice(0, -1), 'a prefix'],
      [TOKEN.admin, 'a person token'],
    ];
    for (const [token, where] of cases) {
      assertUnauthorized(
        await control(server, 'POST', '/reset', token === undefined ? {} : { token }),
        TOKEN_REQUIRED,
        where,
      );
    }
  });

  test('the Webex API refuses the control token', async () => {
    const res = await fetch(`${server.url}/v1/people/me`, { headers: { authorization: `Bearer ${SECRET}` } });
    const body: unknown = await res.json();
    assertError({ status: res.status, headers: res.headers, body }, 401, UNAUTHORIZED);
    assert.equal((await server.request('/v1/people/me', { token: TOKEN.user })).status, 200);
  });
});

describe('wrong control tokens, per client address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(controlDirectory(), {
      control: controlOptionsFor({ host: '0.0.0.0', controlToken: SECRET, trustProxy: false }),
    });
  });
  after(() => server.close());

  /** GET /rollcall/v1/clock from a given loopback address (127.0.0.0/8 all reach 127.0.0.1). */
  function clockFrom(localAddress: string, token: string): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${server.url}/rollcall/v1/clock`);
      const request = http.get(
        url,
        { localAddress, headers: { authorization: `Bearer ${token}` }, timeout: 5000, agent: false },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') headers.set(name, value);
            }
            resolve({ status: response.statusCode ?? 0, headers, body: JSON.parse(text) as unknown });
          });
        },
      );
      request.on('error', reject);
      request.on('timeout', () => request.destroy(new Error('timeout')));
    });
  }

  test('10 failures in a minute: then 429 with Retry-After, even with the right token; other addresses unaffected', async () => {
    for (let i = 0; i < 10; i++) {
      assertUnauthorized(await clockFrom('127.0.0.2', `wrong-${i}`), TOKEN_REQUIRED, `attempt ${i + 1}`);
    }
    for (const token of ['wrong-10', SECRET]) {
      const res = await clockFrom('127.0.0.2', token);
      assertRefused(
        res,
        429,
        'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
        'Too many requests have been sent in a given amount of time; retry after the Retry-After delay.',
        token,
      );
      const retryAfter = Number(res.headers.get('retry-after'));
      assert.ok(
        Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
        `Retry-After ${retryAfter}`,
      );
    }
    assert.equal((await clockFrom('127.0.0.3', SECRET)).status, 200);
    assertUnauthorized(await clockFrom('127.0.0.3', 'wrong'), TOKEN_REQUIRED, 'another address');
  });
});

describe('a server with the control API off', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(controlDirectory(), {
      control: controlOptionsFor({ host: '0.0.0.0', trustProxy: false }),
    });
  });
  after(() => server.close());

  test('answers 404 on every control path', async () => {
    for (const [method, path] of [
      ['GET', '/clock'],
      ['PUT', '/clock'],
      ['POST', '/reset'],
      ['GET', '/requests'],
      ['POST', '/faults'],
    ] as const) {
      assertError(
        await control(server, method, path, method === 'GET' ? {} : { body: {} }),
        404,
        'The requested resource could not be found.',
        `${method} ${path}`,
      );
    }
    assert.equal((await server.request('/v1/people/me', { token: TOKEN.user })).status, 200);
  });
});

describe('controlOptionsFor (rollcall serve)', () => {
  test('is on for loopback addresses (not behind a proxy), elsewhere only with a token', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'LOCALHOST',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      assert.deepEqual(controlOptionsFor({ host, trustProxy: false }), { enabled: true }, host);
      // Behind a reverse proxy anyone may reach a loopback address.
      assert.deepEqual(controlOptionsFor({ host, trustProxy: true }), { enabled: false }, host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'rollcall.internal', '128.0.0.1']) {
      assert.deepEqual(controlOptionsFor({ host, trustProxy: false }), { enabled: false }, host);
      for (const trustProxy of [false, true]) {
        assert.deepEqual(
          controlOptionsFor({ host, controlToken: SECRET, trustProxy }),
          { enabled: true, token: SECRET },
          host,
        );
      }
    }
  });
});
