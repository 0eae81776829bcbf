import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DirectoryModel,
  NOW,
  ok,
  peopleSnapshot,
  type PersonEntry,
  personMaker,
  type Reply,
  send,
  TEST_SETTINGS,
  tokenOf,
  uuid,
} from './helpers/people-fixtures.js';
import {
  assertError,
  hydra,
  iso,
  type Json,
  MESSAGES,
  sdkFingerprint,
  unhydra,
  UUID,
} from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Create, Update and Delete a Person (docs/people-api.md Part A, "Routes" and "Writes"):
// - full or user admins of the person's org, or of an org that manages it; everyone else → 403;
// - POST → 200 with the person (invited: invitePending "true", status "pending"), emails required,
//   one of displayName/firstName/lastName required, a taken email → 409, orgId defaults to the
//   caller's org; minResponse=true → {"id"}; callingData=true shows calling data to admins;
// - PUT replaces the person: fields left out are cleared, read-only fields in the body are ignored,
//   displayName is required, nickName follows firstName;
// - DELETE → 204 with an empty body, revokes the person's tokens at once; a second DELETE → 404.

const ORG = { A: uuid(0xd, 1), P: uuid(0xd, 2), X: uuid(0xd, 3) };
const CREATED = '2024-07-08T09:10:11.120Z';
const MODIFIED = '2025-10-11T12:13:14.150Z';

const person = personMaker(0x4, { created: CREATED, lastModified: MODIFIED });
const withToken = (email: string, roles: string[] = [], extra: Partial<PersonEntry> = {}) => ({
  roles,
  tokens: [`tok-${email}`],
  ...extra,
});

const C = {
  aFull: person(ORG.A, 'Alice Full', 'alice@acme.test', withToken('alice', ['id_full_admin'])),
  aUserAdmin: person(ORG.A, 'Uma Useradmin', 'uma@acme.test', withToken('uma', ['id_user_admin'])),
  aRo: person(ORG.A, 'Rita Readonly', 'rita@acme.test', withToken('rita', ['id_readonly_admin'])),
  aDevice: person(ORG.A, 'Dev Device', 'dev@acme.test', withToken('dev', ['id_device_admin'])),
  aUser: person(ORG.A, 'Ursula User', 'ursula@acme.test', withToken('ursula')),
  aBot: person(ORG.A, 'Botty', 'botty@webex.bot', withToken('botty', [], { type: 'bot' })),
  aPromote: person(ORG.A, 'Paul Promoted', 'paul@acme.test', withToken('paul')),
  aDemote: person(ORG.A, 'Dana Demoted', 'dana@acme.test', withToken('dana', ['id_full_admin'])),
  pFull: person(ORG.P, 'Paula Partner', 'paula@partner.test', withToken('paula', ['id_full_admin'])),
  pUserAdmin: person(ORG.P, 'Ulf Partneradmin', 'ulf@partner.test', withToken('ulf', ['id_user_admin'])),
  pRo: person(ORG.P, 'Pete Partner', 'pete@partner.test', withToken('pete', ['id_readonly_admin'])),
  xFull: person(ORG.X, 'Xavier Other', 'xavier@other.test', withToken('xavier', ['id_full_admin'])),
};

const rich = (name: string, email: string, extra: Partial<PersonEntry> = {}) =>
  person(ORG.A, name, email, {
    firstName: name.split(' ')[0] ?? name,
    lastName: name.split(' ')[1] ?? name,
    nickName: 'Nick',
    avatar: `https://avatars.example.test/${email}.png`,
    title: 'Engineer',
    department: 'R&D',
    manager: 'Alice Full',
    managerId: C.aFull.id,
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0101' }],
    addresses: [{ type: 'work', country: 'US', locality: 'Milpitas' }],
    roles: ['id_device_admin'],
    licenses: ['lic-basic'],
    siteUrls: ['acme.webex.com#attendee'],
    sipAddresses: [{ type: 'enterprise', value: `${email}.sip`, primary: true }],
    timezone: 'America/Denver',
    xmppFederationJid: `${email}.xmpp`,
    presence: { lastActivity: iso(NOW - 3600_000) },
    ...extra,
  });

