import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  ADMIN,
  directory,
  EXPIRES,
  NOW,
  ORG,
  TARGET_ID,
  TEMP,
  target,
  targetWithCallingData,
} from './helpers/errors-fixture.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import {
  assertError,
  call,
  GENERATED_TRACKING_ID,
  getOk,
  hydra,
  MESSAGES,
  type Json,
  type JsonResponse,
} from './helpers/wire.js';

// Every error status of GET /v1/people/{personId} and /v1/people/me, with its exact body and
// headers: {message, errors: [{description}], trackingId} as application/json, and a trackingid
// header on every response (the client's own if it sent a sane one).

let server: TestServer;
before(async () => {
  server = await startTestServer(directory, { now: NOW, settings: { activityFlushMs: 50 } });
});
afterEach(() => server.clock.set(NOW));
after(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => call(server, path, { headers });
const withToken = (path: string, init: RequestInit = {}) =>
  call(server, path, { ...init, token: 'token-admin' });
const json = (method: string, body: string): RequestInit => ({
  method,
  body,
  headers: { 'content-type': 'application/json' },
});

describe('401 Unauthorized', () => {
  const cases: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['Basic credentials', { authorization: 'Basic x' }],
    ['"Bearer" alone', { authorization: 'Bearer' }],
    ['a known token after another scheme', { authorization: 'Token token-admin' }],
    ['two tokens', { authorization: 'Bearer token-admin token-admin' }],
    ['an unknown token', { authorization: 'Bearer no-such-token' }],
    ['a token that expired before the server started', { authorization: 'Bearer token-expired' }],
  ];
  for (const [name, headers] of cases) {
    test(`${name}: 401 with the error body, before anything else is looked at`, async () => {
      for (const path of ['/v1/people/me', `/v1/people/${TARGET_ID}`, '/v1/people/nobody?callingData=yes']) {
        const id = assertError(await get(path, headers), 401, MESSAGES.unauthorized, `${name} ${path}`);
        assert.match(id, GENERATED_TRACKING_ID);
      }
    });
  }

  test('a token stops working once the clock passes its expiry, even after it was used', async () => {
    assert.equal((await call(server, '/v1/people/me', { token: 'token-expiring' })).status, 200);
    server.clock.set(EXPIRES - 1);
    assert.equal((await call(server, '/v1/people/me', { token: 'token-expiring' })).status, 200);
    server.clock.set(EXPIRES + 1);
    for (const path of ['/v1/people/me', `/v1/people/${TARGET_ID}`]) {
      assertError(await call(server, path, { token: 'token-expiring' }), 401, MESSAGES.unauthorized, path);
    }
  });

  test('the scheme is case-insensitive: "bearer" works', async () => {
    const res = await get(`/v1/people/${TARGET_ID}`, { authorization: 'bearer token-admin' });
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: target });
  });
});

describe('404 Not Found', () => {
  test('an unknown or malformed person ID: "Person not found."', async () => {
    for (const ref of [
      'e4400000-0000-4000-8000-000000000999',
      hydra('PEOPLE', 'e4400000-0000-4000-8000-000000000999'),
      'not-an-id',
      hydra('PEOPLE', 'not-a-uuid'),
      hydra('ORGANIZATION', ORG),
      '%F0%9F%99%82',
    ]) {
      assertError(await withToken(`/v1/people/${ref}`), 404, MESSAGES.personNotFound, ref);
      assertError(await withToken(`/v1/people/${ref}?callingData=true`), 404, MESSAGES.personNotFound, ref);
    }
  });

  test('an unknown path: the error body', async () => {
    for (const path of [
      '/v1/nothing',
      '/v2/people/me',
      '/v1/people/me/extra',
      `/v1/people/${TARGET_ID}/x`,
      '/',
    ]) {
      assertError(await withToken(path), 404, MESSAGES.resourceNotFound, path);
    }
  });
});

