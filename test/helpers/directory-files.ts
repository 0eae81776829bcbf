import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import { parseDirectory } from '../../src/directory/parse-directory.js';
import type { OrgRecord, PersonRecord } from '../../src/domain/model.js';
import { openStore } from '../../src/store/open-store.js';
import { hydra } from './wire.js';

// Directory files shared by directory-file.test.ts and cli.test.ts, written out by hand: every
// optional Person field, raw and hydra IDs, role names and hydra ROLE IDs, plain and expiring tokens.

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const ORG_ACME = 'ac3e0000-0000-4000-8000-000000000001';
export const ORG_NORTHWIND = 'ac3e0000-0000-4000-8000-000000000002';
export const ORG_GLOBEX = 'ac3e0000-0000-4000-8000-000000000003';

export const ALICE = 'b0b00000-0000-4000-8000-0000000000a1';
export const HELPER_BOT = 'b0b00000-0000-4000-8000-0000000000b2';
export const PAT = 'b0b00000-0000-4000-8000-0000000000c4';

/** Plain tokens of the rich directory, by holder. */
export const RICH_TOKENS = {
  alice: 'tok-alice-plain',
  aliceExpiring: 'tok-alice-expiring',
  bot: 'tok-helper-bot',
  pat: 'tok-pat',
};
export const ALICE_TOKEN_EXPIRES = '2027-01-01T00:00:00Z';

/**
 * Three orgs (Northwind manages Acme and Globex) and four people: a person with every optional field
 * and raw UUIDs, a bot with hydra IDs, an app user without an `id`, and a person whose IDs are upper-case
 * raw UUIDs.
 */
export function richDirectory(): DirectoryFile {
  return {
    orgs: [
      { id: ORG_ACME, displayName: 'Acme' },
      {
        id: hydra('ORGANIZATION', ORG_NORTHWIND),
        displayName: 'Northwind Partners',
        // Not in ID order, one raw and one hydra: the store keeps them sorted by ID.
        manages: [ORG_GLOBEX.toUpperCase(), hydra('ORGANIZATION', ORG_ACME)],
      },
      { id: ORG_GLOBEX.toUpperCase(), displayName: 'Globex' },
    ],
    people: [
      {
        id: ALICE,
        orgId: ORG_ACME,
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
        roles: ['id_full_admin', hydra('ROLE', 'id_user_admin'), hydra('ROLE', 'custom-role-7')],
        licenses: ['BCSTD_a1c3e000-0000-4000-8000-000000000900', hydra('LICENSE', 'MS_a1c3e000-0901')],
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
        created: '2024-03-01T09:30:00Z',
        lastModified: '2025-11-20T10:00:00.123+01:00',
        timezone: 'Europe/Paris',
        siteUrls: ['acme.webex.com#attendee'],
        sipAddresses: [
          { type: 'enterprise', value: 'alice@acme.calls.test', primary: true },
          { type: 'personal-room', value: 'alice@acme.webex.com' },
          { type: 'cloud-calling', value: 'alice@cloud.acme.test', primary: false },
        ],
        xmppFederationJid: 'alice@xmpp.acme.test',
        invitePending: 'false',
        loginEnabled: 'true',
        presence: { state: 'meeting', lastActivity: '2026-01-15T11:55:00.000Z', sharing: true },
        tokens: [RICH_TOKENS.alice, { token: RICH_TOKENS.aliceExpiring, expires: ALICE_TOKEN_EXPIRES }],
      },
      {
        id: hydra('PEOPLE', HELPER_BOT),
        orgId: hydra('ORGANIZATION', ORG_ACME),
        type: 'bot',
        emails: ['helper-bot@acme.test'],
        displayName: 'Helper Bot',
        avatar: 'https://avatars.acme.test/bot.png',
        invitePending: false,
        loginEnabled: false,
        created: '2025-01-02T03:04:05.678Z',
        lastModified: '2025-01-02T03:04:05.678Z',
        presence: { sharing: false },
        tokens: [{ token: RICH_TOKENS.bot }],
      },
      {
        orgId: hydra('ORGANIZATION', ORG_NORTHWIND),
        type: 'appuser',
        emails: ['integration@northwind.test'],
        firstName: 'Sync',
        lastName: 'Service',
        presence: { state: 'unknown' },
      },
      {
        id: PAT.toUpperCase(),
        orgId: ORG_GLOBEX,
        emails: ['Pat@Globex.test'],
        lastName: 'Partner',
        roles: [hydra('ROLE', 'id_readonly_admin')],
        managerId: ALICE.toUpperCase(),
        created: '2025-06-01T00:00:00.000Z',
        lastModified: '2025-06-02T00:00:00.000Z',
        presence: { state: 'OutOfOffice' },
        tokens: [RICH_TOKENS.pat],
      },
    ],
  };
}