const T = {
  cleared: rich('Tess Target', 'tess@acme.test'),
  python: rich('Pyt Hon', 'python@acme.test', { invitePending: true, loginEnabled: false }),
  nick: rich('Nina Nick', 'nina@acme.test'),
  conflict: rich('Conn Flict', 'conn@acme.test'),
  clock: rich('Cleo Clock', 'cleo@acme.test'),
  keepEmails: rich('Kim Keep', 'kim@acme.test'),
  forbidden: rich('Fred Forbidden', 'fred@acme.test'),
  viaPartner: rich('Vic Via', 'vic@acme.test'),
  inP: person(ORG.P, 'Pia InPartner', 'pia@partner.test'),
  del: person(ORG.A, 'Del Deleted', 'del@acme.test', withToken('del')),
  delForbidden: person(ORG.A, 'Don Notdeleted', 'don@acme.test'),
  delPartner: person(ORG.A, 'Dirk Partnerdeleted', 'dirk@acme.test'),
  delInP: person(ORG.P, 'Pat InPartner', 'pat@partner.test'),
  fullTarget: person(ORG.A, 'Fiona Fulladmin', 'fiona@acme.test', withToken('fiona', ['id_full_admin'])),
  roleTarget: person(ORG.A, 'Rolf Roles', 'rolf@acme.test', withToken('rolf')),
};

const model = new DirectoryModel({
  orgs: [
    { id: ORG.A, displayName: 'Acme' },
    { id: ORG.P, displayName: 'Partner', manages: [ORG.A] },
    { id: ORG.X, displayName: 'Other' },
  ],
  people: [...Object.values(C), ...Object.values(T)],
});

let server: TestServer;
before(async () => {
  server = await startTestServer(model.file, { now: NOW, settings: TEST_SETTINGS });
});
after(() => server.close());

const call = (method: string, path: string, as: PersonEntry, json?: unknown) =>
  model.call(server, method, path, as, json === undefined ? {} : { json });
const personPath = (p: PersonEntry) => `/v1/people/${hydra('PEOPLE', p.id)}`;

/** Asserts nothing in the store changes while `action` runs. */
async function unchanged(action: () => Promise<void>): Promise<void> {
  const before = await peopleSnapshot(server);
  await action();
  assert.deepEqual(await peopleSnapshot(server), before, 'nothing written');
}

/** A 200 with a newly created person; returns its UUID. */
function createdId(reply: Reply): string {
  const body = ok(reply) as Json;
  const id = unhydra('PEOPLE', body.id);
  assert.match(id, UUID);
  assert.ok(!model.file.people.some((p) => p.id === id), 'a new ID');
  return id;
}

