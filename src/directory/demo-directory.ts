import { toIso } from '../domain/clock.js';
import type { DirectoryFile } from './directory-file-schema.js';

// The directory `rollcall serve` starts with on an empty database: a partner org managing a customer
// org, admins of each kind, users, a bot, a Webex Calling user, and every presence state.

export const DEMO_ORGS = {
  acme: 'a1c3e000-0000-4000-8000-000000000001',
  northwind: 'a1c3e000-0000-4000-8000-000000000002',
};

const id = (n: number) => `a1c3e000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/** Demo people who get a fresh token printed at every start. */
export const DEMO_TOKEN_HOLDERS = [
  'alice@acme.test',
  'bob@acme.test',
  'carol@acme.test',
  'pat@northwind.test',
  'helper-bot@acme.test',
];

export function demoDirectory(now: number): DirectoryFile {
  const minutesAgo = (m: number) => toIso(now - m * 60_000);
  const acme = DEMO_ORGS.acme;
  return {
    orgs: [
      { id: acme, displayName: 'Acme' },
      { id: DEMO_ORGS.northwind, displayName: 'Northwind Partners', manages: [acme] },
    ],
    people: [
      {
        id: id(1),
        orgId: acme,
        emails: ['alice@acme.test'],
        displayName: 'Alice Admin',
        firstName: 'Alice',
        lastName: 'Admin',
        nickName: 'Alice',
        title: 'IT Director',
        department: 'IT',
        timezone: 'Europe/Paris',
        roles: ['id_full_admin'],
        presence: { lastActivity: minutesAgo(2) },
      },
      {
        id: id(2),
        orgId: acme,
        emails: ['bob@acme.test'],
        displayName: 'Bob Builder',
        firstName: 'Bob',
        lastName: 'Builder',
        title: 'Engineer',
        department: 'Engineering',
        manager: 'Alice Admin',
        managerId: id(1),
        phoneNumbers: [{ type: 'mobile', value: '+1 555 0102', primary: true }],
        presence: { state: 'meeting', lastActivity: minutesAgo(5) },
      },
      {
        id: id(3),
        orgId: acme,
        emails: ['carol@acme.test'],
        displayName: 'Carol Auditor',
        firstName: 'Carol',
        lastName: 'Auditor',
        roles: ['id_readonly_admin'],
        presence: { lastActivity: minutesAgo(90) },
      },
      {
        id: id(4),
        orgId: acme,
        emails: ['dana@acme.test'],
        displayName: 'Dana Private',
        firstName: 'Dana',
        lastName: 'Private',
        presence: { state: 'DoNotDisturb', lastActivity: minutesAgo(1), sharing: false },
      },
      {
        id: id(5),
        orgId: acme,
        emails: ['erin@acme.test'],
        displayName: 'Erin Newhire',
        firstName: 'Erin',
        lastName: 'Newhire',
        invitePending: true,
      },
      {
        id: id(6),
        orgId: acme,
        emails: ['frank@acme.test'],
        displayName: 'Frank Caller',
        firstName: 'Frank',
        lastName: 'Caller',
        extension: '1006',
        locationId: '63715',
        licenses: ['BCSTD_a1c3e000-0000-4000-8000-000000000900'],
        phoneNumbers: [
          { type: 'work', value: '+1 408 555 0106', primary: true },
          { type: 'work_extension', value: '81006' },
          { type: 'mobile', value: '+1 555 0106' },
        ],
        addresses: [{ type: 'work', country: 'US', locality: 'Milpitas', region: 'California' }],
        presence: { state: 'call', lastActivity: minutesAgo(0) },
      },
      {
        id: id(7),
        orgId: acme,
        type: 'bot',
        emails: ['helper-bot@acme.test'],
        displayName: 'Acme Helper Bot',
      },
      {
        id: id(8),
        orgId: DEMO_ORGS.northwind,
        emails: ['pat@northwind.test'],
        displayName: 'Pat Partner',
        firstName: 'Pat',
        lastName: 'Partner',
        roles: ['id_full_admin'],
        presence: { state: 'OutOfOffice', lastActivity: minutesAgo(600) },
      },
      {
        id: id(9),
        orgId: DEMO_ORGS.northwind,
        emails: ['quinn@northwind.test'],
        displayName: 'Quinn Consultant',
        firstName: 'Quinn',
        lastName: 'Consultant',
        roles: ['id_device_admin'],
        presence: { state: 'presenting', lastActivity: minutesAgo(3) },
      },
    ],
  };
}
