import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DirectoryModel,
  NOW,
  ok,
  type PersonEntry,
  personMaker,
  send,
  sortPeople,
  TEST_SETTINGS,
  uuid,
  type ViewOptions,
} from './helpers/people-fixtures.js';
import { assertError, hydra, iso, type Json, MESSAGES, paddedHydra, sdkFingerprint } from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// List People (GET /v1/people), every parameter, with the rules of docs/people-api.md Part A:
// - non-admins must give email, displayName or id (else 400 "Email, displayName, or id list should be
//   specified."); email is exact and case-insensitive, displayName a case-insensitive prefix; both
//   search the caller's org and the orgs it manages; an admin without filters lists its own org;
// - id= finds anyone, in the order asked, each once, hydra or raw UUID, at most 85; missing IDs go to
//   notFoundIds as the JS SDK waits for them (sdkFingerprint); items have no presence, roles or licenses, and a userName;
// - orgId is for admins of a managing org (own org is fine for anyone); roles and locationId are
//   admin-only and search the caller's own org; callingData shows calling data to admins only;
// - max defaults to 100 and is clamped to 1000 (100 with callingData, 50 with locationId);
// - items follow Get Person Details' visibility rules.

const ORG = { A: uuid(0xa, 1), P: uuid(0xa, 2), X: uuid(0xa, 3) };
const CREATED = '2025-02-03T04:05:06.789Z';
const MODIFIED = '2025-12-01T10:20:30.400Z';

const person = personMaker(0x1, { created: CREATED, lastModified: MODIFIED });

const P = {
  aFull: person(ORG.A, 'Alice Admin', 'alice@acme.test', {
    roles: ['id_full_admin'],
    tokens: ['tok-a-full'],
  }),
  aUserAdmin: person(ORG.A, 'Uma Useradmin', 'uma@acme.test', {
    roles: ['id_user_admin'],
    licenses: ['lic-basic'],
    tokens: ['tok-a-useradmin'],
  }),
  aRo: person(ORG.A, 'Rita Readonly', 'rita@acme.test', {
    roles: ['id_readonly_admin'],
    tokens: ['tok-a-ro'],
  }),
  aDevice: person(ORG.A, 'Dev Deviceadmin', 'dev@acme.test', {
    roles: ['id_device_admin'],
    tokens: ['tok-a-device'],
  }),
  aUser: person(ORG.A, 'Ursula User', 'ursula@acme.test', { tokens: ['tok-a-user'] }),
  aBot: person(ORG.A, 'Botty', 'botty@webex.bot', { type: 'bot', tokens: ['tok-a-bot'] }),
  aQuiet: person(ORG.A, 'Quinn Quiet', 'quinn@acme.test', {
    presence: { sharing: false },
    tokens: ['tok-a-quiet'],
  }),
  aCalling: person(ORG.A, 'Carl Calling', 'carl@acme.test', {
    extension: '1234',
    locationId: 'loc-hq',
    phoneNumbers: [
      { type: 'work', value: '+1 408 555 0001', primary: true },
      { type: 'work_extension', value: '81234' },
      { type: 'mobile', value: '+1 555 0002' },
    ],
    licenses: ['lic-calling'],
    presence: { lastActivity: iso(NOW - 5 * 60_000) },
  }),
  aJon: person(ORG.A, 'Jon Smith', 'Jon.Smith@Acme.test', {
    firstName: 'Jon',
    lastName: 'Smith',
    nickName: 'Jonny',
    avatar: 'https://avatars.example.test/jon.png',
    title: 'Engineer',
    department: 'R&D',
    manager: 'Alice Admin',
    managerId: uuid(0x1, 1),
    addresses: [{ type: 'work', country: 'US', locality: 'Milpitas' }],
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
    siteUrls: ['acme.webex.com#attendee'],
    sipAddresses: [{ type: 'personal-room', value: 'jon@acme.webex.com', primary: false }],
    timezone: 'Europe/Berlin',
    xmppFederationJid: 'jon@xmpp.acme.test',
    roles: ['id_device_admin'],
    licenses: ['lic-basic'],
    presence: { lastActivity: iso(NOW - 2 * 3600_000) },
  }),
  aJoan: person(ORG.A, 'joan Smith', 'joan@acme.test', { presence: { state: 'DoNotDisturb' } }),
  aJuergen: person(ORG.A, 'Jürgen Ümlaut', 'juergen@acme.test', { presence: { sharing: false } }),
  aLena: person(ORG.A, 'Lena Location', 'lena@acme.test', {
    extension: '2000',
    locationId: 'loc-branch',
    phoneNumbers: [{ type: 'work', value: '+1 408 555 2000' }],
  }),
  aIan: person(ORG.A, 'Ian Invited', 'ian@acme.test', { invitePending: true, loginEnabled: false }),
  pFull: person(ORG.P, 'Paula Partner', 'paula@partner.test', {
    roles: ['id_full_admin'],
    tokens: ['tok-p-full'],
  }),
  pRo: person(ORG.P, 'Pete Partnerro', 'pete@partner.test', {
    roles: ['id_readonly_admin'],
    tokens: ['tok-p-ro'],
  }),
  pUser: person(ORG.P, 'Pam Plain', 'pam@partner.test', { tokens: ['tok-p-user'] }),
  pJohn: person(ORG.P, 'John Partnerson', 'john@partner.test', { locationId: 'loc-hq' }),
  xFull: person(ORG.X, 'Xavier Admin', 'xavier@other.test', {
    roles: ['id_full_admin'],
    tokens: ['tok-x-full'],
  }),
  xUser: person(ORG.X, 'Xena User', 'xena@other.test', { tokens: ['tok-x-user'] }),
  xJane: person(ORG.X, 'Jane Outsider', 'jane@other.test'),
};

