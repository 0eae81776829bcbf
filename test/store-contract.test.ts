import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ConflictError, DuplicateEntryError, MESSAGES } from '../src/domain/errors.js';
import type { Directory, OrgRecord, PersonRecord, TokenRecord } from '../src/domain/model.js';
import { toDirectoryBatch } from '../src/store/directory-batch.js';
import { openStore } from '../src/store/open-store.js';
import {
  createTestDatabase,
  TEST_STORE,
  type TestDatabase,
  type TestStore,
} from './helpers/test-database.js';

// The store contract: every method of the store interface, with the same assertions on each store
// (SQLite on a temp file, PostgreSQL on a fresh schema), opened by openStore as the server opens them.
// Each half of `npm test` runs the store it is for (ROLLCALL_TEST_STORE), so each store runs once per
// `npm test`; run directly without ROLLCALL_TEST_STORE, this file runs both.

const STORES: readonly TestStore[] = process.env.ROLLCALL_TEST_STORE ? [TEST_STORE] : ['sqlite', 'postgres'];

type Store = ReturnType<typeof openStore>;
type Query = Parameters<Store['listPeople']>[0];

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const MINUTE = 60_000;

const ACME = 'org-acme';
const BETA = 'org-beta';
const GAMMA = 'org-gamma';

function person(id: string, fields: Partial<PersonRecord> = {}): PersonRecord {
  return {
    id,
    orgId: ACME,
    type: 'person',
    emails: [`${id}@acme.test`],
    displayName: id,
    phoneNumbers: [],
    roles: [],
    licenses: [],
    addresses: [],
    siteUrls: [],
    sipAddresses: [],
    invitePending: false,
    loginEnabled: true,
    statusSharing: false,
    created: NOW - 10 * MINUTE,
    lastModified: NOW - 5 * MINUTE,
    ...fields,
  };
}

/** Every optional field set, each kind of nested value present. */
const ADA = person('p-ada', {
  emails: ['Ada@Acme.test', 'ada.lovelace@acme.test'],
  displayName: 'Ada Lovelace',
  nickName: 'Ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  avatar: 'https://avatars.example/ada.png',
  phoneNumbers: [
    { type: 'work', value: '+44 20 7946 0000', primary: true },
    { type: 'mobile', value: '+44 7700 900000' },
  ],
  extension: '1815',
  locationId: 'loc-london',
  roles: ['role-admin', 'role-audit'],
  licenses: ['lic-messaging'],
  department: 'Analytical Engines',
  manager: 'Charles Babbage',
  managerId: 'p-charles',
  title: 'Programmer',
  addresses: [{ type: 'work', country: 'GB', locality: 'London', streetAddress: '12 St James Sq' }],
  timezone: 'Europe/London',
  siteUrls: ['acme.webex.com#attendee'],
  sipAddresses: [{ type: 'enterprise', value: 'ada@acme.calls.test', primary: true }],
  xmppFederationJid: 'ada@acme.test',
  invitePending: true,
  loginEnabled: false,
  presenceState: 'meeting',
  lastActivity: NOW - 2 * MINUTE,
  statusSharing: true,
});
// Two people with the same name in different case: lists break the tie by ID.
const GRACE_1 = person('p-grace-1', { displayName: 'grace hopper', locationId: 'loc-london' });
const GRACE_2 = person('p-grace-2', { displayName: 'Grace Hopper', roles: ['role-audit'] });
const ZED = person('p-zed', { displayName: 'Zed Shaw', lastActivity: NOW - 20 * MINUTE });
// Lowercased, 'é' sorts after 'z' byte-wise (UTF-8): both stores order names by bytes, not by locale.
const EMILE = person('p-emile', { displayName: 'Émile Zola' });
const BEA = person('p-bea', {
  orgId: BETA,
  emails: ['bea@beta.test'],
  displayName: 'Bea Beta',
  roles: ['role-admin'],
});