describe('400 Bad Request', () => {
  for (const query of [
    'callingData=yes',
    'callingData=1',
    'callingData=',
    'callingData=true&callingData=true',
  ]) {
    test(`${query}: 400 naming the parameter`, async () => {
      for (const path of ['/v1/people/me', `/v1/people/${TARGET_ID}`]) {
        assertError(await withToken(`${path}?${query}`), 400, MESSAGES.badCallingData, path);
      }
    });
  }

  test('callingData in any case is a boolean: TRUE, True, true, FALSE', async () => {
    for (const value of ['TRUE', 'True', 'true', 'tRuE']) {
      assert.deepEqual(
        await getOk(server, `/v1/people/${TARGET_ID}?callingData=${value}`, 'token-admin'),
        targetWithCallingData,
      );
    }
    for (const value of ['FALSE', 'False', 'false']) {
      assert.deepEqual(
        await getOk(server, `/v1/people/${TARGET_ID}?callingData=${value}`, 'token-admin'),
        target,
      );
    }
  });
});

describe('405 Method Not Allowed', () => {
  // /me is only read; /{personId} is also updated (PUT) and deleted (DELETE), see people-api.md Part A.
  const cases: [string, string, string[]][] = [
    ['/v1/people/me', 'POST', ['GET', 'HEAD']],
    ['/v1/people/me', 'PUT', ['GET', 'HEAD']],
    ['/v1/people/me', 'DELETE', ['GET', 'HEAD']],
    ['/v1/people/me', 'PATCH', ['GET', 'HEAD']],
    [`/v1/people/${TARGET_ID}`, 'POST', ['DELETE', 'GET', 'HEAD', 'PUT']],
    [`/v1/people/${TARGET_ID}`, 'PATCH', ['DELETE', 'GET', 'HEAD', 'PUT']],
  ];
  for (const [path, method, allowed] of cases) {
    test(`${method} ${path.replace(TARGET_ID, '{personId}')}: 405 with Allow: ${allowed.join(', ')}`, async () => {
      const res = await withToken(path, method === 'DELETE' ? { method } : json(method, '{}'));
      assertError(res, 405, MESSAGES.methodNotAllowed, `${method} ${path}`);
      const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim());
      assert.deepEqual(allow.sort(), allowed);
    });
  }
});

describe('tracking IDs', () => {
  type Send = (headers: Record<string, string>) => Promise<JsonResponse>;
  const admin =
    (path: string, method = 'GET'): Send =>
    (headers) =>
      call(server, path, { method, headers, token: 'token-admin' });
  const requests: [string, Send][] = [
    ['200 /healthz', (headers) => get('/healthz', headers)],
    ['200 /me', admin('/v1/people/me')],
    ['401', (headers) => get('/v1/people/me', headers)],
    ['404 person', admin('/v1/people/nobody')],
    ['404 path', admin('/v1/nothing')],
    ['400', admin('/v1/people/me?callingData=yes')],
    ['405', admin('/v1/people/me', 'DELETE')],
  ];

  test('every response has a generated ROLLCALL_<UUID> trackingid header, a new one each time', async () => {
    const seen = new Set<string>();
    for (const [name, send] of requests) {
      for (let i = 0; i < 2; i++) {
        const res = await send({});
        const id = res.headers.get('trackingid') ?? '';
        assert.match(id, GENERATED_TRACKING_ID, name);
        if (res.status >= 400) assertError(res, res.status, (res.body as Json).message as string, name);
        assert.equal(seen.has(id), false, `${name}: ${id} seen before`);
        seen.add(id);
      }
    }
  });

  test("a client's trackingid is echoed in the header and in the error body", async () => {
    const sdk = 'webex-js-sdk_0f8fad5b-d9cb-469f-a165-70867728950e_7';
    for (const [name, send] of requests) {
      for (const sent of ['my-client_1234', sdk, 'x'.repeat(200)]) {
        const res = await send({ trackingid: sent });
        assert.equal(res.headers.get('trackingid'), sent, name);
        if (res.status >= 400) assertError(res, res.status, (res.body as Json).message as string, name);
      }
    }
  });

  test('a trackingid that is too long or has spaces is replaced by a generated one', async () => {
    for (const sent of ['x'.repeat(201), 'has spaces in it']) {
      for (const [name, send] of requests) {
        const res = await send({ trackingid: sent });
        assert.match(res.headers.get('trackingid') ?? '', GENERATED_TRACKING_ID, name);
      }
    }
  });
});

