import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { seedFromFile } from '../src/directory/load-directory.js';
import type { DirectoryFile } from '../src/directory/directory-file-schema.js';
import { exportDirectory } from '../src/directory/export-directory.js';
import { DirectoryFileError, parseDirectory, parseDirectoryFile } from '../src/directory/parse-directory.js';
import { ManualClock } from '../src/domain/clock.js';
import type { OrgRecord, PersonRecord } from '../src/domain/model.js';
import { hashToken } from '../src/domain/tokens.js';
import { openStore } from '../src/store/open-store.js';
import type { PeopleStore } from '../src/domain/people-store.js';
import { cleanUp, tempDir } from './helpers/cli-process.js';
import {
  ALICE,
  ALICE_TOKEN_EXPIRES,
  HELPER_BOT,
  ORG_ACME,
  ORG_GLOBEX,
  ORG_NORTHWIND,
  PAT,
  RICH_TOKENS,
  richDirectory,
  richRecords,
  SMALL,
  smallDirectory,
  UUID_V4,
  writeJson,
} from './helpers/directory-files.js';
import { hydra } from './helpers/wire.js';

type Stored = { orgs: OrgRecord[]; people: PersonRecord[] };

const LOAD_TIME = Date.parse('2026-01-15T12:00:00.000Z');
const SECOND_LOAD_TIME = Date.parse('2030-06-30T08:00:00.000Z');

after(cleanUp);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The directory file that exportDirectory must write for richDirectory() loaded at LOAD_TIME. */
function expectedRichExport(generatedId: string): DirectoryFile {
  return {
    orgs: [
      { id: hydra('ORGANIZATION', ORG_ACME), displayName: 'Acme' },
      {
        id: hydra('ORGANIZATION', ORG_NORTHWIND),
        displayName: 'Northwind Partners',
        manages: [hydra('ORGANIZATION', ORG_ACME), hydra('ORGANIZATION', ORG_GLOBEX)],
      },
      { id: hydra('ORGANIZATION', ORG_GLOBEX), displayName: 'Globex' },
    ],
    people: [
      {
        id: hydra('PEOPLE', ALICE),
        orgId: hydra('ORGANIZATION', ORG_ACME),
        type: 'person',
        emails: ['alice@acme.test', 'Alice.Admin@Acme.test'],
        displayName: 'Alice Admin',
        nickName: 'Ali',
        firstName: 'Alice',
        lastName: 'Admin',
        avatar: 'https://avatars.acme.test/alice.png',
        phoneNumbers: [
          { type: 'work', value: '+1 408 555 0101', primary: true },
          { type: 'work_extension', value: '80101' },
          { type: 'mobile', value: '+1 555 0101', primary: false },
          { type: 'fax', value: '+1 408 555 0199' },
        ],
        extension: '0101',
        locationId: hydra('LOCATION', 'loc-milpitas'),
        roles: ['id_full_admin', 'id_user_admin', hydra('ROLE', 'custom-role-7')],
        licenses: [
          hydra('LICENSE', 'BCSTD_a1c3e000-0000-4000-8000-000000000900'),
          hydra('LICENSE', 'MS_a1c3e000-0901'),
        ],
        department: 'IT',
        manager: 'Pat Partner',
        managerId: hydra('PEOPLE', PAT),
        title: 'IT Director',
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
        created: '2024-03-01T09:30:00.000Z',
        lastModified: '2025-11-20T09:00:00.123Z',
        timezone: 'Europe/Paris',
        siteUrls: ['acme.webex.com#attendee'],
        sipAddresses: [
          { type: 'enterprise', value: 'alice@acme.calls.test', primary: true },
          { type: 'personal-room', value: 'alice@acme.webex.com' },
          { type: 'cloud-calling', value: 'alice@cloud.acme.test', primary: false },
        ],
        xmppFederationJid: 'alice@xmpp.acme.test',
        invitePending: false,
        loginEnabled: true,
        presence: { state: 'meeting', lastActivity: '2026-01-15T11:55:00.000Z', sharing: true },
      },
      {
        id: hydra('PEOPLE', HELPER_BOT),
        orgId: hydra('ORGANIZATION', ORG_ACME),
        type: 'bot',
        emails: ['helper-bot@acme.test'],
        displayName: 'Helper Bot',
        avatar: 'https://avatars.acme.test/bot.png',
        created: '2025-01-02T03:04:05.678Z',
        lastModified: '2025-01-02T03:04:05.678Z',
        invitePending: false,
        loginEnabled: false,
        presence: { sharing: false },
      },
      {
        id: hydra('PEOPLE', generatedId),
        orgId: hydra('ORGANIZATION', ORG_NORTHWIND),
        type: 'appuser',
        emails: ['integration@northwind.test'],
        displayName: 'Sync Service',
        firstName: 'Sync',
        lastName: 'Service',
        created: iso(LOAD_TIME),
        lastModified: iso(LOAD_TIME),
        invitePending: false,
        loginEnabled: true,
        presence: { state: 'unknown', sharing: true },
      },
      {
        id: hydra('PEOPLE', PAT),
        orgId: hydra('ORGANIZATION', ORG_GLOBEX),
        type: 'person',
        emails: ['Pat@Globex.test'],
        displayName: 'Partner',
        lastName: 'Partner',
        roles: ['id_readonly_admin'],
        managerId: hydra('PEOPLE', ALICE),
        created: '2025-06-01T00:00:00.000Z',
        lastModified: '2025-06-02T00:00:00.000Z',
        invitePending: false,
        loginEnabled: true,
        presence: { state: 'OutOfOffice', sharing: true },
      },
    ],
  };
}