// Manages listed out of order: stores give them back ordered by ID.
const ACME_ORG: OrgRecord = { id: ACME, displayName: 'Acme', manages: [GAMMA, BETA] };
const BETA_ORG: OrgRecord = { id: BETA, displayName: 'Beta', manages: [] };
const GAMMA_ORG: OrgRecord = { id: GAMMA, displayName: 'Gamma', manages: [] };
const ORGS = [ACME_ORG, BETA_ORG, GAMMA_ORG];
const PEOPLE = [ADA, GRACE_2, GRACE_1, ZED, EMILE, BEA];
const GRACE_TOKEN: TokenRecord = { hash: 'h-grace', personId: GRACE_1.id, expiresAt: NOW + MINUTE };
const ADA_TOKEN: TokenRecord = { hash: 'h-ada', personId: ADA.id };
const BEA_TOKEN: TokenRecord = { hash: 'h-bea', personId: BEA.id, expiresAt: NOW - 1 };
const TOKENS = [GRACE_TOKEN, ADA_TOKEN, BEA_TOKEN];
const DIRECTORY: Directory = { orgs: ORGS, people: PEOPLE, tokens: TOKENS };
/** ORGS as stores read them back. */
const ORGS_READ: OrgRecord[] = [{ ...ACME_ORG, manages: [BETA, GAMMA] }, BETA_ORG, GAMMA_ORG];
/** Acme's people in list order: lowercased displayName, then ID, byte-wise. */
const ACME_LISTED = [ADA, GRACE_1, GRACE_2, ZED, EMILE];

function query(fields: Partial<Query> = {}): Query {
  return { orgIds: [ACME], limit: 100, ...fields };
}

/** What a store holds, read through every reading method. */
async function snapshot(store: Store) {
  return {
    directory: await store.readDirectory(),
    tokens: await store.listTokens(),
    managed: await Promise.all(ORGS.map((org) => store.getManagedOrgIds(org.id))),
    count: await store.countPeople(),
    emails: await Promise.all(
      PEOPLE.flatMap((p) => p.emails).map((email) => store.findPersonIdByEmail(email)),
    ),
  };
}

/** Runs SQL on the store's database over a connection of its own (to set up what no method does). */
async function rawSql(store: TestStore, url: string, sql: { sqlite: string; postgres: string }) {
  if (store === 'sqlite') {
    const db = new Database(url);
    try {
      db.exec(sql.sqlite);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql.postgres);
  } finally {
    await client.end();
  }
}

/** Polls `read` until it equals `expected` (at most `limitMs`), then asserts it does. */
async function eventually<T>(read: () => Promise<T>, expected: T, limitMs = 2000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let actual = await read();
  while (!isDeepEqual(actual, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    actual = await read();
  }
  assert.deepEqual(actual, expected);
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function conflict(email: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ConflictError, `expected a ConflictError, got ${String(error)}`);
    assert.equal(error.status, 409);
    assert.equal(error.message, MESSAGES.emailTaken(email));
    return true;
  };
}

