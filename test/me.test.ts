import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { call, getOk, hydra, type Json } from './helpers/wire.js';

// GET /v1/people/me: the person the token belongs to, seen by themself.

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const ORG = 'e0000000-0000-4000-8000-000000000001';
const ID = {
  ada: 'e0000000-0000-4000-8000-000000000101',
  uma: 'e0000000-0000-4000-8000-000000000102',
  bot: 'e0000000-0000-4000-8000-000000000103',
  colleague: 'e0000000-0000-4000-8000-000000000104',
  quiet: 'e0000000-0000-4000-8000-000000000105',
};
const CREATED = '2024-02-29T09:15:00.000Z';
const MODIFIED = '2025-12-24T18:00:00.500Z';

let server: TestServer;
before(async () => {
  server = await startTestServer(
    {
      orgs: [{ id: ORG, displayName: 'Me Inc.' }],
      people: [
        {
          id: ID.ada,
          orgId: ORG,
          emails: ['ada@me.test'],
          displayName: 'Ada Admin',
          firstName: 'Ada',
          lastName: 'Admin',
          roles: ['id_full_admin'],
          licenses: ['calling-pro'],
          extension: '1001',
          locationId: 'hq',
          phoneNumbers: [
            { type: 'work', value: '+1 408 555 1001', primary: true },
            { type: 'work_extension', value: '81001' },
            { type: 'mobile', value: '+1 555 1001' },
          ],
          created: CREATED,
          lastModified: MODIFIED,
          presence: { lastActivity: '2026-01-15T08:00:00.000Z' },
          tokens: ['token-ada'],
        },
        {
          id: ID.uma,
          orgId: ORG,
          emails: ['uma@me.test', 'u.user@me.test'],
          displayName: 'Uma User',
          firstName: 'Uma',
          lastName: 'User',
          nickName: 'Umi',
          title: 'Engineer',
          department: 'R&D',
          manager: 'Ada Admin',
          managerId: ID.ada,
          timezone: 'Europe/Oslo',
          licenses: ['calling-basic'],
          extension: '1002',
          locationId: 'hq',
          phoneNumbers: [
            { type: 'work', value: '+1 408 555 1002', primary: true },
            { type: 'work_extension', value: '81002' },
            { type: 'mobile', value: '+1 555 1002' },
          ],
          invitePending: true,
          loginEnabled: false,
          created: CREATED,
          lastModified: MODIFIED,
          tokens: ['token-uma'],
        },
        {
          id: ID.bot,
          orgId: ORG,
          type: 'bot',
          emails: ['helper@webex.bot'],
          displayName: 'Helper Bot',
          created: CREATED,
          tokens: ['token-bot'],
        },
        {
          id: ID.colleague,
          orgId: ORG,
          emails: ['colleague@me.test'],
          displayName: 'Colleague',
          tokens: ['token-colleague'],
        },
        {
          id: ID.quiet,
          orgId: ORG,
          emails: ['quiet@me.test'],
          displayName: 'Quiet',
          created: CREATED,
          presence: { sharing: false },
          tokens: ['token-quiet'],
        },
      ],
    },
    { now: NOW },
  );
});
afterEach(() => server.clock.set(NOW));
after(() => server.close());

const uma: Json = {
  id: hydra('PEOPLE', ID.uma),
  emails: ['uma@me.test', 'u.user@me.test'],
  phoneNumbers: [{ type: 'mobile', value: '+1 555 1002' }],
  displayName: 'Uma User',
  nickName: 'Umi',
  firstName: 'Uma',
  lastName: 'User',
  orgId: hydra('ORGANIZATION', ORG),
  licenses: [hydra('LICENSE', 'calling-basic')],
  department: 'R&D',
  manager: 'Ada Admin',
  managerId: hydra('PEOPLE', ID.ada),
  title: 'Engineer',
  created: CREATED,
  lastModified: MODIFIED,
  timezone: 'Europe/Oslo',
  lastActivity: '2026-01-15T12:00:00.000Z',
  status: 'active',
  type: 'person',
};

test('/me gives the caller, with their own licenses, their request as activity, and no admin-only flags', async () => {
  assert.deepEqual(await getOk(server, '/v1/people/me', 'token-uma'), uma);
});

test('/me/ with a trailing slash is the same resource', async () => {
  assert.deepEqual(await getOk(server, '/v1/people/me/', 'token-uma'), uma);
  assert.deepEqual(await getOk(server, '/v1/people/me/?callingData=false', 'token-uma'), uma);
});

test('/me?callingData=true is ignored for a calling user who is no admin: no extension, location or calling numbers', async () => {
  assert.deepEqual(await getOk(server, '/v1/people/me?callingData=true', 'token-uma'), uma);
});

test('/me?callingData=true gives an admin who is a calling user their calling data', async () => {
  const ada = {
    id: hydra('PEOPLE', ID.ada),
    emails: ['ada@me.test'],
    displayName: 'Ada Admin',
    firstName: 'Ada',
    lastName: 'Admin',
    orgId: hydra('ORGANIZATION', ORG),
    roles: [hydra('ROLE', 'id_full_admin')],
    licenses: [hydra('LICENSE', 'calling-pro')],
    created: CREATED,
    lastModified: MODIFIED,
    lastActivity: '2026-01-15T12:00:00.000Z',
    status: 'active',
    invitePending: 'false',
    loginEnabled: 'true',
    type: 'person',
  };
  assert.deepEqual(await getOk(server, '/v1/people/me', 'token-ada'), {
    ...ada,
    phoneNumbers: [{ type: 'mobile', value: '+1 555 1001' }],
  });
  assert.deepEqual(await getOk(server, '/v1/people/me?callingData=true', 'token-ada'), {
    ...ada,
    phoneNumbers: [
      { type: 'work', value: '+1 408 555 1001', primary: true },
      { type: 'work_extension', value: '81001' },
      { type: 'mobile', value: '+1 555 1001' },
    ],
    extension: '1001',
    locationId: hydra('LOCATION', 'hq'),
  });
});

test('a bot is unknown until it makes a request; its own /me counts as activity, so it shows itself active', async () => {
  const bot = {
    id: hydra('PEOPLE', ID.bot),
    emails: ['helper@webex.bot'],
    displayName: 'Helper Bot',
    orgId: hydra('ORGANIZATION', ORG),
    created: CREATED,
    lastModified: CREATED,
    type: 'bot',
  };
  const byColleague = () => getOk(server, `/v1/people/${hydra('PEOPLE', ID.bot)}`, 'token-colleague');
  assert.deepEqual(await byColleague(), { ...bot, status: 'unknown' });
  server.clock.set(Date.parse('2026-01-15T12:01:00.000Z'));
  const active = { ...bot, status: 'active', lastActivity: '2026-01-15T12:01:00.000Z' };
  assert.deepEqual(await getOk(server, '/v1/people/me', 'token-bot'), active);
  assert.deepEqual(await byColleague(), active);
});

test('/me of a person who turned status sharing off has no status and no lastActivity', async () => {
  assert.deepEqual(await getOk(server, '/v1/people/me', 'token-quiet'), {
    id: hydra('PEOPLE', ID.quiet),
    emails: ['quiet@me.test'],
    displayName: 'Quiet',
    orgId: hydra('ORGANIZATION', ORG),
    created: CREATED,
    lastModified: CREATED,
    type: 'person',
  });
});

test('HEAD /me answers 200 with the headers of GET and no body', async () => {
  const res = await call(server, '/v1/people/me', { method: 'HEAD', token: 'token-uma' });
  assert.equal(res.status, 200);
  assert.equal(res.body, undefined);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(res.headers.get('trackingid'));
});