const model = new DirectoryModel({
  orgs: [
    { id: ORG.A, displayName: 'Acme' },
    { id: ORG.P, displayName: 'Partner', manages: [ORG.A] },
    { id: ORG.X, displayName: 'Other' },
  ],
  people: Object.values(P),
});

let server: TestServer;
before(async () => {
  server = await startTestServer(model.file, { now: NOW, settings: TEST_SETTINGS });
});
after(() => server.close());

const get = (path: string, as: PersonEntry) => model.call(server, 'GET', path, as);

/** GET as `as` must answer 200 with exactly `people`, in list order, as `as` sees them. */
async function expectList(path: string, as: PersonEntry, people: PersonEntry[], options: ViewOptions = {}) {
  const reply = await get(path, as);
  assert.deepEqual(ok(reply, path), model.list(people, as, server.clock.now(), options), path);
  assert.equal(reply.headers.link, undefined, `${path}: no Link on a single page`);
}

const J_IN_A = [P.aJoan, P.aJon, P.aJuergen];

describe('email', () => {
  test('is an exact match, case-insensitive on both sides', async () => {
    for (const email of ['jon.smith@acme.test', 'JON.SMITH@ACME.TEST', 'Jon.Smith@Acme.test']) {
      await expectList(`/v1/people?email=${encodeURIComponent(email)}`, P.aUser, [P.aJon]);
    }
  });

  test('a prefix, a suffix or a display name of an email finds nobody', async () => {
    for (const email of ['jon.smith@acme', 'on.smith@acme.test', 'Jon Smith']) {
      await expectList(`/v1/people?email=${encodeURIComponent(email)}`, P.aUser, []);
    }
  });

  test("searches the caller's org and the orgs it manages, nothing else", async () => {
    // A does not manage P: A's people cannot find P's by email, nor can an unrelated org find A's.
    await expectList('/v1/people?email=pam%40partner.test', P.aUser, []);
    await expectList('/v1/people?email=pam%40partner.test', P.aFull, []);
    await expectList('/v1/people?email=jon.smith%40acme.test', P.xUser, []);
    await expectList('/v1/people?email=jon.smith%40acme.test', P.xFull, []);
    // P manages A.
    await expectList('/v1/people?email=jon.smith%40acme.test', P.pUser, [P.aJon]);
    await expectList('/v1/people?email=pam%40partner.test', P.pUser, [P.pUser]);
  });
});

