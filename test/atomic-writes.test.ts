import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  DirectoryModel,
  NOW,
  ok,
  peopleSnapshot,
  type PersonEntry,
  send,
  TEST_SETTINGS,
  tokenOf,
  uuid,
} from './helpers/people-fixtures.js';
import { assertError, hydra, type Json, MESSAGES, unhydra } from './helpers/wire.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

// Writes are all or nothing: a refused create or update leaves no trace (no half-written person, no
// email claimed or released), and concurrent updates of one person never mix two requests' fields.

const ORG = uuid(0xf, 1);
const CREATED = '2025-01-02T03:04:05.006Z';

let n = 0;
const person = (displayName: string, email: string, extra: Partial<PersonEntry> = {}): PersonEntry => ({
  id: uuid(0x6, ++n),
  orgId: ORG,
  emails: [email],
  displayName,
  created: CREATED,
  lastModified: CREATED,
  ...extra,
});

const admin = person('Ada Admin', 'ada@atomic.test', { roles: ['id_full_admin'], tokens: ['tok-atomic'] });
const owner = person('Olga Owner', 'olga@atomic.test', { title: 'Owner' });
const target = person('Tom Target', 'tom@atomic.test', {
  firstName: 'Tom',
  lastName: 'Target',
  nickName: 'Tommy',
  title: 'Before',
  department: 'Before',
  phoneNumbers: [{ type: 'mobile', value: '+1 555 0000' }],
});
const racer = person('Rex Racer', 'rex@atomic.test', { title: 'Start', department: 'Start' });
const emailRacer = person('Eve Racer', 'eve@atomic.test');

const model = new DirectoryModel({
  orgs: [{ id: ORG, displayName: 'Atomic' }],
  people: [admin, owner, target, racer, emailRacer],
});

let server: TestServer;
before(async () => {
  server = await startTestServer(model.file, { now: NOW, settings: TEST_SETTINGS });
});
after(() => server.close());

const call = (method: string, path: string, json?: unknown) =>
  model.call(server, method, path, admin, json === undefined ? {} : { json });
const pathOf = (p: PersonEntry) => `/v1/people/${hydra('PEOPLE', p.id)}`;

async function findByEmail(email: string): Promise<string[]> {
  const reply = await call('GET', `/v1/people?email=${encodeURIComponent(email)}`);
  return (ok(reply) as { items: Json[] }).items.map((item) => unhydra('PEOPLE', item.id));
}

describe('a refused write changes nothing', () => {
  test('an update whose second email is taken → 409; the person, and their email, unchanged', async () => {
    const before = ok(await call('GET', pathOf(target)));
    const snapshot = await peopleSnapshot(server);
    const bodies = [
      { emails: ['tom@atomic.test', 'olga@atomic.test'], displayName: 'Tom Changed', title: 'After' },
      { emails: ['tom@atomic.test', 'tom.new@atomic.test', 'OLGA@atomic.test'], displayName: 'Tom Changed' },
      { emails: ['tom.other@atomic.test', 'olga@atomic.test'], displayName: 'Tom Changed' },
    ];
    for (const body of bodies) {
      const reply = await call('PUT', pathOf(target), body);
      assertError(reply, 409, MESSAGES.emailTaken(body.emails.at(-1) as string), JSON.stringify(body.emails));
    }
    assert.deepEqual(ok(await call('GET', pathOf(target))), before);
    assert.deepEqual(await peopleSnapshot(server), snapshot);
    assert.deepEqual(await findByEmail('tom@atomic.test'), [target.id]);
    assert.deepEqual(await findByEmail('olga@atomic.test'), [owner.id]);
    assert.deepEqual(await findByEmail('tom.new@atomic.test'), []);
    assert.deepEqual(await findByEmail('tom.other@atomic.test'), []);
  });

  test('a create whose second email is taken → 409; no person, no email claimed', async () => {
    const snapshot = await peopleSnapshot(server);
    const reply = await call('POST', '/v1/people', {
      emails: ['fresh@atomic.test', 'tom@atomic.test'],
      displayName: 'Fresh Person',
    });
    assertError(reply, 409, MESSAGES.emailTaken('tom@atomic.test'));
    assert.deepEqual(await peopleSnapshot(server), snapshot);
    assert.deepEqual(await findByEmail('fresh@atomic.test'), []);
    assert.deepEqual(ok(await call('GET', '/v1/people?displayName=Fresh')), { items: [] });
    // The email was not claimed: it can be used now.
    const retry = await call('POST', '/v1/people', {
      emails: ['fresh@atomic.test'],
      displayName: 'Fresh Person',
    });
    const id = unhydra('PEOPLE', (ok(retry) as Json).id);
    assert.deepEqual(await findByEmail('FRESH@atomic.test'), [id]);
  });

  test('an update that gives up an email and fails keeps the email its owner’s', async () => {
    const reply = await call('PUT', pathOf(owner), {
      emails: ['olga.new@atomic.test', 'rex@atomic.test'],
      displayName: 'O',
    });
    assertError(reply, 409, MESSAGES.emailTaken('rex@atomic.test'));
    // Had the failed update released olga@, someone else could now take it.
    const taker = await call('POST', '/v1/people', { emails: ['olga@atomic.test'], displayName: 'Taker' });
    assertError(taker, 409, MESSAGES.emailTaken('olga@atomic.test'));
    assert.deepEqual(await findByEmail('olga@atomic.test'), [owner.id]);
    assert.equal((ok(await call('GET', pathOf(owner))) as Json).title, 'Owner');
  });
});

