import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { control, controlDirectory, IDLE, TOKEN, USER } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, getOk, hydra, type Json } from './helpers/wire.js';

// PUT /rollcall/v1/people/{personId}/presence: explicit state, last activity and status sharing.

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());
beforeEach(async () => {
  assert.equal((await control(server, 'POST', '/reset')).status, 200);
  assert.equal(
    (await control(server, 'PUT', '/clock', { body: { now: '2026-01-15T12:00:00Z' } })).status,
    200,
  );
});

const idle = hydra('PEOPLE', IDLE);
const webexView = async (id = idle) => (await getOk(server, `/v1/people/${id}`, TOKEN.admin)) as Json;

async function setPresence(person: string, body: unknown): Promise<Json> {
  const res = await control(server, 'PUT', `/people/${encodeURIComponent(person)}/presence`, { body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Json;
}

describe('presence', () => {
  test('an explicit state wins over activity until cleared', async () => {
    assert.deepEqual(await setPresence(idle, { state: 'meeting' }), {
      personId: idle,
      state: 'meeting',
      lastActivity: '2026-01-15T11:55:00.000Z',
      sharing: true,
      status: 'meeting',
    });
    assert.equal((await webexView()).status, 'meeting');
    assert.equal((await setPresence(idle, { state: null })).status, 'active');
    assert.equal((await webexView()).status, 'active');
  });

  test('lastActivity: an instant (also backward), "now" by the server clock, or null (never signed in)', async () => {
    const earlier = await setPresence(idle, { lastActivity: '2026-01-15T10:00:00Z' });
    assert.deepEqual([earlier.lastActivity, earlier.status], ['2026-01-15T10:00:00.000Z', 'inactive']);
    assert.deepEqual(
      [(await webexView()).status, (await webexView()).lastActivity],
      ['inactive', '2026-01-15T10:00:00.000Z'],
    );

    await control(server, 'PUT', '/clock', { body: { now: '2026-01-16T08:00:00Z' } });
    const now = await setPresence(idle, { lastActivity: 'now' });
    assert.deepEqual([now.lastActivity, now.status], ['2026-01-16T08:00:00.000Z', 'active']);

    const never = await setPresence(idle, { lastActivity: null });
    assert.deepEqual([never.lastActivity, never.status], [null, 'pending']);
    const view = await webexView();
    assert.equal(view.status, 'pending');
    assert.equal('lastActivity' in view, false);
  });

  test('partial updates keep the other fields; lastModified stays as it was', async () => {
    const before = await webexView();
    await setPresence(idle, { state: 'DoNotDisturb' });
    const shared = await setPresence(idle, { sharing: false });
    assert.deepEqual(shared, {
      personId: idle,
      state: 'DoNotDisturb',
      lastActivity: '2026-01-15T11:55:00.000Z',
      sharing: false,
      status: 'DoNotDisturb',
    });
    assert.deepEqual(await setPresence(idle, {}), shared);
    // Not shared: the admin no longer sees status or last activity; the rest is unchanged.
    const after = await webexView();
    assert.equal('status' in after, false);
    assert.equal('lastActivity' in after, false);
    assert.equal(after.lastModified, before.lastModified);
    assert.equal((await setPresence(idle, { sharing: true })).sharing, true);
    assert.equal((await webexView()).status, 'DoNotDisturb');
  });

  test('activity still in memory does not overtake what is set', async () => {
    // The user's own request is activity at 12:00 (kept in memory: the flush interval is a minute).
    assert.equal((await call(server, '/v1/people/me', { token: TOKEN.user })).status, 200);
    const user = hydra('PEOPLE', USER);
    assert.equal((await webexView(user)).status, 'active');
    const set = await setPresence(user, { lastActivity: '2026-01-15T09:00:00Z' });
    assert.deepEqual([set.lastActivity, set.status], ['2026-01-15T09:00:00.000Z', 'inactive']);
    assert.equal((await webexView(user)).status, 'inactive');
    // Their next request is activity again.
    await call(server, '/v1/people/me', { token: TOKEN.user });
    assert.equal((await webexView(user)).status, 'active');
  });

  test('GET shows the presence, including activity not yet written', async () => {
    await call(server, '/v1/people/me', { token: TOKEN.user });
    const res = await control(server, 'GET', `/people/${USER}/presence`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      personId: hydra('PEOPLE', USER),
      state: null,
      lastActivity: '2026-01-15T12:00:00.000Z',
      sharing: true,
      status: 'active',
    });
  });

  test('the person may be named by hydra ID, UUID or email address', async () => {
    assert.equal((await setPresence(IDLE, { state: 'call' })).personId, idle);
    assert.equal((await setPresence('idle@control.test', { state: 'presenting' })).status, 'presenting');
    assert.equal((await webexView()).status, 'presenting');
  });

  test('an unknown person is a 404; a bad body a 400 that changes nothing', async () => {
    const unknown = hydra('PEOPLE', 'c0c00000-0000-4000-8000-0000000009ff');
    assertError(
      await control(server, 'PUT', `/people/${unknown}/presence`, { body: { state: 'call' } }),
      404,
      'Person not found.',
    );
    assertError(
      await control(server, 'GET', '/people/nobody@control.test/presence'),
      404,
      'Person not found.',
    );
    const cases: [unknown, string][] = [
      [
        { state: 'busy' },
        "Invalid field 'state' in the request body: must be equal to one of the allowed values.",
      ],
      [
        { state: 'call', lastActivity: 'yesterday' },
        `Invalid field 'lastActivity' in the request body: "yesterday" is not an ISO-8601 date-time with a time zone, e.g. 2026-01-15T12:00:00Z.`,
      ],
      [{ sharing: 'yes' }, "Invalid field 'sharing' in the request body: must be true or false."],
      [{ status: 'active' }, "Unknown field 'status' in the request body."],
    ];
    for (const [body, message] of cases) {
      assertError(
        await control(server, 'PUT', `/people/${idle}/presence`, { body }),
        400,
        message,
        JSON.stringify(body),
      );
    }
    assert.equal((await webexView()).status, 'active');
  });
});