describe('displayName', () => {
  test('is a case-insensitive prefix match', async () => {
    for (const prefix of ['j', 'J', 'jo', 'JO']) {
      const expected = prefix.length === 1 ? J_IN_A : [P.aJoan, P.aJon];
      await expectList(`/v1/people?displayName=${prefix}`, P.aUser, expected);
    }
    await expectList('/v1/people?displayName=jon%20smith', P.aUser, [P.aJon]);
    await expectList('/v1/people?displayName=JON%20SMITH', P.aUser, [P.aJon]);
  });

  test('matches the start of the name only', async () => {
    await expectList('/v1/people?displayName=Smith', P.aUser, []);
    await expectList('/v1/people?displayName=on', P.aUser, []);
  });

  test('% and _ are plain characters, not wildcards', async () => {
    for (const prefix of ['%25', '_', 'J%25', 'J_n', '*']) {
      await expectList(`/v1/people?displayName=${prefix}`, P.aUser, []);
    }
  });

  test('takes percent-encoded UTF-8', async () => {
    await expectList('/v1/people?displayName=J%C3%BC', P.aUser, [P.aJuergen]);
    await expectList('/v1/people?displayName=j%C3%9CRGEN', P.aUser, [P.aJuergen]);
  });

  test("searches the caller's org and the orgs it manages", async () => {
    await expectList('/v1/people?displayName=j', P.aUser, J_IN_A);
    await expectList('/v1/people?displayName=j', P.pUser, [...J_IN_A, P.pJohn]);
    await expectList('/v1/people?displayName=j', P.pFull, [...J_IN_A, P.pJohn]);
    await expectList('/v1/people?displayName=j', P.xUser, [P.xJane]);
  });

  test('the list order is the display name, case-insensitively', async () => {
    const reply = await get('/v1/people?displayName=j', P.pUser);
    const names = (ok(reply) as { items: { displayName: string }[] }).items.map((i) => i.displayName);
    assert.deepEqual(names, ['joan Smith', 'John Partnerson', 'Jon Smith', 'Jürgen Ümlaut']);
  });

  test('combined with email, both must match', async () => {
    await expectList('/v1/people?displayName=Jon&email=jon.smith%40acme.test', P.aUser, [P.aJon]);
    await expectList('/v1/people?displayName=Joan&email=jon.smith%40acme.test', P.aUser, []);
  });
});