describe('a rich directory file: load, export, load again', () => {
  let first: PeopleStore;
  let second: PeopleStore;
  let firstRead: Stored;
  let generatedId: string;

  before(async () => {
    const dir = tempDir('rollcall-dirfile-');
    first = openStore(join(dir, 'first.db'));
    second = openStore(join(dir, 'second.db'));
    await first.replaceDirectory(parseDirectory(richDirectory(), LOAD_TIME), LOAD_TIME);
    firstRead = await first.readDirectory();
    generatedId = firstRead.people[2]?.id ?? '';
  });

  after(async () => {
    await first.close();
    await second.close();
  });

  test('every field is stored as given, with IDs normalized and a v4 UUID for the person without id', () => {
    assert.match(generatedId, UUID_V4);
    assert.deepEqual(firstRead, richRecords(LOAD_TIME, generatedId));
  });

  test('the tokens, plain and with an expiry, are stored as hashes for their holders', async () => {
    const hash = (token: string) => hashToken(token);
    assert.deepEqual(await first.findToken(hash(RICH_TOKENS.alice)), {
      hash: hash(RICH_TOKENS.alice),
      personId: ALICE,
    });
    assert.deepEqual(await first.findToken(hash(RICH_TOKENS.aliceExpiring)), {
      hash: hash(RICH_TOKENS.aliceExpiring),
      personId: ALICE,
      expiresAt: Date.parse(ALICE_TOKEN_EXPIRES),
    });
    assert.deepEqual(await first.findToken(hash(RICH_TOKENS.bot)), {
      hash: hash(RICH_TOKENS.bot),
      personId: HELPER_BOT,
    });
    assert.deepEqual(await first.findToken(hash(RICH_TOKENS.pat)), {
      hash: hash(RICH_TOKENS.pat),
      personId: PAT,
    });
  });

  test('the export has hydra IDs, role names where there are names, and no tokens', () => {
    const exported = exportDirectory(firstRead);
    assert.deepEqual(exported, expectedRichExport(generatedId));
    const text = JSON.stringify(exported);
    assert.equal(text.includes('"tokens"'), false);
    for (const token of Object.values(RICH_TOKENS)) assert.equal(text.includes(token), false, token);
  });

  test('loading the exported file into a second store gives the same directory and the same export', async () => {
    const exported = exportDirectory(firstRead);
    // Through JSON text, as `rollcall export` and `--seed` exchange it; the load time no longer matters.
    const directory = parseDirectoryFile(JSON.stringify(exported, null, 2), SECOND_LOAD_TIME);
    await second.replaceDirectory(directory, SECOND_LOAD_TIME);
    const secondRead = await second.readDirectory();
    assert.deepEqual(secondRead, firstRead);
    assert.deepEqual(exportDirectory(secondRead), exported);
    for (const token of Object.values(RICH_TOKENS)) {
      assert.equal(await second.findToken(hashToken(token)), undefined, token);
    }
  });
});