describe('Create a Person', () => {
  test('a full admin creates a person in its own org: 200, invited, pending, timestamps from the clock', async () => {
    server.clock.advance(60_000);
    const at = server.clock.now();
    const body = {
      emails: ['new.person@acme.test'],
      displayName: 'New Person',
      firstName: 'New',
      lastName: 'Person',
      avatar: 'https://avatars.example.test/new.png',
      title: 'Engineer',
      department: 'R&D',
      manager: 'Alice Full',
      managerId: hydra('PEOPLE', C.aFull.id),
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0199' }],
      addresses: [
        {
          type: 'work',
          country: 'US',
          locality: 'Milpitas',
          region: 'California',
          streetAddress: '1 Main St',
          postalCode: '95035',
        },
      ],
      roles: ['id_readonly_admin'],
      licenses: [hydra('LICENSE', 'lic-basic')],
      siteUrls: ['acme.webex.com#attendee'],
    };
    const reply = await call('POST', '/v1/people', C.aFull, body);
    const id = createdId(reply);
    const expected = {
      id: hydra('PEOPLE', id),
      emails: ['new.person@acme.test'],
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0199' }],
      displayName: 'New Person',
      nickName: 'New',
      firstName: 'New',
      lastName: 'Person',
      avatar: 'https://avatars.example.test/new.png',
      orgId: hydra('ORGANIZATION', ORG.A),
      roles: [hydra('ROLE', 'id_readonly_admin')],
      licenses: [hydra('LICENSE', 'lic-basic')],
      department: 'R&D',
      manager: 'Alice Full',
      managerId: hydra('PEOPLE', C.aFull.id),
      title: 'Engineer',
      addresses: body.addresses,
      created: iso(at),
      lastModified: iso(at),
      siteUrls: ['acme.webex.com#attendee'],
      status: 'pending',
      invitePending: 'true',
      loginEnabled: 'true',
      type: 'person',
    };
    assert.deepEqual(reply.body, expected);
    assert.deepEqual(ok(await call('GET', `/v1/people/${hydra('PEOPLE', id)}`, C.aFull)), expected);
    assert.deepEqual(ok(await call('GET', '/v1/people?email=NEW.PERSON%40acme.test', C.aFull)), {
      items: [expected],
    });
  });

  test('a user admin of the org creates; only the required fields', async () => {
    const reply = await call('POST', '/v1/people', C.aUserAdmin, {
      emails: ['minimal@acme.test'],
      displayName: 'Minimal Person',
    });
    const id = createdId(reply);
    assert.deepEqual(reply.body, {
      id: hydra('PEOPLE', id),
      emails: ['minimal@acme.test'],
      displayName: 'Minimal Person',
      orgId: hydra('ORGANIZATION', ORG.A),
      created: iso(server.clock.now()),
      lastModified: iso(server.clock.now()),
      status: 'pending',
      invitePending: 'true',
      loginEnabled: 'true',
      type: 'person',
    });
  });

  test('a full or user admin of a managing org creates in the managed org, by hydra ID or raw UUID', async () => {
    const cases = [
      [C.pFull, hydra('ORGANIZATION', ORG.A)],
      [C.pFull, ORG.A],
      [C.pUserAdmin, hydra('ORGANIZATION', ORG.A)],
    ] as const;
    for (const [i, [caller, orgId]] of cases.entries()) {
      const reply = await call('POST', '/v1/people', caller, {
        emails: [`from-partner-${i}@acme.test`],
        displayName: `From Partner ${i}`,
        orgId,
      });
      const id = createdId(reply);
      assert.deepEqual(reply.body, {
        id: hydra('PEOPLE', id),
        emails: [`from-partner-${i}@acme.test`],
        displayName: `From Partner ${i}`,
        orgId: hydra('ORGANIZATION', ORG.A),
        created: iso(server.clock.now()),
        lastModified: iso(server.clock.now()),
        status: 'pending',
        invitePending: 'true',
        loginEnabled: 'true',
        type: 'person',
      });
    }
  });

  test("orgId defaults to the caller's org", async () => {
    for (const caller of [C.pFull, C.xFull]) {
      const reply = await call('POST', '/v1/people', caller, {
        emails: [`default-org-${caller.id}@example.test`],
        displayName: 'Default Org',
      });
      createdId(reply);
      assert.equal((reply.body as Json).orgId, hydra('ORGANIZATION', caller.orgId));
    }
  });

  test('read-only admins, device admins, users, bots and admins of other orgs → 403, nothing written', async () => {
    const cases: [PersonEntry, string | undefined][] = [
      [C.aRo, undefined],
      [C.aDevice, undefined],
      [C.aUser, undefined],
      [C.aBot, undefined],
      [C.aRo, ORG.A],
      [C.pRo, hydra('ORGANIZATION', ORG.A)],
      [C.xFull, hydra('ORGANIZATION', ORG.A)],
      [C.aFull, hydra('ORGANIZATION', ORG.P)],
      [C.aUserAdmin, ORG.X],
    ];
    await unchanged(async () => {
      for (const [caller, orgId] of cases) {
        const body = { emails: ['refused@acme.test'], displayName: 'Refused', ...(orgId && { orgId }) };
        const reply = await call('POST', '/v1/people', caller, body);
        assertError(reply, 403, MESSAGES.forbidden, `${caller.displayName} → ${orgId ?? 'own org'}`);
      }
    });
  });

  test('missing emails → 400 "Missing required field \'emails\' in the request body."', async () => {
    await unchanged(async () => {
      const reply = await call('POST', '/v1/people', C.aFull, { displayName: 'No Email' });
      assertError(reply, 400, MESSAGES.missingField('emails'));
    });
  });

  test('empty or invalid emails → 400 naming emails', async () => {
    await unchanged(async () => {
      for (const emails of [[], ['not-an-email'], ['']]) {
        const reply = await call('POST', '/v1/people', C.aFull, { emails, displayName: 'Bad Email' });
        assertError(reply, 400, /emails/, JSON.stringify(emails));
      }
    });
  });

  test('none of displayName, firstName, lastName → 400', async () => {
    await unchanged(async () => {
      const reply = await call('POST', '/v1/people', C.aFull, {
        emails: ['nameless@acme.test'],
        title: 'Ghost',
      });
      assertError(reply, 400, /displayName/);
    });
  });

  test('an email someone has, in any case and any org → 409, nothing written', async () => {
    await unchanged(async () => {
      for (const email of ['alice@acme.test', 'ALICE@Acme.Test', 'xavier@other.test', 'Pia@Partner.test']) {
        const reply = await call('POST', '/v1/people', C.aFull, { emails: [email], displayName: 'Copy Cat' });
        assertError(reply, 409, MESSAGES.emailTaken(email), email);
      }
    });
  });

  test('wrong field types → 400 naming the field, nothing written', async () => {
    const base = { emails: ['typed@acme.test'], displayName: 'Typed Person' };
    const cases: [Json, RegExp][] = [
      [{ ...base, displayName: 5 }, /'displayName'/],
      [{ ...base, emails: 'typed@acme.test' }, /'emails'/],
      [
        { ...base, phoneNumbers: [{ type: 'pager', value: '+1 555 0000' }] },
        /'phoneNumbers(\.0|\[0\])\.type'/,
      ],
      [{ ...base, phoneNumbers: [{ type: 'mobile' }] }, /phoneNumbers/],
      [{ ...base, roles: 'x' }, /'roles'/],
      [{ ...base, roles: [hydra('LICENSE', 'x')] }, /roles/],
      [{ ...base, title: ['Boss'] }, /'title'/],
      [{ ...base, addresses: [{ country: 1 }] }, /addresses/],
      [{ ...base, firstName: null }, /'firstName'/],
      [{ ...base, orgId: 'not-an-org' }, /'orgId'/],
      [{ ...base, orgId: hydra('PEOPLE', C.aFull.id) }, /'orgId'/],
    ];
    await unchanged(async () => {
      for (const [body, field] of cases) {
        const reply = await call('POST', '/v1/people', C.aFull, body);
        assertError(reply, 400, field, JSON.stringify(body));
      }
    });
    const reply = await call('GET', '/v1/people?email=typed%40acme.test', C.aFull);
    assert.deepEqual(ok(reply), { items: [] });
  });

  test('minResponse=true → 200 with {"id"} only; the person exists', async () => {
    for (const [i, value] of ['true', 'True'].entries()) {
      const reply = await call('POST', `/v1/people?minResponse=${value}`, C.aFull, {
        emails: [`min-${i}@acme.test`],
        displayName: `Min ${value}`,
      });
      const id = createdId(reply);
      assert.deepEqual(reply.body, { id: hydra('PEOPLE', id) });
      const got = ok(await call('GET', `/v1/people/${id}`, C.aFull)) as Json;
      assert.equal(got.displayName, `Min ${value}`);
    }
  });

  test('callingData=true shows the new calling data to the admin; without it, it is hidden', async () => {
    const body = {
      emails: ['caller.new@acme.test'],
      displayName: 'Calling New',
      extension: '7777',
      locationId: hydra('LOCATION', 'loc-hq'),
      phoneNumbers: [
        { type: 'work', value: '+1 408 555 7777', primary: true },
        { type: 'mobile', value: '+1 555 7777' },
      ],
      licenses: ['lic-calling'],
    };
    const reply = await call('POST', '/v1/people?callingData=true', C.aFull, body);
    const id = createdId(reply);
    const now = iso(server.clock.now());
    const common = {
      id: hydra('PEOPLE', id),
      emails: ['caller.new@acme.test'],
      displayName: 'Calling New',
      orgId: hydra('ORGANIZATION', ORG.A),
      licenses: [hydra('LICENSE', 'lic-calling')],
      created: now,
      lastModified: now,
      status: 'pending',
      invitePending: 'true',
      loginEnabled: 'true',
      type: 'person',
    };
    const withCalling = {
      ...common,
      phoneNumbers: body.phoneNumbers,
      extension: '7777',
      locationId: hydra('LOCATION', 'loc-hq'),
    };
    const withoutCalling = { ...common, phoneNumbers: [{ type: 'mobile', value: '+1 555 7777' }] };
    assert.deepEqual(reply.body, withCalling);
    assert.deepEqual(ok(await call('GET', `/v1/people/${id}?callingData=true`, C.aRo)), withCalling);
    assert.deepEqual(ok(await call('GET', `/v1/people/${id}`, C.aFull)), withoutCalling);

    const second = await call('POST', '/v1/people', C.aFull, {
      ...body,
      emails: ['caller.other@acme.test'],
      extension: '7778',
    });
    const secondId = createdId(second);
    assert.deepEqual(second.body, {
      ...withoutCalling,
      id: hydra('PEOPLE', secondId),
      emails: ['caller.other@acme.test'],
    });
  });
});