describe('what list items show', () => {
  test('a plain user of the same org: presence, no flags, roles, licenses or calling data', async () => {
    const reply = await get('/v1/people?email=jon.smith%40acme.test', P.aUser);
    assert.deepEqual(ok(reply), {
      items: [
        {
          id: hydra('PEOPLE', P.aJon.id),
          emails: ['Jon.Smith@Acme.test'],
          phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
          displayName: 'Jon Smith',
          nickName: 'Jonny',
          firstName: 'Jon',
          lastName: 'Smith',
          avatar: 'https://avatars.example.test/jon.png',
          orgId: hydra('ORGANIZATION', ORG.A),
          department: 'R&D',
          manager: 'Alice Admin',
          managerId: hydra('PEOPLE', P.aFull.id),
          title: 'Engineer',
          addresses: [{ type: 'work', country: 'US', locality: 'Milpitas' }],
          created: CREATED,
          lastModified: MODIFIED,
          timezone: 'Europe/Berlin',
          lastActivity: iso(NOW - 2 * 3600_000),
          siteUrls: ['acme.webex.com#attendee'],
          sipAddresses: [{ type: 'personal-room', value: 'jon@acme.webex.com', primary: false }],
          xmppFederationJid: 'jon@xmpp.acme.test',
          status: 'inactive',
          type: 'person',
        },
      ],
    });
  });

  test('an admin of a managing org: presence, flags, roles, licenses; calling data on request', async () => {
    const reply = await get('/v1/people?displayName=Carl&callingData=true', P.pRo);
    assert.deepEqual(ok(reply), {
      items: [
        {
          id: hydra('PEOPLE', P.aCalling.id),
          emails: ['carl@acme.test'],
          phoneNumbers: [
            { type: 'work', value: '+1 408 555 0001', primary: true },
            { type: 'work_extension', value: '81234' },
            { type: 'mobile', value: '+1 555 0002' },
          ],
          extension: '1234',
          locationId: hydra('LOCATION', 'loc-hq'),
          displayName: 'Carl Calling',
          orgId: hydra('ORGANIZATION', ORG.A),
          licenses: [hydra('LICENSE', 'lic-calling')],
          created: CREATED,
          lastModified: MODIFIED,
          lastActivity: iso(NOW - 5 * 60_000),
          status: 'active',
          invitePending: 'false',
          loginEnabled: 'true',
          type: 'person',
        },
      ],
    });
  });

  test('an explicit presence state wins; a person who shares no status shows none', async () => {
    await expectList('/v1/people?displayName=j', P.aFull, J_IN_A);
    const reply = await get('/v1/people?displayName=j', P.aUser);
    const items = (ok(reply) as { items: Json[] }).items;
    assert.deepEqual(
      items.map((i) => [i.displayName, i.status, i.lastActivity]),
      [
        ['joan Smith', 'DoNotDisturb', undefined],
        ['Jon Smith', 'inactive', iso(NOW - 2 * 3600_000)],
        ['Jürgen Ümlaut', undefined, undefined],
      ],
    );
  });

  test('a caller who shares no status sees nobody’s', async () => {
    await expectList('/v1/people?displayName=j', P.aQuiet, J_IN_A);
    const reply = await get('/v1/people?displayName=j', P.aQuiet);
    for (const item of (ok(reply) as { items: Json[] }).items) {
      assert.equal(item.status, undefined);
      assert.equal(item.lastActivity, undefined);
    }
  });

  test('invitePending and loginEnabled only for admins of the person’s org', async () => {
    await expectList('/v1/people?displayName=Ian', P.aRo, [P.aIan]);
    const asAdmin = ok(await get('/v1/people?displayName=Ian', P.aRo)) as { items: Json[] };
    assert.equal(asAdmin.items[0]?.invitePending, 'true');
    assert.equal(asAdmin.items[0]?.loginEnabled, 'false');
    assert.equal(asAdmin.items[0]?.status, 'pending');
    const asUser = ok(await get('/v1/people?displayName=Ian', P.aUser)) as { items: Json[] };
    assert.equal(asUser.items[0]?.invitePending, undefined);
    assert.equal(asUser.items[0]?.loginEnabled, undefined);
  });

  test('a caller’s own request is activity: it shows as active, its roles too', async () => {
    await expectList('/v1/people?displayName=Uma', P.aUserAdmin, [P.aUserAdmin]);
    const reply = await get('/v1/people?displayName=Ursula', P.aUser);
    assert.deepEqual(ok(reply), {
      items: [
        {
          id: hydra('PEOPLE', P.aUser.id),
          emails: ['ursula@acme.test'],
          displayName: 'Ursula User',
          orgId: hydra('ORGANIZATION', ORG.A),
          created: CREATED,
          lastModified: MODIFIED,
          lastActivity: iso(NOW),
          status: 'active',
          type: 'person',
        },
      ],
    });
  });
});