/** What the store holds for richDirectory() loaded at `now`; `generatedId` is the app user's new id. */
export function richRecords(now: number, generatedId: string): { orgs: OrgRecord[]; people: PersonRecord[] } {
  return {
    orgs: [
      { id: ORG_ACME, displayName: 'Acme', manages: [] },
      { id: ORG_NORTHWIND, displayName: 'Northwind Partners', manages: [ORG_ACME, ORG_GLOBEX] },
      { id: ORG_GLOBEX, displayName: 'Globex', manages: [] },
    ],
    people: [
      {
        id: ALICE,
        orgId: ORG_ACME,
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
        locationId: 'loc-milpitas',
        roles: ['id_full_admin', 'id_user_admin', 'custom-role-7'],
        licenses: ['BCSTD_a1c3e000-0000-4000-8000-000000000900', 'MS_a1c3e000-0901'],
        department: 'IT',
        manager: 'Pat Partner',
        managerId: PAT,
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
        presenceState: 'meeting',
        lastActivity: Date.parse('2026-01-15T11:55:00.000Z'),
        statusSharing: true,
        created: Date.parse('2024-03-01T09:30:00.000Z'),
        lastModified: Date.parse('2025-11-20T09:00:00.123Z'),
      },
      {
        id: HELPER_BOT,
        orgId: ORG_ACME,
        type: 'bot',
        emails: ['helper-bot@acme.test'],
        displayName: 'Helper Bot',
        avatar: 'https://avatars.acme.test/bot.png',
        phoneNumbers: [],
        roles: [],
        licenses: [],
        addresses: [],
        siteUrls: [],
        sipAddresses: [],
        invitePending: false,
        loginEnabled: false,
        statusSharing: false,
        created: Date.parse('2025-01-02T03:04:05.678Z'),
        lastModified: Date.parse('2025-01-02T03:04:05.678Z'),
      },
      {
        id: generatedId,
        orgId: ORG_NORTHWIND,
        type: 'appuser',
        emails: ['integration@northwind.test'],
        displayName: 'Sync Service',
        firstName: 'Sync',
        lastName: 'Service',
        phoneNumbers: [],
        roles: [],
        licenses: [],
        addresses: [],
        siteUrls: [],
        sipAddresses: [],
        invitePending: false,
        loginEnabled: true,
        presenceState: 'unknown',
        statusSharing: true,
        created: now,
        lastModified: now,
      },
      {
        id: PAT,
        orgId: ORG_GLOBEX,
        type: 'person',
        emails: ['Pat@Globex.test'],
        displayName: 'Partner',
        lastName: 'Partner',
        phoneNumbers: [],
        roles: ['id_readonly_admin'],
        licenses: [],
        managerId: ALICE,
        addresses: [],
        siteUrls: [],
        sipAddresses: [],
        invitePending: false,
        loginEnabled: true,
        presenceState: 'OutOfOffice',
        statusSharing: true,
        created: Date.parse('2025-06-01T00:00:00.000Z'),
        lastModified: Date.parse('2025-06-02T00:00:00.000Z'),
      },
    ],
  };
}

/** A small valid directory: two orgs, two people, one token each. */
export const SMALL = {
  acme: '5a11ac3e-0000-4000-8000-000000000001',
  northwind: '5a11ac3e-0000-4000-8000-000000000002',
  ada: '5a11ada0-0000-4000-8000-000000000001',
  bob: '5a11b0b0-0000-4000-8000-000000000002',
  adaToken: 'tok-small-ada',
  bobToken: 'tok-small-bob',
};

export function smallDirectory(): DirectoryFile {
  return {
    orgs: [
      { id: SMALL.acme, displayName: 'Acme' },
      { id: SMALL.northwind, displayName: 'Northwind', manages: [SMALL.acme] },
    ],
    people: [
      {
        id: SMALL.ada,
        orgId: SMALL.acme,
        emails: ['ada@acme.test'],
        displayName: 'Ada Admin',
        roles: ['id_full_admin'],
        tokens: [SMALL.adaToken],
      },
      {
        id: SMALL.bob,
        orgId: SMALL.northwind,
        emails: ['bob@northwind.test'],
        firstName: 'Bob',
        lastName: 'Builder',
        tokens: [SMALL.bobToken],
      },
    ],
  };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

/** Creates (or replaces the directory of) the SQLite database `file` with `directory`, in-process. */
export async function seedDatabase(file: string, directory: DirectoryFile, now = Date.now()): Promise<void> {
  const store = openStore(file);
  try {
    await store.replaceDirectory(parseDirectory(directory, now), now);
  } finally {
    await store.close();
  }
}

/** Everything the SQLite database `file` holds apart from tokens. */
export async function readDatabase(file: string): Promise<{ orgs: OrgRecord[]; people: PersonRecord[] }> {
  const store = openStore(file);
  try {
    return await store.readDirectory();
  } finally {
    await store.close();
  }
}

/**
 * A maker of directory entries for tests that start servers on a shared database: person `n` of `org`
 * gets the ID `<idPrefix><n, two digits>`, the email `<name>@<domain>` and one token, `<name>-<run>`,
 * unique to this run.
 */
export function runPeople(org: string, idPrefix: string, domain: string, run: string) {
  return (n: number, name: string, roles: string[] = []) => ({
    id: `${idPrefix}${String(n).padStart(2, '0')}`,
    orgId: org,
    emails: [`${name}@${domain}`],
    displayName: name,
    created: '2025-06-01T00:00:00.000Z',
    roles,
    tokens: [`${name}-${run}`],
  });
}