describe('Update a Person', () => {
  test('full replacement: fields left out are cleared, read-only ones kept', async () => {
    server.clock.advance(1000);
    const reply = await call('PUT', personPath(T.cleared), C.aFull, {
      emails: ['tess@acme.test'],
      displayName: 'Tess Renamed',
    });
    const expected = {
      id: hydra('PEOPLE', T.cleared.id),
      emails: ['tess@acme.test'],
      displayName: 'Tess Renamed',
      orgId: hydra('ORGANIZATION', ORG.A),
      created: CREATED,
      lastModified: iso(server.clock.now()),
      timezone: 'America/Denver',
      lastActivity: iso(NOW - 3600_000),
      sipAddresses: [{ type: 'enterprise', value: 'tess@acme.test.sip', primary: true }],
      xmppFederationJid: 'tess@acme.test.xmpp',
      status: 'inactive',
      invitePending: 'false',
      loginEnabled: 'true',
      type: 'person',
    };
    assert.deepEqual(ok(reply), expected);
    assert.deepEqual(ok(await call('GET', personPath(T.cleared), C.aFull)), expected);
    // Lists find the person under the new name only.
    assert.deepEqual(ok(await call('GET', '/v1/people?displayName=tess%20r', C.aFull)), {
      items: [expected],
    });
    assert.deepEqual(ok(await call('GET', '/v1/people?displayName=Tess%20T', C.aFull)), { items: [] });
  });

  test('the whole GET body sent back with new names (as the Python SDK does) → 200 with the new names', async () => {
    const current = ok(await call('GET', personPath(T.python), C.aFull)) as Json;
    assert.equal(current.invitePending, 'true');
    assert.equal(current.loginEnabled, 'false');
    assert.equal(current.status, 'inactive');
    server.clock.advance(5000);
    const body = { ...current, displayName: 'Py Thon', firstName: 'Py', lastName: 'Thon' };
    const reply = await call('PUT', personPath(T.python), C.aFull, body);
    const expected = {
      ...current,
      displayName: 'Py Thon',
      firstName: 'Py',
      lastName: 'Thon',
      nickName: 'Py',
      lastModified: iso(server.clock.now()),
    };
    assert.deepEqual(ok(reply), expected);
    assert.deepEqual(ok(await call('GET', personPath(T.python), C.aFull)), expected);
  });

  test('read-only fields in the body are ignored, whatever their values', async () => {
    const current = ok(await call('GET', personPath(T.python), C.aFull)) as Json;
    const reply = await call('PUT', personPath(T.python), C.aFull, {
      ...current,
      id: hydra('PEOPLE', uuid(0x4, 0xfff)),
      orgId: hydra('ORGANIZATION', ORG.X),
      created: '2000-01-01T00:00:00.000Z',
      lastModified: '2000-01-01T00:00:00.000Z',
      lastActivity: '2000-01-01T00:00:00.000Z',
      status: 'active',
      type: 'bot',
      invitePending: 'false',
      sipAddresses: [],
      timezone: 'Asia/Tokyo',
      xmppFederationJid: 'changed@xmpp.test',
      userName: 'someone',
      somethingUnknown: { nested: true },
    });
    assert.deepEqual(ok(reply), { ...current, lastModified: iso(server.clock.now()) });
  });

  test('displayName is required → 400, nothing written', async () => {
    await unchanged(async () => {
      const reply = await call('PUT', personPath(T.nick), C.aFull, {
        emails: ['nina@acme.test'],
        firstName: 'Nina',
        lastName: 'Nick',
      });
      assertError(reply, 400, MESSAGES.missingField('displayName'));
    });
  });

  test('nickName follows firstName', async () => {
    const withFirst = await call('PUT', personPath(T.nick), C.aFull, {
      emails: ['nina@acme.test'],
      displayName: 'Nina Nick',
      firstName: 'Zed',
      nickName: 'Ignored',
    });
    assert.equal((ok(withFirst) as Json).nickName, 'Zed');
    assert.equal((withFirst.body as Json).firstName, 'Zed');
    const withoutFirst = await call('PUT', personPath(T.nick), C.aFull, {
      emails: ['nina@acme.test'],
      displayName: 'Nina Nick',
      nickName: 'Ignored',
    });
    const body = ok(withoutFirst) as Json;
    assert.equal(body.nickName, undefined);
    assert.equal(body.firstName, undefined);
    assert.deepEqual(ok(await call('GET', personPath(T.nick), C.aFull)), body);
  });

  test('an email of another person → 409, and nothing changes', async () => {
    const current = ok(await call('GET', personPath(T.conflict), C.aFull));
    await unchanged(async () => {
      for (const email of ['alice@acme.test', 'XAVIER@other.test']) {
        const reply = await call('PUT', personPath(T.conflict), C.aFull, {
          emails: [email],
          displayName: 'Conn Changed',
          title: 'Changed',
        });
        assertError(reply, 409, MESSAGES.emailTaken(email), email);
      }
    });
    assert.deepEqual(ok(await call('GET', personPath(T.conflict), C.aFull)), current);
  });

  test('its own email in another case is not a conflict', async () => {
    const reply = await call('PUT', personPath(T.conflict), C.aFull, {
      emails: ['CONN@acme.test'],
      displayName: 'Conn Flict',
    });
    assert.deepEqual((ok(reply) as Json).emails, ['CONN@acme.test']);
  });

  test('lastModified moves with the clock, created does not', async () => {
    const body = { emails: ['cleo@acme.test'], displayName: 'Cleo Clock' };
    for (const step of [1000, 86_400_000, 1]) {
      server.clock.advance(step);
      const reply = ok(await call('PUT', personPath(T.clock), C.aFull, body)) as Json;
      assert.equal(reply.created, CREATED);
      assert.equal(reply.lastModified, iso(server.clock.now()));
    }
  });

  test('emails left out are kept', async () => {
    const reply = await call('PUT', personPath(T.keepEmails), C.aFull, { displayName: 'Kim Kept' });
    const body = ok(reply) as Json;
    assert.deepEqual(body.emails, ['kim@acme.test']);
    assert.equal(body.displayName, 'Kim Kept');
    assert.equal(body.title, undefined);
  });

  test('a user admin of the org and a full or user admin of a managing org may update', async () => {
    for (const caller of [C.aUserAdmin, C.pFull, C.pUserAdmin]) {
      const reply = await call('PUT', personPath(T.viaPartner), caller, {
        emails: ['vic@acme.test'],
        displayName: `Vic by ${caller.displayName}`,
      });
      assert.equal((ok(reply) as Json).displayName, `Vic by ${caller.displayName}`);
    }
  });

  test('read-only admins, device admins, users, bots and admins of other orgs → 403, nothing written', async () => {
    const cases: [PersonEntry, PersonEntry][] = [
      [C.aRo, T.forbidden],
      [C.aDevice, T.forbidden],
      [C.aUser, T.forbidden],
      [C.aBot, T.forbidden],
      [C.pRo, T.forbidden],
      [C.xFull, T.forbidden],
      [C.aFull, T.inP],
      [C.aUser, C.aUser],
    ];
    await unchanged(async () => {
      for (const [caller, target] of cases) {
        const reply = await call('PUT', personPath(target), caller, {
          emails: target.emails,
          displayName: 'Hacked',
        });
        assertError(reply, 403, MESSAGES.forbidden, `${caller.displayName} → ${target.displayName}`);
      }
    });
  });

  test('an unknown person → 404', async () => {
    await unchanged(async () => {
      for (const ref of [hydra('PEOPLE', uuid(0x4, 0xfff)), uuid(0x4, 0xffe), 'nope']) {
        const reply = await call('PUT', `/v1/people/${ref}`, C.aFull, {
          emails: ['ghost@acme.test'],
          displayName: 'Ghost',
        });
        assertError(reply, 404, MESSAGES.personNotFound, ref);
      }
    });
  });

  test('minResponse=true → {"id"} only', async () => {
    const reply = await call('PUT', `${personPath(T.clock)}?minResponse=true`, C.aFull, {
      emails: ['cleo@acme.test'],
      displayName: 'Cleo Minimal',
    });
    assert.deepEqual(ok(reply), { id: hydra('PEOPLE', T.clock.id) });
    assert.equal((ok(await call('GET', personPath(T.clock), C.aFull)) as Json).displayName, 'Cleo Minimal');
  });
});