describe('id', () => {
  test('hydra, padded base64 and raw UUIDs; order kept; each person once; the rest in notFoundIds as the JS SDK matches them', async () => {
    const unknownHydra = hydra('PEOPLE', uuid(0x1, 0xfff));
    const orgIdAsPerson = hydra('ORGANIZATION', P.aJon.id);
    const ids = [
      hydra('PEOPLE', P.xJane.id),
      'not-an-id',
      P.pJohn.id,
      unknownHydra,
      P.aCalling.id.toUpperCase(),
      paddedHydra('PEOPLE', P.aJon.id),
      hydra('PEOPLE', P.xJane.id),
      P.xJane.id,
      orgIdAsPerson,
      uuid(0x1, 0xffe),
    ];
    const reply = await get(`/v1/people?id=${ids.map(encodeURIComponent).join(',')}`, P.aUser);
    const now = server.clock.now();
    const byId = { listById: true };
    assert.deepEqual(ok(reply), {
      items: [
        model.view(P.xJane, P.aUser, now, byId),
        model.view(P.pJohn, P.aUser, now, byId),
        model.view(P.aCalling, P.aUser, now, byId),
        model.view(P.aJon, P.aUser, now, byId),
      ],
      notFoundIds: ['not-an-id', unknownHydra, orgIdAsPerson, uuid(0x1, 0xffe)].map(sdkFingerprint),
    });
    assert.equal(reply.headers.link, undefined);
  });

  test('items have hydra IDs, a userName and no status, lastActivity, roles or licenses', async () => {
    const ids = [P.aJon.id, hydra('PEOPLE', P.aUserAdmin.id), uuid(0x1, 0xfff)].join(',');
    const reply = await get(`/v1/people?id=${ids}`, P.aFull);
    assert.deepEqual(ok(reply), {
      items: [
        {
          id: hydra('PEOPLE', P.aJon.id),
          emails: ['Jon.Smith@Acme.test'],
          phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
          displayName: 'Jon Smith',
          nickName: 'Jonny',
          firstName: 'Jon',
          lastName: 'Smith',
          avatar: 'https://avatars.example.test/jon.png',
          orgId: hydra('ORGANIZATION', ORG.A),
          department: 'R&D',
          manager: 'Alice Admin',
          managerId: hydra('PEOPLE', P.aFull.id),
          title: 'Engineer',
          addresses: [{ type: 'work', country: 'US', locality: 'Milpitas' }],
          created: CREATED,
          lastModified: MODIFIED,
          timezone: 'Europe/Berlin',
          siteUrls: ['acme.webex.com#attendee'],
          sipAddresses: [{ type: 'personal-room', value: 'jon@acme.webex.com', primary: false }],
          xmppFederationJid: 'jon@xmpp.acme.test',
          userName: 'Jon.Smith@Acme.test',
          invitePending: 'false',
          loginEnabled: 'true',
          type: 'person',
        },
        {
          id: hydra('PEOPLE', P.aUserAdmin.id),
          emails: ['uma@acme.test'],
          displayName: 'Uma Useradmin',
          orgId: hydra('ORGANIZATION', ORG.A),
          created: CREATED,
          lastModified: MODIFIED,
          userName: 'uma@acme.test',
          invitePending: 'false',
          loginEnabled: 'true',
          type: 'person',
        },
      ],
      notFoundIds: [sdkFingerprint(uuid(0x1, 0xfff))],
    });
  });

  test('callingData=true adds calling data for admins of the person’s org only', async () => {
    const path = `/v1/people?id=${P.aCalling.id},${uuid(0x1, 0xfff)}&callingData=true`;
    for (const caller of [P.aFull, P.pFull, P.xFull, P.aUser]) {
      const reply = await get(path, caller);
      assert.deepEqual(ok(reply), {
        items: [model.view(P.aCalling, caller, server.clock.now(), { listById: true, callingData: true })],
        notFoundIds: [sdkFingerprint(uuid(0x1, 0xfff))],
      });
    }
    const asAdmin = ok(await get(path, P.aFull)) as { items: Json[] };
    assert.equal(asAdmin.items[0]?.extension, '1234');
    const asOutsider = ok(await get(path, P.xFull)) as { items: Json[] };
    assert.equal(asOutsider.items[0]?.extension, undefined);
  });

  test('85 IDs are fine', async () => {
    const unknown = Array.from({ length: 83 }, (_, i) => uuid(0x2, i + 1));
    const ids = [P.aJon.id, ...unknown, hydra('PEOPLE', P.xJane.id)];
    assert.equal(ids.length, 85);
    const reply = await get(`/v1/people?id=${ids.join(',')}`, P.aUser);
    const now = server.clock.now();
    assert.deepEqual(ok(reply), {
      items: [
        model.view(P.aJon, P.aUser, now, { listById: true }),
        model.view(P.xJane, P.aUser, now, { listById: true }),
      ],
      notFoundIds: unknown.map(sdkFingerprint),
    });
  });

  test('86 IDs are a 400 naming id', async () => {
    const ids = [P.aJon.id, ...Array.from({ length: 85 }, (_, i) => uuid(0x2, i + 1))];
    assertError(await get(`/v1/people?id=${ids.join(',')}`, P.aUser), 400, /'id'/);
    assertError(await get(`/v1/people?id=${ids.join(',')}`, P.aFull), 400, /'id'/);
  });
});

