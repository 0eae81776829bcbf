import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeHydraId, encodeHydraId, isUuid, resolveOpaqueRef, resolveUuidRef } from '../src/domain/ids.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { assertError, call, hydra, MESSAGES } from './helpers/wire.js';

// IDs from the example response of the Get Person Details documentation page.
const DOC = {
  personUuid: 'f5b36187-c8dd-4727-8b2f-f9c447f29046',
  id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY',
  orgId: 'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi85NmFiYzJhYS0zZGNjLTExZTUtYTE1Mi1mZTM0ODE5Y2RjOWE',
  roles: [
    'Y2lzY29zcGFyazovL3VzL1JPTEUvOTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh',
    'Y2lzY29zcGFyazovL3VzL1JPTEUvOTZhYmMyYWEtM2RjYy0xMWU1LWIyNjMtMGY0NTkyYWRlZmFi',
  ],
  licenses: [
    'Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvOTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh',
    'Y2lzY29zcGFyazovL3VzL0xJQ0VOU0UvOTZhYmMyYWEtM2RjYy0xMWU1LWIyNjMtMGY0NTkyYWRlZmFi',
  ],
  locationId: 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzYzNzE1',
  managerId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS80ZGEzYTI0OC05YjBhLTQxMDgtODU0NC1iNTQwMzEyZTU2M2E',
};
const ORG_UUID = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
const UPPER_UUID = 'abcdef01-2345-4678-9abc-def012345678';

const padded = (unpadded: string) => unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
const standard = (urlSafe: string) => padded(urlSafe.replace(/-/g, '+').replace(/_/g, '/'));