for (const kind of STORES) {
  describe(`store contract: ${kind}`, () => {
    const opened: Store[] = [];
    const databases: TestDatabase[] = [];
    let db: TestDatabase;
    let store: Store;

    /** Another store on a fresh, empty database of the same kind (closed and dropped after the test). */
    async function freshStore(): Promise<{ url: string; store: Store }> {
      const database = await createTestDatabase(kind);
      databases.push(database);
      return { url: database.url, store: open(database.url) };
    }

    function open(url: string): Store {
      const s = openStore(url, { poolSize: 2 });
      opened.push(s);
      return s;
    }

    beforeEach(async () => {
      db = await createTestDatabase(kind);
      databases.push(db);
      store = open(db.url);
      await store.replaceDirectory(DIRECTORY, NOW);
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const d of databases.splice(0)) await d.drop();
    });

    describe('reading people', () => {
      test('getPerson: the whole record as written, or undefined', async () => {
        assert.deepEqual(await store.getPerson(ADA.id), ADA);
        assert.deepEqual(await store.getPerson(BEA.id), BEA);
        assert.equal(await store.getPerson('p-nobody'), undefined);
      });

      test('getPeople: the people that exist, in the order of the IDs asked for', async () => {
        assert.deepEqual(await store.getPeople([ZED.id, 'p-nobody', ADA.id, BEA.id, GRACE_1.id]), [
          ZED,
          ADA,
          BEA,
          GRACE_1,
        ]);
        assert.deepEqual(await store.getPeople([EMILE.id, GRACE_2.id]), [EMILE, GRACE_2]);
        assert.deepEqual(await store.getPeople([]), []);
        assert.deepEqual(await store.getPeople(['p-nobody']), []);
      });

      test('findPersonIdByEmail: any of a person’s emails, in any case', async () => {
        assert.equal(await store.findPersonIdByEmail('ada@acme.test'), ADA.id);
        assert.equal(await store.findPersonIdByEmail('ADA.LOVELACE@ACME.TEST'), ADA.id);
        assert.equal(await store.findPersonIdByEmail('bea@beta.test'), BEA.id);
        assert.equal(await store.findPersonIdByEmail('nobody@acme.test'), undefined);
      });

      test('countPeople counts every org', async () => {
        assert.equal(await store.countPeople(), PEOPLE.length);
        const empty = await freshStore();
        assert.equal(await empty.store.countPeople(), 0);
      });

      test('getManagedOrgIds: ordered by ID; none for an org that manages nothing or does not exist', async () => {
        assert.deepEqual(await store.getManagedOrgIds(ACME), [BETA, GAMMA]);
        assert.deepEqual(await store.getManagedOrgIds(BETA), []);
        assert.deepEqual(await store.getManagedOrgIds('org-nobody'), []);
      });

      test('readDirectory: orgs and people in the order written, manages ordered by ID', async () => {
        assert.deepEqual(await store.readDirectory(), { orgs: ORGS_READ, people: PEOPLE });
        const created = person('p-new', { displayName: 'Aaron New' });
        await store.createPerson(created);
        assert.deepEqual((await store.readDirectory()).people, [...PEOPLE, created]);
      });
    });

    describe('listPeople', () => {
      test('ordered by lowercased displayName, then ID, byte-wise', async () => {
        assert.deepEqual(await store.listPeople(query()), ACME_LISTED);
        assert.deepEqual(await store.listPeople(query({ orgIds: [BETA, ACME] })), [
          ADA,
          BEA,
          GRACE_1,
          GRACE_2,
          ZED,
          EMILE,
        ]);
      });

      test('no orgs, or orgs without people: nobody', async () => {
        assert.deepEqual(await store.listPeople(query({ orgIds: [] })), []);
        assert.deepEqual(await store.listPeople(query({ orgIds: [GAMMA, 'org-nobody'] })), []);
      });

      test('email: the one person with that email in any case, within the orgs', async () => {
        assert.deepEqual(await store.listPeople(query({ email: 'ADA.Lovelace@acme.TEST' })), [ADA]);
        assert.deepEqual(await store.listPeople(query({ email: 'bea@beta.test' })), []);
        assert.deepEqual(await store.listPeople(query({ email: 'nobody@acme.test' })), []);
      });

      test('displayNamePrefix: a case-insensitive prefix of displayName', async () => {
        assert.deepEqual(await store.listPeople(query({ displayNamePrefix: 'GRACE h' })), [GRACE_1, GRACE_2]);
        assert.deepEqual(await store.listPeople(query({ displayNamePrefix: 'émile' })), [EMILE]);
        assert.deepEqual(await store.listPeople(query({ displayNamePrefix: 'Hopper' })), []);
        assert.deepEqual(await store.listPeople(query({ displayNamePrefix: '' })), ACME_LISTED);
        assert.deepEqual(await store.listPeople(query({ orgIds: [ACME, BETA], displayNamePrefix: 'b' })), [
          BEA,
        ]);
      });

      test('roles: people holding any of them; locationId: people at that location', async () => {
        assert.deepEqual(await store.listPeople(query({ roles: ['role-audit'] })), [ADA, GRACE_2]);
        assert.deepEqual(await store.listPeople(query({ orgIds: [ACME, BETA], roles: ['role-admin'] })), [
          ADA,
          BEA,
        ]);
        assert.deepEqual(await store.listPeople(query({ roles: ['role-none', 'role-admin'] })), [ADA]);
        assert.deepEqual(await store.listPeople(query({ locationId: 'loc-london' })), [ADA, GRACE_1]);
        assert.deepEqual(await store.listPeople(query({ locationId: 'loc-london', roles: ['role-audit'] })), [
          ADA,
        ]);
      });

      test('limit and cursor: pages after (name, id) that add up to the whole list', async () => {
        assert.deepEqual(await store.listPeople(query({ limit: 2 })), [ADA, GRACE_1]);
        assert.deepEqual(
          await store.listPeople(query({ limit: 2, after: { name: 'grace hopper', id: GRACE_1.id } })),
          [GRACE_2, ZED],
        );
        assert.deepEqual(
          await store.listPeople(query({ limit: 2, after: { name: 'zed shaw', id: ZED.id } })),
          [EMILE],
        );
        // A cursor need not be a stored person: it is a position in the order.
        assert.deepEqual(
          await store.listPeople(query({ after: { name: 'grace hopper', id: 'p-grace-15' } })),
          [GRACE_2, ZED, EMILE],
        );
        assert.deepEqual(await store.listPeople(query({ after: { name: 'émile zola', id: EMILE.id } })), []);
        assert.deepEqual(
          await store.listPeople(
            query({ displayNamePrefix: 'grace', limit: 1, after: { name: 'grace hopper', id: GRACE_1.id } }),
          ),
          [GRACE_2],
        );
      });

      test('a limit below 1 is refused', async () => {
        await assert.rejects(store.listPeople(query({ limit: 0 })), /bad limit 0/);
      });
    });

    describe('writing people', () => {
      test('createPerson: read back whole, found by each email, counted', async () => {
        const created = person('p-new', { emails: ['New@Acme.test'], displayName: 'New Person' });
        await store.createPerson(created);
        assert.deepEqual(await store.getPerson(created.id), created);
        assert.equal(await store.findPersonIdByEmail('new@acme.test'), created.id);
        assert.equal(await store.countPeople(), PEOPLE.length + 1);
      });

      test('createPerson with a taken email (in any case): the Webex conflict, and nothing written', async () => {
        const before = await snapshot(store);
        const taken = person('p-new', { emails: ['new@acme.test', 'ADA@acme.test'] });
        await assert.rejects(store.createPerson(taken), conflict('ADA@acme.test'));
        assert.equal(await store.getPerson(taken.id), undefined);
        assert.equal(await store.findPersonIdByEmail('new@acme.test'), undefined);
        assert.deepEqual(await snapshot(store), before);
      });

      test('updatePerson replaces the emails and every field but identity, creation and presence', async () => {
        const changed: PersonRecord = {
          ...person(GRACE_2.id, {
            emails: ['Grace.Hopper@acme.test'],
            displayName: 'Grace B. Hopper',
            title: 'Rear Admiral',
            roles: [],
            lastModified: NOW,
          }),
          // Not the update's to change: these stay as stored.
          orgId: BETA,
          type: 'bot',
          created: NOW,
          presenceState: 'DoNotDisturb',
          lastActivity: NOW,
          statusSharing: true,
        };
        assert.equal(await store.updatePerson(changed), true);
        const expected: PersonRecord = {
          ...changed,
          orgId: GRACE_2.orgId,
          type: GRACE_2.type,
          created: GRACE_2.created,
          statusSharing: GRACE_2.statusSharing,
        };
        delete expected.presenceState;
        delete expected.lastActivity;
        assert.deepEqual(await store.getPerson(GRACE_2.id), expected);
        assert.equal(await store.findPersonIdByEmail('p-grace-2@acme.test'), undefined);
        assert.equal(await store.findPersonIdByEmail('grace.hopper@acme.test'), GRACE_2.id);
        // The old email is free again.
        await store.createPerson(person('p-new', { emails: ['p-grace-2@acme.test'] }));
        assert.equal(await store.findPersonIdByEmail('p-grace-2@acme.test'), 'p-new');
      });

      test('updatePerson keeping its own email, in another case', async () => {
        const changed = { ...ADA, emails: ['ADA@ACME.TEST', 'ada.lovelace@acme.test'] };
        assert.equal(await store.updatePerson(changed), true);
        assert.deepEqual(await store.getPerson(ADA.id), changed);
        assert.equal(await store.findPersonIdByEmail('ada@acme.test'), ADA.id);
      });

      test('updatePerson with another person’s email: the Webex conflict, and nothing changed', async () => {
        const before = await snapshot(store);
        const changed = { ...ZED, displayName: 'Changed', emails: ['zed@acme.test', 'Bea@Beta.test'] };
        await assert.rejects(store.updatePerson(changed), conflict('Bea@Beta.test'));
        assert.deepEqual(await store.getPerson(ZED.id), ZED);
        assert.deepEqual(await snapshot(store), before);
      });

      test('updatePerson of nobody: false, and nothing written', async () => {
        const before = await snapshot(store);
        assert.equal(await store.updatePerson(person('p-nobody')), false);
        assert.deepEqual(await snapshot(store), before);
      });

      test('deletePerson removes the person, their emails and their tokens; false the second time', async () => {
        assert.equal(await store.deletePerson(GRACE_1.id), true);
        assert.equal(await store.getPerson(GRACE_1.id), undefined);
        assert.equal(await store.findPersonIdByEmail('p-grace-1@acme.test'), undefined);
        assert.equal(await store.findToken('h-grace'), undefined);
        assert.deepEqual(
          (await store.listTokens()).map((t) => t.hash),
          ['h-ada', 'h-bea'],
        );
        assert.equal(await store.countPeople(), PEOPLE.length - 1);
        assert.equal(await store.deletePerson(GRACE_1.id), false);
        await store.createPerson(person('p-new', { emails: ['p-grace-1@acme.test'] }));
        assert.equal(await store.findPersonIdByEmail('P-Grace-1@acme.test'), 'p-new');
      });

      test('a write through one store object is read through another on the same database', async () => {
        const other = open(db.url);
        assert.deepEqual(await other.getPerson(ZED.id), ZED);
        const changed = { ...ZED, displayName: 'Zed A. Shaw' };
        await store.updatePerson(changed);
        // SQLite: another connection's commit shows within its cache's revalidation interval (100 ms).
        await eventually(() => other.getPerson(ZED.id), changed);
      });
    });

    describe('tokens', () => {
      test('findToken: the record, with expiresAt only when it expires', async () => {
        assert.deepEqual(await store.findToken('h-ada'), { hash: 'h-ada', personId: ADA.id });
        assert.deepEqual(await store.findToken('h-grace'), {
          hash: 'h-grace',
          personId: GRACE_1.id,
          expiresAt: NOW + MINUTE,
        });
        // Expired tokens are still found: the caller compares expiresAt with its clock.
        assert.deepEqual(await store.findToken('h-bea'), {
          hash: 'h-bea',
          personId: BEA.id,
          expiresAt: NOW - 1,
        });
        assert.equal(await store.findToken('h-nobody'), undefined);
      });

      test('listTokens: every token, ordered by creation time, then hash', async () => {
        // The directory's tokens were all created at NOW.
        assert.deepEqual(await store.listTokens(), [
          { hash: 'h-ada', personId: ADA.id },
          { hash: 'h-bea', personId: BEA.id, expiresAt: NOW - 1 },
          { hash: 'h-grace', personId: GRACE_1.id, expiresAt: NOW + MINUTE },
        ]);
        await store.addToken({ hash: 'h-3', personId: ZED.id }, NOW + 3);
        await store.addToken({ hash: 'h-2b', personId: ZED.id, expiresAt: NOW + 9 }, NOW + 2);
        await store.addToken({ hash: 'h-0', personId: ZED.id }, NOW - 5);
        await store.addToken({ hash: 'h-2a', personId: EMILE.id }, NOW + 2);
        assert.deepEqual(await store.listTokens(), [
          { hash: 'h-0', personId: ZED.id },
          { hash: 'h-ada', personId: ADA.id },
          { hash: 'h-bea', personId: BEA.id, expiresAt: NOW - 1 },
          { hash: 'h-grace', personId: GRACE_1.id, expiresAt: NOW + MINUTE },
          { hash: 'h-2a', personId: EMILE.id },
          { hash: 'h-2b', personId: ZED.id, expiresAt: NOW + 9 },
          { hash: 'h-3', personId: ZED.id },
        ]);
      });

      test('addToken for nobody, or with a hash already stored, is refused', async () => {
        await assert.rejects(store.addToken({ hash: 'h-new', personId: 'p-nobody' }, NOW));
        await assert.rejects(store.addToken({ hash: 'h-ada', personId: ZED.id }, NOW));
        assert.deepEqual(await store.findToken('h-ada'), { hash: 'h-ada', personId: ADA.id });
        assert.equal(await store.findToken('h-new'), undefined);
      });

      test('deleteToken: the person it belonged to, then undefined', async () => {
        assert.equal(await store.deleteToken('h-grace'), GRACE_1.id);
        assert.equal(await store.findToken('h-grace'), undefined);
        assert.equal(await store.deleteToken('h-grace'), undefined);
        assert.equal(await store.deleteToken('h-nobody'), undefined);
        assert.deepEqual(await store.getPerson(GRACE_1.id), GRACE_1);
      });

      test('deleteExpiredTokens: those expiring at or before now, counted; never-expiring ones stay', async () => {
        await store.addToken({ hash: 'h-at-now', personId: ZED.id, expiresAt: NOW }, NOW);
        assert.equal(await store.deleteExpiredTokens(NOW), 2);
        assert.deepEqual(await store.listTokens(), [
          { hash: 'h-ada', personId: ADA.id },
          { hash: 'h-grace', personId: GRACE_1.id, expiresAt: NOW + MINUTE },
        ]);
        assert.equal(await store.deleteExpiredTokens(NOW), 0);
        assert.equal(await store.deleteExpiredTokens(NOW + MINUTE), 1);
        assert.deepEqual(await store.listTokens(), [{ hash: 'h-ada', personId: ADA.id }]);
      });
    });

    describe('presence', () => {
      test('setPresence sets the three fields exactly as given; absent ones are cleared; lastModified stays', async () => {
        assert.equal(
          await store.setPresence(ZED.id, { presenceState: 'call', lastActivity: NOW, statusSharing: true }),
          true,
        );
        assert.deepEqual(await store.getPerson(ZED.id), {
          ...ZED,
          presenceState: 'call',
          lastActivity: NOW,
          statusSharing: true,
        });
        // Unlike recordActivity, last activity may move back; an absent field is cleared.
        const earlier = NOW - 60 * MINUTE;
        assert.equal(await store.setPresence(ADA.id, { lastActivity: earlier, statusSharing: false }), true);
        const cleared: PersonRecord = { ...ADA, lastActivity: earlier, statusSharing: false };
        delete cleared.presenceState;
        assert.deepEqual(await store.getPerson(ADA.id), cleared);
        assert.equal(await store.setPresence('p-nobody', { statusSharing: true }), false);
      });

      test('recordActivity moves last activity forward only; unknown people are ignored', async () => {
        await store.recordActivity(
          new Map([
            [ADA.id, NOW - 10 * MINUTE], // earlier than ADA's: kept
            [ZED.id, NOW], // later: moved
            [EMILE.id, NOW - MINUTE], // none yet: set
            ['p-nobody', NOW],
          ]),
        );
        assert.deepEqual(await store.getPeople([ADA.id, ZED.id, EMILE.id]), [
          ADA,
          { ...ZED, lastActivity: NOW },
          { ...EMILE, lastActivity: NOW - MINUTE },
        ]);
        await store.recordActivity(new Map());
        assert.deepEqual(await store.getPerson(ZED.id), { ...ZED, lastActivity: NOW });
      });
    });

    describe('the whole directory', () => {
      test('replaceDirectory and importDirectory of the same directory give the same database', async () => {
        // Over a database that held another directory, in batches that split people and tokens.
        const imported = await freshStore();
        await imported.store.replaceDirectory(
          {
            orgs: [{ id: 'org-old', displayName: 'Old', manages: [] }],
            people: [person('p-old', { orgId: 'org-old' })],
            tokens: [{ hash: 'h-old', personId: 'p-old' }],
          },
          NOW - MINUTE,
        );
        const batches = [
          toDirectoryBatch(PEOPLE.slice(0, 2), [ADA_TOKEN]),
          toDirectoryBatch(PEOPLE.slice(2), [GRACE_TOKEN, BEA_TOKEN]),
        ];
        assert.deepEqual(await imported.store.importDirectory(ORGS, batches, NOW), {
          orgs: ORGS.length,
          people: PEOPLE.length,
          tokens: TOKENS.length,
        });
        const replaced = await snapshot(store);
        assert.deepEqual(replaced, {
          directory: { orgs: ORGS_READ, people: PEOPLE },
          tokens: [
            { hash: 'h-ada', personId: ADA.id },
            { hash: 'h-bea', personId: BEA.id, expiresAt: NOW - 1 },
            { hash: 'h-grace', personId: GRACE_1.id, expiresAt: NOW + MINUTE },
          ],
          managed: [[BETA, GAMMA], [], []],
          count: PEOPLE.length,
          emails: [ADA.id, ADA.id, GRACE_2.id, GRACE_1.id, ZED.id, EMILE.id, BEA.id],
        });
        assert.deepEqual(await snapshot(imported.store), replaced);
        assert.equal(await imported.store.getPerson('p-old'), undefined);
        assert.equal(await imported.store.findToken('h-old'), undefined);
      });

      test('replaceDirectory replaces everything but meta', async () => {
        await store.setMeta('demo', '1');
        await store.createPerson(person('p-extra'));
        await store.addToken({ hash: 'h-extra', personId: 'p-extra' }, NOW);
        const small: Directory = { orgs: [BETA_ORG], people: [BEA], tokens: [] };
        await store.replaceDirectory(small, NOW + MINUTE);
        assert.deepEqual(await store.readDirectory(), { orgs: [BETA_ORG], people: [BEA] });
        assert.deepEqual(await store.listTokens(), []);
        assert.equal(await store.findPersonIdByEmail('ada@acme.test'), undefined);
        assert.equal(await store.getMeta('demo'), '1');
      });

      test('a replace or an import that fails changes nothing', async () => {
        const before = await snapshot(store);
        const twins: Directory = {
          orgs: ORGS,
          people: [
            person('p-twin-1', { emails: ['twin@acme.test'] }),
            person('p-twin-2', { emails: ['TWIN@acme.test'] }),
          ],
          tokens: [],
        };
        // Which error replaceDirectory raises is not pinned: ConflictError on PostgreSQL, the driver's
        // constraint error on SQLite (the directory file parser refuses twins before a store sees them).
        await assert.rejects(store.replaceDirectory(twins, NOW));
        assert.deepEqual(await snapshot(store), before);
        await assert.rejects(
          store.importDirectory(ORGS, [toDirectoryBatch(twins.people, [])], NOW),
          DuplicateEntryError,
        );
        assert.deepEqual(await snapshot(store), before);
        function* failing() {
          yield toDirectoryBatch([person('p-first')], []);
          throw new Error('the file broke off');
        }
        await assert.rejects(store.importDirectory(ORGS, failing(), NOW), /the file broke off/);
        assert.deepEqual(await snapshot(store), before);
      });
    });

    describe('meta, ping, close', () => {
      test('getMeta/setMeta: undefined until set; set again replaces', async () => {
        assert.equal(await store.getMeta('key'), undefined);
        await store.setMeta('key', 'one');
        assert.equal(await store.getMeta('key'), 'one');
        await store.setMeta('key', 'two');
        assert.equal(await store.getMeta('key'), 'two');
        assert.equal(await store.getMeta('KEY'), undefined);
      });

      test('ping resolves on an up-to-date schema, rejects on an older one and once closed', async () => {
        await store.ping();
        const closing = open(db.url);
        opened.pop();
        await closing.ping();
        await closing.close();
        await assert.rejects(closing.ping());
        await rawSql(kind, db.url, {
          sqlite: 'PRAGMA user_version = 0',
          postgres: 'DELETE FROM schema_migrations',
        });
        await assert.rejects(store.ping(), /^Error: The database schema is at version 0, not \d+\.$/);
      });
    });

    describe('what only some stores have', () => {
      test('subscribeToChanges, waitingQueries, setLogger: PostgreSQL only', () => {
        // Other processes write a PostgreSQL database at any time: their changes are NOTIFYed. A SQLite
        // file's other writers show in its data_version instead (see the cross-object read above), and a
        // single connection has no queue of waiting queries.
        const expected = kind === 'postgres';
        assert.equal(typeof store.subscribeToChanges === 'function', expected);
        assert.equal(typeof store.waitingQueries === 'function', expected);
        assert.equal(typeof store.setLogger === 'function', expected);
        if (store.waitingQueries) assert.equal(store.waitingQueries(), 0);
      });

      test(
        'subscribeToChanges: changes through another store object are reported, in order',
        {
          skip: kind !== 'postgres' && 'PostgreSQL only',
        },
        async () => {
          const listener = open(db.url);
          const events: string[] = [];
          assert.ok(typeof listener.subscribeToChanges === 'function');
          const stop = await listener.subscribeToChanges({
            changed: (id) => events.push(id),
            down: () => events.push('down'),
            up: () => events.push('up'),
          });
          try {
            // Not reported: a new person or token is in nobody's cache; activity is not cached.
            await store.createPerson(person('p-new'));
            await store.addToken({ hash: 'h-new', personId: 'p-new' }, NOW);
            await store.recordActivity(new Map([[ZED.id, NOW]]));
            // Reported: each changes what a cache may hold.
            await store.updatePerson({ ...ZED, title: 'Author' });
            await store.setPresence(EMILE.id, { statusSharing: true });
            await store.deleteToken('h-grace');
            await store.deletePerson(BEA.id);
            await store.replaceDirectory(DIRECTORY, NOW);
            await store.importDirectory(ORGS, [toDirectoryBatch(PEOPLE, TOKENS)], NOW);
            const expected = [ZED.id, EMILE.id, GRACE_1.id, BEA.id, '*', '*'];
            await eventually(async () => [...events], expected);
          } finally {
            await stop();
          }
        },
      );
    });
  });
}