describe('orgId', () => {
  const everyoneInA = () => model.inOrg(ORG.A);

  test('an admin of a managing org lists that org, by hydra ID or raw UUID', async () => {
    for (const orgId of [hydra('ORGANIZATION', ORG.A), ORG.A]) {
      await expectList(`/v1/people?orgId=${orgId}`, P.pFull, everyoneInA());
      await expectList(`/v1/people?orgId=${orgId}`, P.pRo, everyoneInA());
    }
  });

  test('with displayName, only that org is searched', async () => {
    await expectList(`/v1/people?orgId=${hydra('ORGANIZATION', ORG.A)}&displayName=j`, P.pFull, J_IN_A);
    await expectList(`/v1/people?orgId=${ORG.P}&displayName=j`, P.pFull, [P.pJohn]);
  });

  test('the own org is fine for anyone', async () => {
    await expectList(`/v1/people?orgId=${hydra('ORGANIZATION', ORG.A)}&displayName=j`, P.aUser, J_IN_A);
    await expectList(`/v1/people?orgId=${ORG.X}&email=jane%40other.test`, P.xUser, [P.xJane]);
    await expectList(`/v1/people?orgId=${ORG.A}`, P.aFull, everyoneInA());
  });

  test('an unrelated org, a managing org, or a managed org for a non-admin → 403', async () => {
    const cases: [string, PersonEntry][] = [
      [`orgId=${hydra('ORGANIZATION', ORG.A)}`, P.xFull],
      [`orgId=${ORG.A}&displayName=j`, P.xUser],
      [`orgId=${hydra('ORGANIZATION', ORG.P)}`, P.aFull],
      [`orgId=${ORG.X}`, P.pFull],
      [`orgId=${hydra('ORGANIZATION', ORG.A)}&displayName=j`, P.pUser],
      [`orgId=${ORG.A}&email=jon.smith%40acme.test`, P.pUser],
    ];
    for (const [query, caller] of cases) {
      assertError(await get(`/v1/people?${query}`, caller), 403, MESSAGES.forbidden, query, /orgId/);
    }
  });
});

describe('roles', () => {
  test('admins filter their own org by role name or hydra ROLE ID', async () => {
    await expectList('/v1/people?roles=id_full_admin', P.aFull, [P.aFull]);
    await expectList(`/v1/people?roles=${hydra('ROLE', 'id_full_admin')}`, P.aRo, [P.aFull]);
    await expectList(`/v1/people?roles=${hydra('ROLE', 'id_user_admin')},id_readonly_admin`, P.aFull, [
      P.aRo,
      P.aUserAdmin,
    ]);
    await expectList('/v1/people?roles=id_device_admin', P.aFull, [P.aDevice, P.aJon]);
  });

  test('only the own org, even for an admin of a managing org', async () => {
    await expectList('/v1/people?roles=id_full_admin', P.pFull, [P.pFull]);
    await expectList('/v1/people?roles=id_full_admin&displayName=Alice', P.pFull, []);
    await expectList('/v1/people?roles=id_full_admin&displayName=Paula', P.pFull, [P.pFull]);
  });

  test('non-admins → 403', async () => {
    for (const caller of [P.aUser, P.aDevice, P.aBot, P.pUser]) {
      const reply = await get('/v1/people?roles=id_full_admin&displayName=A', caller);
      assertError(reply, 403, MESSAGES.forbidden, caller.displayName);
    }
  });
});

describe('callingData', () => {
  test('admins of the person’s org see extension, location and calling numbers', async () => {
    for (const caller of [P.aFull, P.aRo, P.pFull]) {
      await expectList('/v1/people?displayName=Carl&callingData=true', caller, [P.aCalling], {
        callingData: true,
      });
    }
    const reply = await get('/v1/people?displayName=Carl&callingData=TRUE', P.aFull);
    const item = (ok(reply) as { items: Json[] }).items[0];
    assert.equal(item?.extension, '1234');
    assert.equal(item?.locationId, hydra('LOCATION', 'loc-hq'));
  });

  test('for anyone else it is ignored', async () => {
    for (const caller of [P.aUser, P.aDevice, P.pUser]) {
      await expectList('/v1/people?displayName=Carl&callingData=true', caller, [P.aCalling]);
      const item = (
        ok(await get('/v1/people?displayName=Carl&callingData=true', caller)) as { items: Json[] }
      ).items[0];
      assert.deepEqual(item?.phoneNumbers, [{ type: 'mobile', value: '+1 555 0002' }]);
      assert.equal(item?.extension, undefined);
    }
  });

  test('without it nobody sees calling data', async () => {
    await expectList('/v1/people?displayName=Carl', P.aFull, [P.aCalling]);
    const item = (
      ok(await get('/v1/people?displayName=Carl&callingData=false', P.aFull)) as { items: Json[] }
    ).items[0];
    assert.deepEqual(item?.phoneNumbers, [{ type: 'mobile', value: '+1 555 0002' }]);
    assert.equal(item?.locationId, undefined);
  });

  test('a value other than true or false → 400 naming callingData', async () => {
    const reply = await get('/v1/people?displayName=Carl&callingData=yes', P.aFull);
    assertError(reply, 400, /'callingData'/);
  });
});