describe('defaults', () => {
  const org = { id: SMALL.acme, displayName: 'Acme' };

  function loadOne(person: Record<string, unknown>): PersonRecord {
    const file = { orgs: [org], people: [{ orgId: SMALL.acme, emails: ['x@acme.test'], ...person }] };
    const people = parseDirectory(file, LOAD_TIME).people;
    assert.equal(people.length, 1);
    return people[0] as PersonRecord;
  }

  test('displayName is firstName and lastName when absent, and an explicit one wins', () => {
    assert.equal(loadOne({ firstName: 'Ada', lastName: 'Lovelace' }).displayName, 'Ada Lovelace');
    assert.equal(loadOne({ firstName: 'Ada' }).displayName, 'Ada');
    assert.equal(loadOne({ lastName: 'Lovelace' }).displayName, 'Lovelace');
    assert.equal(
      loadOne({ displayName: 'The Countess', firstName: 'Ada', lastName: 'Lovelace' }).displayName,
      'The Countess',
    );
  });

  test('created and lastModified both default to the load time', () => {
    const person = loadOne({ displayName: 'X' });
    assert.equal(person.created, LOAD_TIME);
    assert.equal(person.lastModified, LOAD_TIME);
  });

  test('a missing lastModified defaults to created (a person never changed since)', () => {
    // docs/directory-file.md: `lastModified` defaults to `created`, which defaults to the load time.
    const person = loadOne({ displayName: 'X', created: '2020-05-05T05:05:05.000Z' });
    assert.equal(person.created, Date.parse('2020-05-05T05:05:05.000Z'));
    assert.equal(iso(person.lastModified), '2020-05-05T05:05:05.000Z');
  });

  test('type, flags and status sharing default to person, not invited, login enabled, sharing', () => {
    const person = loadOne({ displayName: 'X' });
    assert.equal(person.type, 'person');
    assert.equal(person.invitePending, false);
    assert.equal(person.loginEnabled, true);
    assert.equal(person.statusSharing, true);
    assert.equal(person.presenceState, undefined);
    assert.equal(person.lastActivity, undefined);
  });
});

// ---------------------------------------------------------------------------------------------------
// Rejections: each bad file is offered through the seed path (`seedFromFile`, what `serve --seed` runs)
// to a store that holds another directory, which must be left exactly as it was.

const UNKNOWN_ORG = '0dd0dd00-0000-4000-8000-000000000009';
const BOB = 'people[1] (bob@northwind.test)';

function jsonErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

interface Rejection {
  name: string;
  /** A change to smallDirectory(), or the file's whole text. */
  file: ((d: Record<string, unknown> & DirectoryFile) => void) | string;
  message: string;
}

function bob(d: DirectoryFile): Record<string, unknown> {
  return d.people[1] as Record<string, unknown>;
}

const BAD_JSON = '{"orgs": [], "people": [}';

