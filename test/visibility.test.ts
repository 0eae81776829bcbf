import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  callers,
  directory,
  expectedView,
  NOW,
  ORG,
  selfTarget,
  targets,
  type Caller,
  type Target,
} from './helpers/visibility-matrix.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { call, hydra, type Json } from './helpers/wire.js';

// The whole visibility matrix of GET /v1/people/{personId}: every caller (org A, partner org P that
// manages A, unrelated org X × full / user / read-only admin, plain user, device admin, bot × status
// sharing on/off) asks for every target (in A and in P × sharing on/off × calling user or not, and a
// minimal person) and for itself, with and without callingData=true, with invitePending/loginEnabled
// as strings and as JSON booleans. The expected JSON comes from helpers/visibility-matrix.ts.

const find = <T extends { label: string }>(list: T[], label: string): T => {
  const found = list.find((x) => x.label === label);
  assert.ok(found, label);
  return found;
};

async function observe(server: TestServer, caller: Caller, target: Target, callingData: boolean) {
  const query = callingData ? '?callingData=true' : '';
  const res = await call(server, `/v1/people/${hydra('PEOPLE', target.entry.id)}${query}`, {
    token: caller.token,
  });
  return { status: res.status, body: res.body };
}

for (const flagsAsBooleans of [false, true]) {
  describe(`visibility matrix, invitePending/loginEnabled as ${flagsAsBooleans ? 'booleans' : 'strings'}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(directory, { now: NOW, settings: { flagsAsBooleans } });
    });
    after(() => server.close());

    for (const caller of callers) {
      test(`${caller.label} sees each person, and itself, as the rules say`, async () => {
        const actual: Record<string, unknown> = {};
        const expected: Record<string, unknown> = {};
        for (const target of [...targets, selfTarget(caller)]) {
          for (const callingData of [false, true]) {
            const key = `${target.label}, callingData=${callingData}`;
            actual[key] = await observe(server, caller, target, callingData);
            expected[key] = {
              status: 200,
              body: expectedView(caller, target, { callingData, flagsAsBooleans }),
            };
          }
        }
        assert.deepEqual(actual, expected);
      });
    }
  });
}

describe('visibility spot checks, written out by hand', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(directory, { now: NOW });
  });
  after(() => server.close());

  const target = find(targets, 'calling user in A, sharing on');
  const common = (n: number, org: 'A' | 'P'): Json => ({
    id: hydra('PEOPLE', `00000${n}-0000-4000-8000-000000000000`),
    emails: [`target${n}@${org.toLowerCase()}.test`, `alias${n}@${org.toLowerCase()}.test`],
    displayName: `Target ${n}`,
    nickName: `T${n}`,
    firstName: 'Target',
    lastName: `Number ${n}`,
    avatar: `https://avatars.example.test/${n}.png`,
    orgId: hydra('ORGANIZATION', ORG[org]),
    department: 'Sales',
    manager: 'Mona Manager',
    managerId: hydra('PEOPLE', '00000999-0000-4000-8000-000000000000'),
    title: 'GM',
    addresses: [{ type: 'work', country: 'US', locality: 'Milpitas', region: 'California' }],
    created: '2025-03-01T08:30:00.000Z',
    lastModified: '2025-11-20T17:45:10.250Z',
    timezone: 'America/Denver',
    siteUrls: ['mysite.webex.com#attendee'],
    sipAddresses: [{ type: 'personal-room', value: `t${n}@mycompany.webex.com`, primary: false }],
    xmppFederationJid: `t${n}@example.test`,
    type: 'person',
  });
  const mobileAndFax = [
    { type: 'mobile', value: '+1 555 01100' },
    { type: 'fax', value: '+1 408 555 9100' },
  ];

  test('a plain user of an unrelated org sees no presence, flags, roles, licenses or calling data', async () => {
    const caller = find(callers, 'plain user in X, sharing on');
    const res = await observe(server, caller, target, true);
    assert.deepEqual(res, { status: 200, body: { ...common(100, 'A'), phoneNumbers: mobileAndFax } });
  });

  test('a read-only admin of the managing org, sharing off, sees everything but presence', async () => {
    const caller = find(callers, 'read-only admin in P, sharing off');
    const res = await observe(server, caller, target, true);
    assert.deepEqual(res, {
      status: 200,
      body: {
        ...common(100, 'A'),
        phoneNumbers: [
          { type: 'work', value: '+1 408 555 100', primary: true },
          { type: 'work_extension', value: '8100' },
          ...mobileAndFax,
        ],
        extension: '2100',
        locationId: hydra('LOCATION', 'location-A-100'),
        roles: [hydra('ROLE', 'id_user_admin'), hydra('ROLE', '96abc2aa-3dcc-11e5-b263-0f4592adefab')],
        licenses: [hydra('LICENSE', 'license-100')],
        invitePending: 'true',
        loginEnabled: 'true',
      },
    });
  });

  test('a device admin of the same org is a plain user: presence only, callingData ignored', async () => {
    const caller = find(callers, 'device admin (a plain user) in A, sharing on');
    const res = await observe(server, caller, target, true);
    assert.deepEqual(res, {
      status: 200,
      body: {
        ...common(100, 'A'),
        phoneNumbers: mobileAndFax,
        status: 'active',
        lastActivity: '2026-01-15T11:57:00.000Z',
      },
    });
  });

  test('an admin of the managed org A is no admin of its partner P, and sees no presence there', async () => {
    const caller = find(callers, 'full admin in A, sharing on');
    const partnerTarget = find(targets, 'person in P, sharing on');
    const res = await observe(server, caller, partnerTarget, true);
    assert.deepEqual(res, {
      status: 200,
      body: {
        ...common(105, 'P'),
        phoneNumbers: [
          { type: 'work', value: '+1 408 555 105', primary: true },
          { type: 'mobile', value: '+1 555 01105' },
          { type: 'fax', value: '+1 408 555 9105' },
        ],
      },
    });
  });

  test('unset fields and empty lists are absent, never null or []', async () => {
    const minimal = find(targets, 'minimal person in A');
    const admin = find(callers, 'full admin in A, sharing on');
    const base = {
      id: hydra('PEOPLE', minimal.entry.id),
      emails: ['minimal@a.test'],
      displayName: 'Minimal',
      orgId: hydra('ORGANIZATION', ORG.A),
      created: '2025-03-01T08:30:00.000Z',
      lastModified: '2025-03-01T08:30:00.000Z',
      type: 'person',
      status: 'pending',
    };
    assert.deepEqual(await observe(server, admin, minimal, false), {
      status: 200,
      body: { ...base, invitePending: 'false', loginEnabled: 'true' },
    });
    const user = find(callers, 'plain user in A, sharing on');
    assert.deepEqual(await observe(server, user, minimal, true), { status: 200, body: base });
  });
});