describe('locationId', () => {
  test('admins list their own org’s people at a location, by raw value or hydra LOCATION ID', async () => {
    await expectList('/v1/people?locationId=loc-hq', P.aFull, [P.aCalling]);
    await expectList(`/v1/people?locationId=${hydra('LOCATION', 'loc-hq')}`, P.aRo, [P.aCalling]);
    await expectList(
      `/v1/people?locationId=${hydra('LOCATION', 'loc-branch')}&callingData=true`,
      P.aFull,
      [P.aLena],
      {
        callingData: true,
      },
    );
    await expectList('/v1/people?locationId=loc-nowhere', P.aFull, []);
  });

  test('an admin of a managing org: its own org, or the managed one with orgId', async () => {
    await expectList('/v1/people?locationId=loc-hq', P.pFull, [P.pJohn]);
    await expectList(`/v1/people?locationId=loc-hq&orgId=${ORG.A}`, P.pFull, [P.aCalling]);
  });

  test('non-admins → 403', async () => {
    for (const caller of [P.aUser, P.aDevice, P.aBot]) {
      const reply = await get('/v1/people?locationId=loc-hq&displayName=C', caller);
      assertError(reply, 403, MESSAGES.forbidden, caller.displayName);
    }
  });
});

describe('excludeStatus and showAllTypes', () => {
  test('excludeStatus=true leaves out status and lastActivity, in any case', async () => {
    for (const value of ['true', 'True', 'TRUE']) {
      await expectList(`/v1/people?displayName=j&excludeStatus=${value}`, P.aFull, J_IN_A, {
        excludeStatus: true,
      });
    }
    await expectList('/v1/people?displayName=j&excludeStatus=false', P.aFull, J_IN_A);
    const reply = await get('/v1/people?displayName=Jon&excludeStatus=True', P.aUser);
    const item = (ok(reply) as { items: Json[] }).items[0];
    assert.equal(item?.status, undefined);
    assert.equal(item?.lastActivity, undefined);
  });

  test('excludeStatus with another value → 400 naming it', async () => {
    assertError(await get('/v1/people?displayName=j&excludeStatus=1', P.aFull), 400, /'excludeStatus'/);
  });

  test('showAllTypes is accepted, True or false, and changes nothing', async () => {
    for (const value of ['True', 'true', 'false', 'False']) {
      await expectList(`/v1/people?displayName=B&showAllTypes=${value}`, P.aUser, [P.aBot]);
      const reply = await get(`/v1/people?id=${P.aBot.id},x&showAllTypes=${value}`, P.aUser);
      assert.deepEqual(ok(reply), {
        items: [model.view(P.aBot, P.aUser, server.clock.now(), { listById: true })],
        notFoundIds: [sdkFingerprint('x')],
      });
    }
  });
});