const REJECTIONS: Rejection[] = [
  {
    name: 'bad JSON',
    file: BAD_JSON,
    message: `Directory file is not valid JSON: ${jsonErrorOf(BAD_JSON)}`,
  },
  {
    name: 'an unknown org in orgId',
    file: (d) => (bob(d).orgId = UNKNOWN_ORG),
    message: `${BOB}.orgId: unknown organization "${UNKNOWN_ORG}"`,
  },
  {
    name: 'an unknown org in manages',
    file: (d) =>
      ((d.orgs[1] as { manages: string[] }).manages = [SMALL.acme, hydra('ORGANIZATION', UNKNOWN_ORG)]),
    message: `orgs[1] (Northwind).manages[1]: unknown organization "${hydra('ORGANIZATION', UNKNOWN_ORG)}"`,
  },
  {
    name: 'the same email on two people, in another case',
    file: (d) => (bob(d).emails = ['bob@northwind.test', 'ADA@Acme.Test']),
    message: `${BOB}.emails: duplicate email "ADA@Acme.Test"`,
  },
  {
    name: 'the same person id, once raw and once as a hydra ID',
    file: (d) => (bob(d).id = hydra('PEOPLE', SMALL.ada)),
    message: `${BOB}.id: duplicate person id "${hydra('PEOPLE', SMALL.ada)}"`,
  },
  {
    name: 'the same person id, once as a hydra ID and once as an upper-case UUID',
    file: (d) => {
      (d.people[0] as Record<string, unknown>).id = hydra('PEOPLE', SMALL.ada);
      bob(d).id = SMALL.ada.toUpperCase();
    },
    message: `${BOB}.id: duplicate person id "${SMALL.ada.toUpperCase()}"`,
  },
  {
    name: 'the same org id, once raw and once as a hydra ID',
    file: (d) => ((d.orgs[1] as Record<string, unknown>).id = hydra('ORGANIZATION', SMALL.acme)),
    message: `orgs[1] (Northwind).id: duplicate organization id "${hydra('ORGANIZATION', SMALL.acme)}"`,
  },
  {
    name: 'phone number type "pager"',
    file: (d) => (bob(d).phoneNumbers = [{ type: 'pager', value: '+1 555 0100' }]),
    message: `${BOB}.phoneNumbers[0].type: "pager" is not one of work, work_extension, mobile, fax`,
  },
  {
    name: 'person type "robot"',
    file: (d) => (bob(d).type = 'robot'),
    message: `${BOB}.type: "robot" is not one of person, bot, appuser`,
  },
  {
    name: 'presence state "busy"',
    file: (d) => (bob(d).presence = { state: 'busy' }),
    message: `${BOB}.presence.state: "busy" is not one of call, meeting, presenting, DoNotDisturb, OutOfOffice, unknown`,
  },
  {
    name: 'an unknown role name',
    file: (d) => (bob(d).roles = ['id_full_admin', 'superuser']),
    message:
      `${BOB}.roles[1]: "superuser" is neither a role name ` +
      '(id_full_admin, id_user_admin, id_readonly_admin, id_device_admin) nor a role ID',
  },
  {
    name: 'a ROOM hydra ID as person id',
    file: (d) => (bob(d).id = hydra('ROOM', SMALL.bob)),
    message: `${BOB}.id: "${hydra('ROOM', SMALL.bob)}" is neither a UUID nor a person ID`,
  },
  {
    name: 'no emails',
    file: (d) => delete bob(d).emails,
    message: `people[1] (${SMALL.bob}).emails: Expected required property`,
  },
  {
    name: 'none of displayName, firstName, lastName',
    file: (d) => {
      delete bob(d).firstName;
      delete bob(d).lastName;
    },
    message: `${BOB}.displayName: one of displayName, firstName or lastName is required`,
  },
  {
    name: 'a created that is no timestamp',
    file: (d) => (bob(d).created = 'last Tuesday'),
    message: `${BOB}.created: "last Tuesday" is not an ISO-8601 date-time with an offset (e.g. 2026-01-15T12:00:00.000Z)`,
  },
  {
    name: 'a presence.lastActivity without a time',
    file: (d) => (bob(d).presence = { lastActivity: '2026-01-15' }),
    message: `${BOB}.presence.lastActivity: "2026-01-15" is not an ISO-8601 date-time with an offset (e.g. 2026-01-15T12:00:00.000Z)`,
  },
  {
    name: 'a token expiry that is no timestamp',
    file: (d) => (bob(d).tokens = [{ token: 'tok-other', expires: 'soon' }]),
    message: `${BOB}.tokens[0].expires: "soon" is not an ISO-8601 date-time with an offset (e.g. 2026-01-15T12:00:00.000Z)`,
  },
  {
    name: 'a calendar date that does not exist (30 February)',
    file: (d) => (bob(d).created = '2026-02-30T00:00:00Z'),
    message: `${BOB}.created: "2026-02-30T00:00:00Z" is not an ISO-8601 date-time with an offset (e.g. 2026-01-15T12:00:00.000Z)`,
  },
  {
    name: 'an unknown field on a person',
    file: (d) => (bob(d).favouriteColour = 'blue'),
    message: `${BOB}.favouriteColour: Unexpected property`,
  },
  {
    name: 'an unknown field in presence',
    file: (d) => (bob(d).presence = { state: 'call', mood: 'happy' }),
    message: `${BOB}.presence.mood: Unexpected property`,
  },
  {
    name: 'an unknown field on an org',
    file: (d) => ((d.orgs[0] as Record<string, unknown>).region = 'EU'),
    message: `orgs[0] (${SMALL.acme}).region: Unexpected property`,
  },
  {
    name: 'an unknown top-level field',
    file: (d) => (d.version = 2),
    message: 'version: Unexpected property',
  },
];

