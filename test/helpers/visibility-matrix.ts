import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import { expectedPerson, type PersonEntry } from './visibility-oracle.js';
import { hydra, iso, type Json } from './wire.js';

// The directory of the visibility matrix, and what each caller may see of each person in it as the
// visibility oracle (visibility-oracle.ts) says.
//
// Orgs: A; P, a partner that manages A; X, unrelated. Callers in every org, of every kind, with
// status sharing on and off. Targets (who never make a request, so their presence is what was seeded)
// in A and in P, sharing on and off, Webex Calling users or not, plus a minimal person.

export const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const CREATED = '2025-03-01T08:30:00.000Z';
const MODIFIED = '2025-11-20T17:45:10.250Z';

export const ORG = {
  A: 'a0000000-0000-4000-8000-00000000000a',
  P: 'a0000000-0000-4000-8000-00000000000b',
  X: 'a0000000-0000-4000-8000-00000000000c',
} as const;
export type OrgName = keyof typeof ORG;

export const CALLER_KINDS = [
  { kind: 'full admin', roles: ['id_full_admin'] },
  { kind: 'user admin', roles: ['id_user_admin'] },
  { kind: 'read-only admin', roles: ['id_readonly_admin'] },
  { kind: 'plain user', roles: [] },
  { kind: 'device admin (a plain user)', roles: ['id_device_admin'] },
  { kind: 'bot', roles: [], bot: true },
] as const;

export interface Subject {
  label: string;
  org: OrgName;
  entry: PersonEntry;
}

export interface Caller extends Subject {
  token: string;
}

export interface Target extends Subject {
  /** The status and lastActivity that presence derives from the seed, when it may be shown. */
  status: string;
  lastActivity?: string;
}

const uuid = (n: number) => `0000${String(n).padStart(4, '0')}-0000-4000-8000-000000000000`;
const minutesAgo = (m: number) => iso(NOW - m * 60_000);

export const callers: Caller[] = [];
for (const org of ['A', 'P', 'X'] as const) {
  for (const [k, spec] of CALLER_KINDS.entries()) {
    for (const sharing of [true, false]) {
      const n = callers.length + 1;
      const label = `${spec.kind} in ${org}, sharing ${sharing ? 'on' : 'off'}`;
      callers.push({
        label,
        org,
        token: `token-${n}`,
        entry: {
          id: uuid(n),
          orgId: ORG[org],
          ...('bot' in spec && { type: 'bot' as const }),
          emails: [`caller${n}@${org.toLowerCase()}.test`],
          displayName: `Caller ${n} (${label})`,
          roles: [...spec.roles],
          licenses: [`caller-license-${k}`],
          extension: `3${String(n).padStart(3, '0')}`,
          phoneNumbers: [
            { type: 'work', value: `+1 555 3${n}`, primary: true },
            { type: 'work_extension', value: `83${n}` },
          ],
          presence: { sharing },
          created: CREATED,
          lastModified: MODIFIED,
          tokens: [`token-${n}`],
        },
      });
    }
  }
}

export const targets: Target[] = [];
for (const org of ['A', 'P'] as const) {
  for (const sharing of [true, false]) {
    for (const calling of [true, false]) {
      const n = 100 + targets.length;
      const active = org === 'A';
      targets.push({
        label: `${calling ? 'calling user' : 'person'} in ${org}, sharing ${sharing ? 'on' : 'off'}`,
        org,
        status: active ? 'active' : 'meeting',
        lastActivity: active ? minutesAgo(3) : minutesAgo(125),
        entry: {
          id: uuid(n),
          orgId: ORG[org],
          emails: [`target${n}@${org.toLowerCase()}.test`, `alias${n}@${org.toLowerCase()}.test`],
          displayName: `Target ${n}`,
          nickName: `T${n}`,
          firstName: 'Target',
          lastName: `Number ${n}`,
          avatar: `https://avatars.example.test/${n}.png`,
          phoneNumbers: [
            { type: 'work', value: `+1 408 555 ${n}`, primary: true },
            { type: 'work_extension', value: `8${n}` },
            { type: 'mobile', value: `+1 555 01${n}` },
            { type: 'fax', value: `+1 408 555 9${n}` },
          ],
          ...(calling && { extension: `2${n}`, locationId: `location-${org}-${n}` }),
          roles: ['id_user_admin', hydra('ROLE', '96abc2aa-3dcc-11e5-b263-0f4592adefab')],
          licenses: [`license-${n}`],
          department: 'Sales',
          manager: 'Mona Manager',
          managerId: uuid(999),
          title: 'GM',
          addresses: [{ type: 'work', country: 'US', locality: 'Milpitas', region: 'California' }],
          created: CREATED,
          lastModified: MODIFIED,
          timezone: 'America/Denver',
          siteUrls: ['mysite.webex.com#attendee'],
          sipAddresses: [{ type: 'personal-room', value: `t${n}@mycompany.webex.com`, primary: false }],
          xmppFederationJid: `t${n}@example.test`,
          invitePending: n % 2 === 0,
          loginEnabled: n % 4 < 2,
          presence: active
            ? { lastActivity: minutesAgo(3), sharing }
            : { state: 'meeting', lastActivity: minutesAgo(125), sharing },
        },
      });
    }
  }
}
// Only what is required, every list empty, and a work extension that is Calling data although the
// person has no extension or location. Never signed in.
targets.push({
  label: 'minimal person in A',
  org: 'A',
  status: 'pending',
  entry: {
    id: uuid(200),
    orgId: ORG.A,
    emails: ['minimal@a.test'],
    displayName: 'Minimal',
    phoneNumbers: [{ type: 'work_extension', value: '85555' }],
    roles: [],
    licenses: [],
    addresses: [],
    siteUrls: [],
    sipAddresses: [],
    created: CREATED,
  },
});

export const directory: DirectoryFile = {
  orgs: [
    { id: ORG.A, displayName: 'Org A' },
    { id: ORG.P, displayName: 'Partner P', manages: [ORG.A] },
    { id: ORG.X, displayName: 'Unrelated X' },
  ],
  people: [...callers.map((c) => c.entry), ...targets.map((t) => t.entry)],
};

/** A caller asking for itself: its presence is the activity of this very request. */
export function selfTarget(caller: Caller): Target {
  return { ...caller, label: 'itself', status: 'active', lastActivity: iso(NOW) };
}

/** The exact JSON `caller` should get for GET /v1/people/{target}. */
export function expectedView(
  caller: Caller,
  target: Target,
  options: { callingData: boolean; flagsAsBooleans: boolean },
): Json {
  return expectedPerson({
    orgs: directory.orgs,
    caller: caller.entry,
    target: target.entry,
    presence: {
      status: target.status,
      ...(target.lastActivity !== undefined && { lastActivity: target.lastActivity }),
    },
    loadedAt: NOW,
    options,
  });
}