describe('concurrent writes', () => {
  let agent: http.Agent;
  before(() => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  });
  after(() => agent.destroy());

  const put = (p: PersonEntry, body: Json) =>
    send(server.url, 'PUT', pathOf(p), { token: tokenOf(admin), json: body, agent });

  /** What the admin sees of `base` after a PUT of `body` (written from the rules: full replacement). */
  const expectedAfter = (base: PersonEntry, body: Json & { firstName: string }) =>
    model.view(
      {
        id: base.id,
        orgId: base.orgId,
        emails: base.emails,
        created: base.created,
        ...(body as Partial<PersonEntry>),
        displayName: body.displayName as string,
        nickName: body.firstName,
        lastModified: new Date(server.clock.now()).toISOString(),
      },
      admin,
      server.clock.now(),
    );

  test('50 concurrent PUTs of one person: the result is exactly one of the bodies', async () => {
    server.clock.advance(60_000);
    const bodies = Array.from({ length: 50 }, (_, i) => ({
      emails: ['rex@atomic.test'],
      displayName: `Racer ${i}`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      title: `Title ${i}`,
      department: `Dept ${i}`,
      manager: `Manager ${i}`,
      phoneNumbers: [{ type: 'mobile' as const, value: `+1 555 ${1000 + i}` }],
      addresses: [{ type: 'work', locality: `City ${i}` }],
      siteUrls: [`site${i}.webex.com`],
      ...(i % 2 === 0 && { avatar: `https://avatars.example.test/${i}.png` }),
    }));
    const replies = await Promise.all(bodies.map((body) => put(racer, body)));
    model.touch(admin, server.clock.now());
    replies.forEach((reply, i) => {
      assert.deepEqual(ok(reply, `PUT ${i}`), expectedAfter(racer, bodies[i] as (typeof bodies)[number]));
    });

    const final = ok(await call('GET', pathOf(racer))) as Json;
    const index = bodies.findIndex((b) => b.displayName === final.displayName);
    assert.ok(index >= 0, `final displayName ${String(final.displayName)}`);
    assert.deepEqual(final, expectedAfter(racer, bodies[index] as (typeof bodies)[number]));
  });

  test('50 concurrent PUTs that each change the email: one wins, and only its email finds the person', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => ({
      emails: [`eve${i}@atomic.test`],
      displayName: `Eve ${i}`,
      firstName: `Eve${i}`,
      title: `Title ${i}`,
    }));
    const replies = await Promise.all(bodies.map((body) => put(emailRacer, body)));
    model.touch(admin, server.clock.now());
    replies.forEach((reply, i) => {
      const body = bodies[i] as (typeof bodies)[number];
      assert.deepEqual(ok(reply, `PUT ${i}`), expectedAfter({ ...emailRacer, emails: body.emails }, body));
    });
    const final = ok(await call('GET', pathOf(emailRacer))) as Json;
    const index = bodies.findIndex((b) => b.displayName === final.displayName);
    const winner = bodies[index];
    assert.ok(winner, `final displayName ${String(final.displayName)}`);
    assert.deepEqual(final, expectedAfter({ ...emailRacer, emails: winner.emails }, winner));
    for (const [i, body] of bodies.entries()) {
      assert.deepEqual(
        await findByEmail(body.emails[0] as string),
        i === index ? [emailRacer.id] : [],
        body.emails[0],
      );
    }
    assert.deepEqual(await findByEmail('eve@atomic.test'), []);
  });

  test('20 concurrent creates with one email: exactly one person is created', async () => {
    const snapshot = await peopleSnapshot(server);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(server.url, 'POST', '/v1/people', {
          token: tokenOf(admin),
          json: { emails: [i % 2 === 0 ? 'race@atomic.test' : 'RACE@atomic.test'], displayName: `Race ${i}` },
          agent,
        }),
      ),
    );
    model.touch(admin, server.clock.now());
    const created = replies.filter((r) => r.status === 200);
    assert.equal(created.length, 1, replies.map((r) => r.status).join(','));
    for (const reply of replies.filter((r) => r.status !== 200)) {
      assertError(reply, 409, /^A person with the email address (race|RACE)@atomic\.test already exists\.$/);
    }
    const id = unhydra('PEOPLE', (created[0]?.body as Json).id);
    assert.deepEqual(await findByEmail('race@atomic.test'), [id]);
    assert.equal((await peopleSnapshot(server)).length, snapshot.length + 1);
  });
});