describe('bad requests change nothing', () => {
  const snapshot = async () => {
    await sleep(200); // several activity flush intervals (50 ms)
    return server.store.readDirectory();
  };

  test('requests that fail authentication leave the store exactly as it was', async () => {
    const before = await snapshot();
    for (const authorization of ['Basic x', 'Bearer', 'Bearer no-such-token', 'Bearer token-expired']) {
      for (const path of [
        '/v1/people/me',
        `/v1/people/${TARGET_ID}?callingData=true`,
        '/v1/people/x?callingData=1',
      ]) {
        assert.equal((await get(path, { authorization })).status, 401);
      }
    }
    assert.equal((await get('/v1/people/me')).status, 401);
    assert.deepEqual(await snapshot(), before);
  });

  test('malformed requests with a valid token (400, 405, unknown path) change nothing, not even activity', async () => {
    const before = await snapshot();
    server.clock.set(NOW + 42_000);
    for (const query of ['callingData=yes', 'callingData=1', 'callingData=true&callingData=false']) {
      assert.equal((await withToken(`/v1/people/me?${query}`)).status, 400, query);
      assert.equal((await withToken(`/v1/people/${TARGET_ID}?${query}`)).status, 400, query);
    }
    for (const method of ['POST', 'PUT', 'PATCH']) {
      assert.equal((await withToken('/v1/people/me', json(method, '{"displayName":"Changed"}'))).status, 405);
    }
    assert.equal((await withToken('/v1/people/me', { method: 'DELETE' })).status, 405);
    for (const method of ['POST', 'PATCH']) {
      const res = await withToken(`/v1/people/${TARGET_ID}`, json(method, '{"displayName":"Changed"}'));
      assert.equal(res.status, 405);
    }
    assert.equal((await withToken('/v1/nothing')).status, 404);
    assert.deepEqual(await snapshot(), before);
  });

  test('a request for an unknown person changes nothing but the caller’s last activity', async () => {
    const before = await snapshot();
    server.clock.set(NOW + 43_000);
    assert.equal((await withToken('/v1/people/nobody')).status, 404);
    assert.equal((await withToken(`/v1/people/${hydra('PEOPLE', ORG)}?callingData=true`)).status, 404);
    // An update without the required displayName is rejected as a whole.
    assert.equal(
      (await withToken(`/v1/people/${TARGET_ID}`, json('PUT', '{"title":"Changed"}'))).status,
      400,
    );
    const expected = {
      ...before,
      people: before.people.map((p) => (p.id === ADMIN ? { ...p, lastActivity: NOW + 43_000 } : p)),
    };
    assert.deepEqual(await snapshot(), expected);
  });
});

describe('500 Internal Server Error', () => {
  let broken: TestServer;
  before(async () => {
    broken = await startTestServer(directory, { now: NOW });
  });
  // The store is closed below; closing it again on shutdown is harmless, and the activity the
  // requests recorded cannot be written (the tracker reports that to the silent log).
  after(() => broken.close());

  test('a failing store gives the generic 500 body, without internals', async () => {
    // The token is resolved (and cached) while the store works; people not read before come from the store.
    assert.equal((await call(broken, '/v1/people/me', { token: 'token-admin' })).status, 200);
    await broken.store.close();
    for (const path of [`/v1/people/${TARGET_ID}`, `/v1/people/${TEMP}?callingData=true`]) {
      const res = await broken.request(path, { token: 'token-admin' });
      const text = await res.text();
      const trackingId = res.headers.get('trackingid') ?? '';
      assert.match(trackingId, GENERATED_TRACKING_ID);
      assertError(
        { status: res.status, headers: res.headers, body: JSON.parse(text) },
        500,
        MESSAGES.internal,
        path,
      );
      for (const leak of [
        'sqlite',
        'SQL',
        'stack',
        'database',
        'Error',
        '/work',
        '/tmp',
        'node_modules',
        '.ts',
      ]) {
        assert.equal(text.includes(leak), false, `${path}: body mentions ${leak}: ${text}`);
      }
    }
  });
});