describe('Delete a Person', () => {
  test("204 with an empty body; the person's token stops working at once; GET → 404", async () => {
    // The token is used (and cached) first.
    assert.equal((ok(await call('GET', '/v1/people/me', T.del)) as Json).displayName, 'Del Deleted');
    const reply = await call('DELETE', personPath(T.del), C.aFull);
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal(reply.headers['content-type'], undefined);
    assert.equal(typeof reply.headers.trackingid, 'string');

    assertError(
      await send(server.url, 'GET', '/v1/people/me', { token: tokenOf(T.del) }),
      401,
      MESSAGES.unauthorized,
    );
    const list = await send(server.url, 'GET', '/v1/people?displayName=D', { token: tokenOf(T.del) });
    assertError(list, 401, MESSAGES.unauthorized);
    assertError(await call('GET', personPath(T.del), C.aFull), 404, MESSAGES.personNotFound);
    assert.deepEqual(ok(await call('GET', '/v1/people?email=del%40acme.test', C.aFull)), { items: [] });
    assert.deepEqual(ok(await call('GET', `/v1/people?id=${T.del.id}`, C.aFull)), {
      items: [],
      notFoundIds: [sdkFingerprint(T.del.id)],
    });
  });

  test('a second delete → 404', async () => {
    await unchanged(async () => {
      assertError(await call('DELETE', personPath(T.del), C.aFull), 404, MESSAGES.personNotFound);
      assertError(await call('DELETE', `/v1/people/${T.del.id}`, C.aUserAdmin), 404, MESSAGES.personNotFound);
    });
  });

  test('the email of a deleted person can be used again', async () => {
    const reply = await call('POST', '/v1/people', C.aFull, {
      emails: ['DEL@acme.test'],
      displayName: 'Del Again',
    });
    createdId(reply);
  });

  test('read-only admins, device admins, users, bots and admins of other orgs → 403', async () => {
    const cases: [PersonEntry, PersonEntry][] = [
      [C.aRo, T.delForbidden],
      [C.aDevice, T.delForbidden],
      [C.aUser, T.delForbidden],
      [C.aBot, T.delForbidden],
      [C.pRo, T.delForbidden],
      [C.xFull, T.delForbidden],
      [C.aFull, T.delInP],
    ];
    await unchanged(async () => {
      for (const [caller, target] of cases) {
        const reply = await call('DELETE', personPath(target), caller);
        assertError(reply, 403, MESSAGES.forbidden, `${caller.displayName} → ${target.displayName}`);
      }
    });
    assert.equal(
      (ok(await call('GET', personPath(T.delForbidden), C.aFull)) as Json).displayName,
      'Don Notdeleted',
    );
  });

  test('an admin of a managing org may delete, by raw UUID too', async () => {
    const reply = await call('DELETE', `/v1/people/${T.delPartner.id}`, C.pFull);
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assertError(await call('GET', personPath(T.delPartner), C.pFull), 404, MESSAGES.personNotFound);
  });

  test('an unknown person → 404', async () => {
    for (const ref of [hydra('PEOPLE', uuid(0x4, 0xfff)), 'nope']) {
      assertError(await call('DELETE', `/v1/people/${ref}`, C.aFull), 404, MESSAGES.personNotFound, ref);
    }
  });
});

