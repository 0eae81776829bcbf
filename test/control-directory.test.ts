import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { ADMIN, control, controlDirectory, IDLE, ORG, TOKEN, USER } from './helpers/control.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, hydra, type Json } from './helpers/wire.js';

// POST/GET /rollcall/v1/directory and POST /rollcall/v1/reset: the whole directory at once, atomically.

let server: TestServer;
before(async () => {
  server = await startTestServer(controlDirectory());
});
after(() => server.close());
beforeEach(async () => {
  assert.equal((await control(server, 'POST', '/reset')).status, 200);
});

/** The export of controlDirectory(): hydra IDs, every default spelled out, never tokens. */
const INITIAL_EXPORT = {
  orgs: [{ id: hydra('ORGANIZATION', ORG), displayName: 'Control' }],
  people: [
    ['Ada Admin', ADMIN, 'admin@control.test', { roles: ['id_full_admin'] }, { sharing: true }],
    ['Uma User', USER, 'user@control.test', {}, { sharing: true }],
    ['Ida Idle', IDLE, 'idle@control.test', {}, { lastActivity: '2026-01-15T11:55:00.000Z', sharing: true }],
  ].map(([displayName, id, email, extra, presence]) => ({
    id: hydra('PEOPLE', id as string),
    orgId: hydra('ORGANIZATION', ORG),
    type: 'person',
    emails: [email],
    displayName,
    ...(extra as Json),
    created: '2025-06-01T00:00:00.000Z',
    lastModified: '2025-06-01T00:00:00.000Z',
    invitePending: false,
    loginEnabled: true,
    presence,
  })),
};

const NEW_ORG = 'd0d00000-0000-4000-8000-000000000001';
const NEW_PERSON = 'd0d00000-0000-4000-8000-000000000101';
const newDirectory = (): DirectoryFile => ({
  orgs: [{ id: NEW_ORG, displayName: 'Newco' }],
  people: [
    {
      id: NEW_PERSON,
      orgId: NEW_ORG,
      emails: ['nina@newco.test'],
      displayName: 'Nina New',
      created: '2024-01-01T00:00:00.000Z',
      tokens: ['newco-token'],
    },
    { orgId: NEW_ORG, emails: ['otto@newco.test'], firstName: 'Otto' },
  ],
});

const exported = async () => {
  const res = await control(server, 'GET', '/directory');
  assert.equal(res.status, 200);
  return res.body as Json;
};
const meStatus = async (token: string) => (await call(server, '/v1/people/me', { token })).status;

describe('the directory', () => {
  test('GET exports what the server holds, as a directory file without tokens', async () => {
    assert.deepEqual(await exported(), INITIAL_EXPORT);
  });

  test('POST replaces people, orgs and tokens: the old tokens stop working, the file’s work', async () => {
    const res = await control(server, 'POST', '/directory', { body: newDirectory() });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { orgs: 1, people: 2, tokens: 1 });
    assert.equal(await meStatus(TOKEN.admin), 401);
    const me = await call(server, '/v1/people/me', { token: 'newco-token' });
    assert.equal(me.status, 200);
    assert.equal((me.body as Json).id, hydra('PEOPLE', NEW_PERSON));
    const after = await exported();
    assert.deepEqual(
      (after.people as Json[]).map((p) => [p.emails, p.displayName, p.created]),
      [
        [['nina@newco.test'], 'Nina New', '2024-01-01T00:00:00.000Z'],
        [['otto@newco.test'], 'Otto', '2026-01-15T12:00:00.000Z'],
      ],
    );
  });

  test('a bad file is a 400 naming the entry, and changes nothing', async () => {
    const unknownOrg = 'e0e00000-0000-4000-8000-000000000001';
    const bad = newDirectory();
    (bad.people[1] as Json).orgId = unknownOrg;
    assertError(
      await control(server, 'POST', '/directory', { body: bad }),
      400,
      `Invalid directory file: people[1] (otto@newco.test).orgId: unknown organization "${unknownOrg}"`,
    );
    const duplicate = newDirectory();
    (duplicate.people[1] as Json).emails = ['NINA@newco.test'];
    assertError(
      await control(server, 'POST', '/directory', { body: duplicate }),
      400,
      'Invalid directory file: people[1] (NINA@newco.test).emails: duplicate email "NINA@newco.test"',
    );
    const badField = newDirectory();
    (badField.people[0] as Json).type = 'robot';
    const res = await control(server, 'POST', '/directory', { body: badField });
    assert.equal(res.status, 400);
    assert.match(
      (res.body as Json).message as string,
      /^Invalid directory file: people\[0\] \(nina@newco\.test\)\.type: /,
    );
    const notAnObject = await control(server, 'POST', '/directory', { body: [] });
    assert.equal(notAnObject.status, 400);
    assert.match((notAnObject.body as Json).message as string, /^Invalid directory file: directory file: /);

    assert.deepEqual(await exported(), INITIAL_EXPORT);
    assert.equal(await meStatus(TOKEN.admin), 200);
    assert.equal(await meStatus('newco-token'), 401);
  });

  test('a body that is not JSON is a 415', async () => {
    const res = await call(server, '/rollcall/v1/directory', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'orgs: []',
    });
    assertError(res, 415, 'Unsupported media type: the request body must be JSON (application/json).');
  });

  test('reset restores the starting directory and its tokens, whatever happened since', async () => {
    // A Webex write, a minted token, a revoked token, a presence change, and activity not yet written.
    const created = await call(server, '/v1/people', {
      method: 'POST',
      token: TOKEN.admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emails: ['new@control.test'], displayName: 'New Person' }),
    });
    assert.equal(created.status, 200);
    const minted = await control(server, 'POST', '/tokens', { body: { personId: USER } });
    const mintedToken = (minted.body as Json).token as string;
    assert.equal(await meStatus(mintedToken), 200);
    assert.equal((await control(server, 'DELETE', `/tokens/${TOKEN.user}`)).status, 204);
    assert.equal(await meStatus(TOKEN.user), 401);
    await control(server, 'PUT', `/people/${IDLE}/presence`, {
      body: { state: 'OutOfOffice', sharing: false },
    });

    const res = await control(server, 'POST', '/reset');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { orgs: 1, people: 3, tokens: 3 });
    assert.deepEqual(await exported(), INITIAL_EXPORT);
    assert.equal(await meStatus(TOKEN.user), 200);
    assert.equal(await meStatus(mintedToken), 401);
  });

  test('reset after a load brings the starting directory back', async () => {
    await control(server, 'POST', '/directory', { body: newDirectory() });
    assert.deepEqual((await control(server, 'POST', '/reset')).body, { orgs: 1, people: 3, tokens: 3 });
    assert.deepEqual(await exported(), INITIAL_EXPORT);
    assert.equal(await meStatus(TOKEN.admin), 200);
    assert.equal(await meStatus('newco-token'), 401);
  });

  test('a directory exported and loaded again is the same directory', async () => {
    const file = await exported();
    assert.deepEqual((await control(server, 'POST', '/directory', { body: file })).body, {
      orgs: 1,
      people: 3,
      tokens: 0,
    });
    assert.deepEqual(await exported(), INITIAL_EXPORT);
  });
});
