import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DirectoryPersonEntry } from '../src/directory/directory-file-schema.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { getOk, type Json } from './helpers/wire.js';

// The example response of the Get Person Details documentation page (developer.webex.com, People →
// Get Person Details), copied here verbatim.
const EXAMPLE = {
  id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY',
  emails: ['john.andersen@example.com'],
  phoneNumbers: [{ type: 'work', value: '+1 408 526 7209', primary: true }],
  extension: '133',
  locationId: 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzYzNzE1',
  displayName: 'John Andersen',
  nickName: 'John',
  firstName: 'John',
  lastName: 'Andersen',
  avatar:
    'https://1efa7a94ed21783e352-c62266528714497a17239ececf39e9e2.ssl.cf1.rackcdn.com/V1~54c844c89e678e5a7b16a306bc2897b9~wx29yGtlTpilEFlYzqPKag==~1600',
  orgId: 'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85NmFiYzJhYS0zZGNjLTExZTUtYTE1Mi1mZTM0ODE5Y2RjOWE',
  roles: [
    'Y2lzY29zcGFyazovL3VzL1JPTEUvOTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh',
    'Y2lzY29zcGFyazovL3VzL1JPTEUvOTZhYmMyYWEtM2RjYy0xMWU1LWIyNjMtMGY0NTkyYWRlZmFi',
  ],
  licenses: [
    'Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvOTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh',
    'Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvOTZhYmMyYWEtM2RjYy0xMWU1LWIyNjMtMGY0NTkyYWRlZmFi',
  ],
  department: 'Sales',
  manager: 'John Duarte',
  managerId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS80ZGEzYTI0OC05YjBhLTQxMDgtODU0NC1iNTQwMzEyZTU2M2E',
  title: 'GM',
  addresses: [
    {
      type: 'work',
      country: 'US',
      locality: 'Milpitas',
      region: 'California',
      streetAddress: '1099 Bird Ave.',
      postalCode: '99212',
    },
  ],
  created: '2015-10-18T14:26:16.000Z',
  lastModified: '2015-10-18T14:26:16.000Z',
  timezone: 'America/Denver',
  lastActivity: '2015-10-18T14:26:16.028Z',
  siteUrls: ['mysite.webex.com#attendee'],
  sipAddresses: [{ type: 'personal-room', value: 'testuser5@mycompany.webex.com', primary: false }],
  xmppFederationJid: 'user@example.com',
  status: 'active',
  invitePending: 'false',
  loginEnabled: 'true',
  type: 'person',
};

const ORG_UUID = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
const ADMIN_UUID = '0a0a0a0a-0000-4000-8000-000000000001';

function omit(value: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

// The example person as a directory entry: status/lastActivity become `presence`, the rest is copied.
const exampleEntry = {
  ...omit(EXAMPLE, ['status', 'lastActivity']),
  invitePending: false,
  loginEnabled: true,
  presence: { lastActivity: EXAMPLE.lastActivity },
} as DirectoryPersonEntry;

/** Arrays in a canonical order, so that the comparison ignores the order of IDs. */
function sortArrays(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortArrays).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortArrays(v)]));
  }
  return value;
}

let server: TestServer;
before(async () => {
  server = await startTestServer(
    {
      orgs: [{ id: ORG_UUID, displayName: 'Example Org' }],
      people: [
        exampleEntry,
        {
          id: ADMIN_UUID,
          orgId: ORG_UUID,
          emails: ['admin@example.com'],
          displayName: 'Example Admin',
          roles: ['id_full_admin'],
          tokens: ['token-admin'],
        },
        {
          orgId: ORG_UUID,
          emails: ['colleague@example.com'],
          displayName: 'Example Colleague',
          tokens: ['token-colleague'],
        },
      ],
    },
    { now: Date.parse('2015-10-18T14:30:00.000Z') },
  );
});
after(() => server.close());

test('a full admin of the same org gets the documentation example field for field (callingData=true)', async () => {
  const body = await getOk(server, `/v1/people/${EXAMPLE.id}?callingData=true`, 'token-admin');
  assert.deepEqual(sortArrays(body), sortArrays(EXAMPLE));
});

test('the example person asked for by raw UUID is the same', async () => {
  const body = await getOk(
    server,
    '/v1/people/f5b36187-c8dd-4727-8b2f-f9c447f29046?callingData=true',
    'token-admin',
  );
  assert.deepEqual(sortArrays(body), sortArrays(EXAMPLE));
});

test('a colleague who is no admin gets the example without calling data, roles, licenses and flags', async () => {
  const body = (await getOk(server, `/v1/people/${EXAMPLE.id}?callingData=true`, 'token-colleague')) as Json;
  const expected = omit(EXAMPLE, [
    'extension',
    'locationId',
    'phoneNumbers',
    'roles',
    'licenses',
    'invitePending',
    'loginEnabled',
  ]);
  assert.deepEqual(sortArrays(body), sortArrays(expected));
});