describe('role changes take effect at once', () => {
  test('a user made full admin by a PUT can create people right away', async () => {
    const newcomer = { emails: ['by-paul@acme.test'], displayName: 'By Paul' };
    assertError(await call('POST', '/v1/people', C.aPromote, newcomer), 403, MESSAGES.forbidden);
    const promoted = await call('PUT', personPath(C.aPromote), C.aFull, {
      emails: C.aPromote.emails,
      displayName: C.aPromote.displayName,
      roles: [hydra('ROLE', 'id_full_admin')],
    });
    assert.deepEqual((ok(promoted) as Json).roles, [hydra('ROLE', 'id_full_admin')]);
    createdId(await call('POST', '/v1/people', C.aPromote, newcomer));
  });

  test('a full admin whose roles a PUT removes is refused right away', async () => {
    createdId(
      await call('POST', '/v1/people', C.aDemote, { emails: ['by-dana@acme.test'], displayName: 'By Dana' }),
    );
    const demoted = await call('PUT', personPath(C.aDemote), C.aFull, {
      emails: C.aDemote.emails,
      displayName: C.aDemote.displayName,
    });
    assert.equal((ok(demoted) as Json).roles, undefined);
    const reply = await call('POST', '/v1/people', C.aDemote, {
      emails: ['by-dana-2@acme.test'],
      displayName: 'No',
    });
    assertError(reply, 403, MESSAGES.forbidden);
    assertError(await call('GET', '/v1/people', C.aDemote), 400, MESSAGES.listNeedsFilter);
  });
});

