import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ADMIN, control, controlDirectory, TOKEN, USER } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, hydra, type Json } from './helpers/wire.js';

// GET /rollcall/v1/requests: the most recent Webex API requests, in memory, never control calls.

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());
beforeEach(async () => {
  assert.equal((await control(server, 'DELETE', '/requests')).status, 204);
});

const get = (path: string, token: string | undefined, trackingid: string, s = server) =>
  call(s, path, { ...(token !== undefined && { token }), headers: { trackingid } });

async function logged(query = '', s = server): Promise<Json[]> {
  const res = await control(s, 'GET', `/requests${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const items = (res.body as { items: Json[] }).items;
  for (const item of items) assert.equal(typeof item.durationMs, 'number');
  return items.map((item) => {
    const rest = { ...item };
    delete rest.durationMs;
    return rest;
  });
}

const entry = (
  method: string,
  path: string,
  query: string,
  status: number,
  trackingId: string,
  person?: string,
) => ({
  time: '2026-01-15T12:00:00.000Z',
  method,
  path,
  query,
  status,
  trackingId,
  personId: person === undefined ? null : hydra('PEOPLE', person),
});

describe('the request log', () => {
  test('records every Webex request, oldest first, and no control call', async () => {
    await get('/v1/people/me', TOKEN.user, 't-1');
    await get('/v1/people?email=admin%40control.test&max=5', TOKEN.admin, 't-2');
    await get('/v1/people/me', 'not-a-token', 't-3');
    await get('/v1/rooms', TOKEN.user, 't-4');
    await control(server, 'POST', '/faults', { body: { path: '/v1/people/me', status: 429, count: 1 } });
    await get('/v1/people/me', TOKEN.admin, 't-5');
    await control(server, 'DELETE', '/faults');
    await call(server, '/healthz');
    assert.deepEqual(await logged(), [
      entry('GET', '/v1/people/me', '', 200, 't-1', USER),
      entry('GET', '/v1/people', 'email=admin%40control.test&max=5', 200, 't-2', ADMIN),
      entry('GET', '/v1/people/me', '', 401, 't-3'),
      entry('GET', '/v1/rooms', '', 404, 't-4'),
      entry('GET', '/v1/people/me', '', 429, 't-5', ADMIN),
    ]);
  });

  test('time is the server clock; duration the real time the answer took', async () => {
    await control(server, 'PUT', '/clock', { body: { now: '2026-06-01T00:00:00Z' } });
    await control(server, 'POST', '/faults', { body: { path: '/v1/**', delayMs: 250, count: 1 } });
    await get('/v1/people/me', TOKEN.user, 'slow');
    await control(server, 'PUT', '/clock', { body: { now: '2026-01-15T12:00:00Z' } });
    const res = await control(server, 'GET', '/requests');
    const [item] = (res.body as { items: Json[] }).items;
    assert.equal(item?.time, '2026-06-01T00:00:00.000Z');
    assert.ok((item?.durationMs as number) >= 240, String(item?.durationMs));
  });

  test('limit gives the most recent ones (100 by default)', async () => {
    for (let i = 1; i <= 105; i++) await get('/v1/people/me', TOKEN.user, `n-${i}`);
    const all = await logged();
    assert.equal(all.length, 100);
    assert.equal(all[0]?.trackingId, 'n-6');
    assert.equal(all[99]?.trackingId, 'n-105');
    assert.deepEqual(
      (await logged('?limit=2')).map((e) => e.trackingId),
      ['n-104', 'n-105'],
    );
    assertError(
      await control(server, 'GET', '/requests?limit=0'),
      400,
      "Invalid value for query parameter 'limit': must be >= 1.",
    );
  });

  describe('bounded in memory', () => {
    let small: TestServer;
    before(async () => {
      small = await startTestServer(controlDirectory(), { control: { enabled: true, requestLogSize: 3 } });
    });
    after(() => small.close());

    test('keeps only the newest entries', async () => {
      for (let i = 1; i <= 5; i++) await get('/v1/people/me', TOKEN.user, `r-${i}`, small);
      assert.deepEqual(
        (await logged('?limit=10', small)).map((e) => e.trackingId),
        ['r-3', 'r-4', 'r-5'],
      );
    });
  });
});