describe('encodeHydraId', () => {
  test('gives the documentation example ID for its person UUID', () => {
    assert.equal(encodeHydraId('PEOPLE', DOC.personUuid), DOC.id);
  });

  test('gives the documented ID of every other type', () => {
    assert.equal(encodeHydraId('ORGANIZATION', ORG_UUID), DOC.orgId);
    assert.equal(encodeHydraId('ROLE', ORG_UUID), DOC.roles[0]);
    assert.equal(encodeHydraId('LICENSE', '96abc2aa-3dcc-11e5-b263-0f4592adefab'), DOC.licenses[1]);
    assert.equal(encodeHydraId('LOCATION', '63715'), DOC.locationId);
  });

  test('is unpadded and URL-safe', () => {
    for (let i = 0; i < 50; i++) assert.match(encodeHydraId('PEOPLE', randomUUID()), /^[A-Za-z0-9_-]+$/);
    assert.equal(encodeHydraId('LOCATION', '>>>?'), 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLz4-Pj8');
  });
});

describe('decodeHydraId', () => {
  test('decodes the IDs of the documentation example to what they name', () => {
    const decoded = [DOC.id, DOC.orgId, ...DOC.roles, ...DOC.licenses, DOC.locationId, DOC.managerId].map(
      decodeHydraId,
    );
    assert.deepEqual(decoded, [
      { cluster: 'us', type: 'PEOPLE', id: DOC.personUuid },
      { cluster: 'us', type: 'ORGANIZATION', id: ORG_UUID },
      { cluster: 'us', type: 'ROLE', id: ORG_UUID },
      { cluster: 'us', type: 'ROLE', id: '96abc2aa-3dcc-11e5-b263-0f4592adefab' },
      { cluster: 'us', type: 'LICENSE', id: ORG_UUID },
      { cluster: 'us', type: 'LICENSE', id: '96abc2aa-3dcc-11e5-b263-0f4592adefab' },
      { cluster: 'us', type: 'LOCATION', id: '63715' },
      { cluster: 'us', type: 'PEOPLE', id: '4da3a248-9b0a-4108-8544-b540312e563a' },
    ]);
  });

  test('accepts padded and standard-alphabet base64', () => {
    const urlSafe = encodeHydraId('LOCATION', '>>>?');
    const std = standard(urlSafe);
    assert.equal(std, 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLz4+Pj8=');
    const want = { cluster: 'us', type: 'LOCATION', id: '>>>?' };
    assert.deepEqual(decodeHydraId(std), want);
    assert.deepEqual(decodeHydraId(padded(urlSafe)), want);
    assert.deepEqual(decodeHydraId(padded(DOC.id)), { cluster: 'us', type: 'PEOPLE', id: DOC.personUuid });
  });

  test('is undefined for what is no hydra ID', () => {
    for (const value of [
      '',
      'garbage!',
      'not base64 at all',
      Buffer.from('hello world').toString('base64url'),
      Buffer.from('https://us/PEOPLE/x').toString('base64url'),
      Buffer.from('ciscospark://us/PEOPLE/').toString('base64url'),
      DOC.personUuid,
      `${DOC.id}===`,
    ]) {
      assert.equal(decodeHydraId(value), undefined, value);
    }
  });
});

describe('resolveUuidRef', () => {
  test('round-trips random UUIDs through their hydra ID', () => {
    for (let i = 0; i < 200; i++) {
      const uuid = randomUUID();
      const id = encodeHydraId('PEOPLE', uuid);
      assert.equal(resolveUuidRef('PEOPLE', id), uuid);
      assert.equal(resolveUuidRef('PEOPLE', padded(id)), uuid);
      assert.equal(resolveUuidRef('PEOPLE', standard(id)), uuid);
      assert.deepEqual(decodeHydraId(id), { cluster: 'us', type: 'PEOPLE', id: uuid });
    }
  });

  test('accepts a raw UUID in any case and gives it in lowercase', () => {
    assert.equal(resolveUuidRef('PEOPLE', DOC.personUuid), DOC.personUuid);
    assert.equal(resolveUuidRef('PEOPLE', DOC.personUuid.toUpperCase()), DOC.personUuid);
    assert.equal(resolveUuidRef('PEOPLE', 'F5b36187-C8dd-4727-8B2F-f9c447f29046'), DOC.personUuid);
    assert.equal(resolveUuidRef('ORGANIZATION', ORG_UUID.toUpperCase()), ORG_UUID);
  });

  test('lowercases the UUID inside a hydra ID', () => {
    assert.equal(
      resolveUuidRef('PEOPLE', encodeHydraId('PEOPLE', DOC.personUuid.toUpperCase())),
      DOC.personUuid,
    );
  });

  test('resolves the documentation example IDs of its own type', () => {
    assert.equal(resolveUuidRef('PEOPLE', DOC.id), DOC.personUuid);
    assert.equal(resolveUuidRef('PEOPLE', DOC.managerId), '4da3a248-9b0a-4108-8544-b540312e563a');
    assert.equal(resolveUuidRef('ORGANIZATION', DOC.orgId), ORG_UUID);
  });

  test('is undefined for an ID of another type', () => {
    assert.equal(resolveUuidRef('PEOPLE', DOC.orgId), undefined);
    assert.equal(resolveUuidRef('PEOPLE', DOC.roles[0] ?? ''), undefined);
    assert.equal(resolveUuidRef('ORGANIZATION', DOC.id), undefined);
    assert.equal(resolveUuidRef('PEOPLE', DOC.locationId), undefined);
  });

  test('is undefined for garbage', () => {
    for (const value of [
      '',
      'me',
      'garbage',
      '12345',
      `${DOC.personUuid}x`,
      ` ${DOC.personUuid}`,
      `{${DOC.personUuid}}`,
      'f5b36187c8dd47278b2ff9c447f29046',
      'g5b36187-c8dd-4727-8b2f-f9c447f29046',
      encodeHydraId('PEOPLE', 'not-a-uuid'),
      encodeHydraId('PEOPLE', `${DOC.personUuid}/x`),
      DOC.id.slice(0, -4),
    ]) {
      assert.equal(resolveUuidRef('PEOPLE', value), undefined, value);
    }
  });
});

describe('isUuid and resolveOpaqueRef', () => {
  test('isUuid takes the 8-4-4-4-12 hex form only', () => {
    assert.equal(isUuid(DOC.personUuid), true);
    assert.equal(isUuid(DOC.personUuid.toUpperCase()), true);
    assert.equal(isUuid(DOC.id), false);
    assert.equal(isUuid(DOC.personUuid.replace(/-/g, '')), false);
  });

  test('resolveOpaqueRef gives the inner value of its own type, a non-ID as is, undefined for others', () => {
    assert.equal(resolveOpaqueRef('ROLE', DOC.roles[1] ?? ''), '96abc2aa-3dcc-11e5-b263-0f4592adefab');
    assert.equal(resolveOpaqueRef('LICENSE', DOC.licenses[0] ?? ''), ORG_UUID);
    assert.equal(resolveOpaqueRef('LOCATION', DOC.locationId), '63715');
    assert.equal(resolveOpaqueRef('LOCATION', '63715'), '63715');
    assert.equal(resolveOpaqueRef('ROLE', 'id_full_admin'), 'id_full_admin');
    assert.equal(resolveOpaqueRef('LICENSE', DOC.roles[0] ?? ''), undefined);
    assert.equal(resolveOpaqueRef('LOCATION', DOC.id), undefined);
  });
});

describe('person IDs over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      orgs: [{ id: ORG_UUID, displayName: 'Example' }],
      people: [
        {
          id: DOC.personUuid,
          orgId: ORG_UUID,
          emails: ['john.andersen@example.com'],
          displayName: 'John Andersen',
          created: '2015-10-18T14:26:16.000Z',
          presence: { state: 'meeting' },
        },
        { orgId: ORG_UUID, emails: ['viewer@example.com'], displayName: 'Viewer', tokens: ['token-viewer'] },
        {
          id: UPPER_UUID.toUpperCase(),
          orgId: ORG_UUID.toUpperCase(),
          emails: ['upper@example.com'],
          displayName: 'Upper',
          created: '2015-10-18T14:26:16.000Z',
          presence: { sharing: false },
        },
      ],
    });
  });
  after(() => server.close());

  test('the hydra ID, the raw UUID in any case and the padded hydra ID all find the same person', async () => {
    const expected = {
      status: 200,
      body: {
        id: DOC.id,
        emails: ['john.andersen@example.com'],
        displayName: 'John Andersen',
        orgId: DOC.orgId,
        created: '2015-10-18T14:26:16.000Z',
        lastModified: '2015-10-18T14:26:16.000Z',
        type: 'person',
        status: 'meeting',
      },
    };
    for (const ref of [
      DOC.id,
      DOC.personUuid,
      DOC.personUuid.toUpperCase(),
      padded(DOC.id),
      encodeURIComponent(padded(DOC.id)),
      standard(DOC.id),
      `${DOC.id}/`,
    ]) {
      const res = await call(server, `/v1/people/${ref}`, { token: 'token-viewer' });
      assert.deepEqual({ status: res.status, body: res.body }, expected, ref);
    }
  });

  test('IDs seeded in uppercase are stored and emitted in lowercase', async () => {
    const expected = {
      status: 200,
      body: {
        id: hydra('PEOPLE', UPPER_UUID),
        emails: ['upper@example.com'],
        displayName: 'Upper',
        orgId: DOC.orgId,
        created: '2015-10-18T14:26:16.000Z',
        lastModified: '2015-10-18T14:26:16.000Z',
        type: 'person',
      },
    };
    for (const ref of [UPPER_UUID, UPPER_UUID.toUpperCase(), hydra('PEOPLE', UPPER_UUID.toUpperCase())]) {
      const res = await call(server, `/v1/people/${ref}`, { token: 'token-viewer' });
      assert.deepEqual({ status: res.status, body: res.body }, expected, ref);
    }
  });

  test('an ID of another type is no person: 404', async () => {
    for (const ref of [DOC.orgId, DOC.locationId, DOC.roles[0] ?? '']) {
      const res = await call(server, `/v1/people/${ref}`, { token: 'token-viewer' });
      assertError(res, 404, MESSAGES.personNotFound, ref);
    }
  });
});