describe('the full admin role is granted and taken only by full admins', () => {
  const FULL = hydra('ROLE', 'id_full_admin');
  const userAdmins = [C.aUserAdmin, C.pUserAdmin];

  test('a user admin cannot create a full admin (role name or role ID): 403, nothing written', async () => {
    await unchanged(async () => {
      for (const caller of userAdmins) {
        for (const role of ['id_full_admin', FULL]) {
          const reply = await call('POST', '/v1/people', caller, {
            emails: ['escalated@acme.test'],
            displayName: 'Escalated',
            orgId: ORG.A,
            roles: ['id_readonly_admin', role],
          });
          assertError(
            reply,
            403,
            MESSAGES.forbidden,
            `${caller.displayName}, ${role}`,
            MESSAGES.fullAdminGrant,
          );
        }
      }
    });
  });

  test('a user admin cannot make itself or another person a full admin: 403, nothing written', async () => {
    await unchanged(async () => {
      for (const [caller, target] of [
        [C.aUserAdmin, C.aUserAdmin],
        [C.aUserAdmin, T.roleTarget],
        [C.pUserAdmin, T.roleTarget],
      ] as const) {
        const reply = await call('PUT', personPath(target), caller, {
          emails: target.emails,
          displayName: target.displayName,
          roles: ['id_user_admin', FULL],
        });
        const where = `${caller.displayName} → ${target.displayName}`;
        assertError(reply, 403, MESSAGES.forbidden, where, MESSAGES.fullAdminGrant);
      }
    });
  });

  test('a user admin cannot strip, change or delete a full admin: 403, nothing written', async () => {
    await unchanged(async () => {
      for (const caller of userAdmins) {
        const bodies = [
          { emails: T.fullTarget.emails, displayName: T.fullTarget.displayName },
          { emails: T.fullTarget.emails, displayName: T.fullTarget.displayName, roles: ['id_user_admin'] },
          { emails: ['taken-over@acme.test'], displayName: T.fullTarget.displayName, roles: [FULL] },
        ];
        for (const body of bodies) {
          const reply = await call('PUT', personPath(T.fullTarget), caller, body);
          const where = `${caller.displayName}: ${JSON.stringify(body)}`;
          assertError(reply, 403, MESSAGES.forbidden, where, MESSAGES.fullAdminTarget);
        }
        const reply = await call('DELETE', personPath(T.fullTarget), caller);
        assertError(reply, 403, MESSAGES.forbidden, `${caller.displayName} DELETE`, MESSAGES.fullAdminTarget);
      }
    });
    // The full admin's token still works as a full admin's.
    const me = ok(await call('GET', '/v1/people/me', T.fullTarget)) as Json;
    assert.deepEqual(me.roles, [FULL]);
  });

  test('a user admin grants and removes the other admin roles', async () => {
    const put = (roles: string[]) =>
      call('PUT', personPath(T.roleTarget), C.aUserAdmin, {
        emails: T.roleTarget.emails,
        displayName: T.roleTarget.displayName,
        roles,
      });
    const granted = ok(await put(['id_user_admin', 'id_readonly_admin'])) as Json;
    assert.deepEqual(granted.roles, [hydra('ROLE', 'id_user_admin'), hydra('ROLE', 'id_readonly_admin')]);
    assert.equal((ok(await put([])) as Json).roles, undefined);
  });

  test('a full admin of the org or of a managing org grants and removes the full admin role', async () => {
    for (const caller of [C.aFull, C.pFull]) {
      const put = (roles: string[]) =>
        call('PUT', personPath(T.roleTarget), caller, {
          emails: T.roleTarget.emails,
          displayName: T.roleTarget.displayName,
          roles,
        });
      assert.deepEqual((ok(await put([FULL])) as Json).roles, [FULL], caller.displayName);
      assert.equal((ok(await put([])) as Json).roles, undefined, caller.displayName);
    }
    const created = ok(
      await call('POST', '/v1/people', C.pFull, {
        emails: ['new-full@acme.test'],
        displayName: 'New Full',
        orgId: ORG.A,
        roles: [FULL],
      }),
    ) as Json;
    assert.deepEqual(created.roles, [FULL]);
  });
});