describe('scope and required filters', () => {
  test('non-admins without email, displayName or id → 400', async () => {
    const queries = ['', '?callingData=true', '?max=5', `?orgId=${ORG.A}`, '?excludeStatus=true', '?foo=bar'];
    for (const caller of [P.aUser, P.aDevice, P.aBot, P.aQuiet, P.pUser, P.xUser]) {
      for (const query of queries) {
        const reply = await get(`/v1/people${query}`, caller);
        assertError(reply, 400, MESSAGES.listNeedsFilter, `${caller.displayName} ${query}`);
      }
    }
  });

  test('an empty displayName is no filter: non-admins get 400, not everyone in reach', async () => {
    for (const caller of [P.aUser, P.pUser]) {
      for (const query of ['displayName=', 'displayName=&max=5']) {
        const reply = await get(`/v1/people?${query}`, caller);
        assertError(reply, 400, MESSAGES.listNeedsFilter, `${caller.displayName} ${query}`);
      }
    }
  });

  test('an admin without filters lists its own org only', async () => {
    await expectList('/v1/people', P.aFull, model.inOrg(ORG.A));
    await expectList('/v1/people', P.aRo, model.inOrg(ORG.A));
    await expectList('/v1/people', P.pFull, model.inOrg(ORG.P));
    await expectList('/v1/people', P.xFull, model.inOrg(ORG.X));
  });

  test('an admin’s email and displayName searches cover the orgs it manages', async () => {
    await expectList('/v1/people?displayName=j', P.pRo, [...J_IN_A, P.pJohn]);
    await expectList('/v1/people?email=carl%40acme.test', P.pRo, [P.aCalling]);
    await expectList('/v1/people?displayName=j', P.xFull, [P.xJane]);
  });

  test('/v1/people/ with a trailing slash lists like /v1/people', async () => {
    const cases: [string, PersonEntry, PersonEntry[]][] = [
      ['?displayName=j', P.aUser, J_IN_A],
      ['', P.aFull, model.inOrg(ORG.A)],
      ['?email=jon.smith%40acme.test', P.pUser, [P.aJon]],
    ];
    for (const [query, caller, people] of cases) {
      await expectList(`/v1/people/${query}`, caller, people);
      await expectList(`/v1/people${query}`, caller, people);
    }
    assertError(await get('/v1/people/', P.aUser), 400, MESSAGES.listNeedsFilter);
  });

  test('without a token → 401', async () => {
    assertError(await send(server.url, 'GET', '/v1/people?displayName=j'), 401, MESSAGES.unauthorized);
    const reply = await send(server.url, 'GET', '/v1/people?displayName=j', { token: 'no-such-token' });
    assertError(reply, 401, MESSAGES.unauthorized);
  });
});

describe('max', () => {
  // 1,100 people at one location, in one org, with an admin: enough for every clamp.
  const BIG = uuid(0xb, 1);
  const admin = person(BIG, 'Zoe Admin', 'zoe@big.test', { roles: ['id_full_admin'], tokens: ['tok-big'] });
  const generated = Array.from({ length: 1100 }, (_, i) =>
    person(BIG, `Gen ${String(i).padStart(4, '0')}`, `gen${i}@big.test`, {
      extension: String(5000 + i),
      locationId: 'loc-big',
      phoneNumbers: [{ type: 'work', value: `+1 555 ${i}` }],
    }),
  );
  const big = new DirectoryModel({ orgs: [{ id: BIG, displayName: 'Big' }], people: [admin, ...generated] });
  const all = sortPeople([admin, ...generated]);
  let bigServer: TestServer;
  before(async () => {
    bigServer = await startTestServer(big.file, { now: NOW, settings: TEST_SETTINGS });
  });
  after(() => bigServer.close());

  async function page(query: string, size: number, options: ViewOptions = {}, people = all) {
    const reply = await big.call(bigServer, 'GET', `/v1/people${query}`, admin);
    assert.deepEqual(ok(reply, query), big.list(people.slice(0, size), admin, NOW, options), query);
    assert.match(
      String(reply.headers.link),
      /^<http:\/\/127\.0\.0\.1:\d+\/v1\/people\?.*after=.+>; rel="next"$/,
    );
  }

  test('defaults to 100', async () => {
    await page('', 100);
  });

  test('is clamped to 1000', async () => {
    await page('?max=1000', 1000);
    await page('?max=2000', 1000);
    await page('?max=999', 999);
  });

  test('is clamped to 100 with callingData=true', async () => {
    await page('?max=500&callingData=true', 100, { callingData: true });
    await page('?callingData=true', 100, { callingData: true });
    await page('?max=7&callingData=true', 7, { callingData: true });
  });

  test('is clamped to 50 with locationId', async () => {
    const located = sortPeople(generated);
    await page('?max=500&locationId=loc-big', 50, {}, located);
    await page('?locationId=loc-big', 50, {}, located);
    await page('?max=1000&locationId=loc-big&callingData=true', 50, { callingData: true }, located);
    await page('?max=3&locationId=loc-big', 3, {}, located);
  });

  test('0, negative, fractional or non-numeric → 400 naming max', async () => {
    for (const value of ['0', '-1', 'abc', '1.5', '']) {
      const reply = await big.call(bigServer, 'GET', `/v1/people?max=${value}`, admin);
      assertError(reply, 400, /'max'/, `max=${value}`);
    }
    const asUser = await get('/v1/people?displayName=j&max=0', P.aUser);
    assertError(asUser, 400, /'max'/);
  });
});