describe('rejected directory files leave the database as it was', () => {
  const clock = new ManualClock(SECOND_LOAD_TIME);
  let dir: string;
  let store: PeopleStore;
  let previous: Stored;

  before(() => {
    dir = tempDir('rollcall-reject-');
    store = openStore(join(dir, 'previous.db'));
  });

  // Every test starts from the rich directory, so that one file wrongly accepted fails only its test.
  beforeEach(async () => {
    await store.replaceDirectory(parseDirectory(richDirectory(), LOAD_TIME), LOAD_TIME);
    previous = await store.readDirectory();
  });

  after(() => store.close());

  for (const [index, rejection] of REJECTIONS.entries()) {
    test(`${rejection.name}: ${rejection.message}`, async () => {
      let path: string;
      if (typeof rejection.file === 'string') {
        path = join(dir, `bad-${index}.json`);
        writeFileSync(path, rejection.file);
      } else {
        const file = smallDirectory() as Record<string, unknown> & DirectoryFile;
        rejection.file(file);
        path = writeJson(dir, `bad-${index}.json`, file);
      }
      await assert.rejects(seedFromFile(store, path, clock), (error: unknown) => {
        assert.ok(error instanceof DirectoryFileError, String(error));
        assert.equal(error.name, 'DirectoryFileError');
        assert.equal(error.message, rejection.message);
        return true;
      });
      assert.deepEqual(await store.readDirectory(), previous);
      assert.deepEqual(await store.findToken(hashToken(RICH_TOKENS.alice)), {
        hash: hashToken(RICH_TOKENS.alice),
        personId: ALICE,
      });
      for (const token of [SMALL.adaToken, SMALL.bobToken]) {
        assert.equal(await store.findToken(hashToken(token)), undefined, token);
      }
    });
  }

  test('the unchanged small directory itself loads (the rejections above are each one change)', async () => {
    const path = writeJson(dir, 'good.json', smallDirectory());
    assert.equal(await seedFromFile(store, path, clock), 2);
    const read = await store.readDirectory();
    assert.deepEqual(
      read.people.map((p) => [p.id, p.displayName]),
      [
        [SMALL.ada, 'Ada Admin'],
        [SMALL.bob, 'Bob Builder'],
      ],
    );
    assert.deepEqual(await store.findToken(hashToken(SMALL.bobToken)), {
      hash: hashToken(SMALL.bobToken),
      personId: SMALL.bob,
    });
    assert.equal(await store.findToken(hashToken(RICH_TOKENS.alice)), undefined);
  });
});

describe('time zones', () => {
  test('a timestamp without an offset is read the same whatever the time zone of the server', () => {
    const file = {
      orgs: [{ id: SMALL.acme, displayName: 'Acme' }],
      people: [
        { orgId: SMALL.acme, emails: ['x@acme.test'], displayName: 'X', created: '2026-01-15T12:00:00' },
      ],
    };
    const outcome = (tz: string): string => {
      const saved = process.env.TZ;
      process.env.TZ = tz;
      try {
        return iso(parseDirectory(file, LOAD_TIME).people[0]?.created ?? NaN);
      } catch (error) {
        return (error as Error).message;
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    };
    const utc = outcome('UTC');
    assert.equal(outcome('America/New_York'), utc);
    assert.equal(outcome('Asia/Tokyo'), utc);
  });
});
