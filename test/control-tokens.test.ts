import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { control, controlDirectory, TOKEN, USER } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, hydra, type Json } from './helpers/wire.js';

// POST /rollcall/v1/tokens mints a person token; DELETE /rollcall/v1/tokens/{token} revokes one.

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());

const TOKEN_FORMAT = /^rollcall-[0-9a-f]{64}$/;
const me = (token: string) => call(server, '/v1/people/me', { token });

async function mint(body: unknown): Promise<Json> {
  const res = await control(server, 'POST', '/tokens', { body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Json;
}

describe('tokens', () => {
  test('a minted token authenticates as its person', async () => {
    const grant = await mint({ personId: hydra('PEOPLE', USER) });
    assert.match(grant.token as string, TOKEN_FORMAT);
    assert.deepEqual(
      { ...grant, token: 'x' },
      { token: 'x', personId: hydra('PEOPLE', USER), expires: null },
    );
    const res = await me(grant.token as string);
    assert.equal(res.status, 200);
    assert.equal((res.body as Json).id, hydra('PEOPLE', USER));
  });

  test('the person may be named by UUID or email address', async () => {
    assert.equal((await mint({ personId: USER })).personId, hydra('PEOPLE', USER));
    assert.equal((await mint({ personId: 'User@Control.test' })).personId, hydra('PEOPLE', USER));
  });

  test('expires: a duration from now or an instant, on the server clock', async () => {
    await control(server, 'PUT', '/clock', { body: { now: '2026-01-15T12:00:00Z' } });
    const soon = await mint({ personId: USER, expires: '30m' });
    assert.equal(soon.expires, '2026-01-15T12:30:00.000Z');
    const later = await mint({ personId: USER, expires: '2026-01-15T14:00:00+01:00' });
    assert.equal(later.expires, '2026-01-15T13:00:00.000Z');
    assert.equal((await me(soon.token as string)).status, 200);

    await control(server, 'PUT', '/clock', { body: { advance: '30m' } });
    assert.equal((await me(soon.token as string)).status, 401);
    assert.equal((await me(later.token as string)).status, 200);
    await control(server, 'PUT', '/clock', { body: { now: '2026-01-15T12:00:00Z' } });
  });

  test('bad requests are 400s; an unknown person a 404', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, "Missing required field 'personId' in the request body."],
      [
        { personId: USER, expires: 'later' },
        400,
        `Invalid field 'expires' in the request body: "later" is not a duration such as 15m, 90s, 2h or -5m.`,
      ],
      [
        { personId: USER, expires: '2026-01-15T11:00:00Z' },
        400,
        `Invalid field 'expires' in the request body: "2026-01-15T11:00:00Z" is not in the future.`,
      ],
      [
        { personId: USER, expires: '-5m' },
        400,
        `Invalid field 'expires' in the request body: "-5m" is not in the future.`,
      ],
      [{ personId: 'nobody@control.test' }, 404, 'Person not found.'],
      [{ personId: 'not-an-id' }, 404, 'Person not found.'],
    ];
    for (const [body, status, message] of cases) {
      assertError(await control(server, 'POST', '/tokens', { body }), status, message, JSON.stringify(body));
    }
  });

  test('a revoked token stops working at once, even while cached', async () => {
    const grant = await mint({ personId: USER });
    const token = grant.token as string;
    assert.equal((await me(token)).status, 200);
    const res = await control(server, 'DELETE', `/tokens/${encodeURIComponent(token)}`);
    assert.equal(res.status, 204);
    assert.equal(res.body, undefined);
    assertError(
      await me(token),
      401,
      'The request requires a valid access token set in the Authorization request header.',
    );
    // The person's other tokens keep working.
    assert.equal((await me(TOKEN.user)).status, 200);
  });

  test('a token from the directory can be revoked too; an unknown token is a 404', async () => {
    assert.equal((await control(server, 'DELETE', `/tokens/${TOKEN.admin}`)).status, 204);
    assert.equal((await me(TOKEN.admin)).status, 401);
    assertError(await control(server, 'DELETE', `/tokens/${TOKEN.admin}`), 404, 'Token not found.');
    assertError(await control(server, 'DELETE', '/tokens/no-such-token'), 404, 'Token not found.');
  });
});
