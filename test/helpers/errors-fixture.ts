import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import { hydra, type Json } from './wire.js';

// The directory of test/errors.test.ts: a full admin with a valid and an expired token, a person
// with a token that expires an hour after NOW, and a Webex Calling user with a clock-independent
// presence (an explicit state) whose exact views the 200 answers are compared with.

export const NOW = Date.parse('2026-01-15T12:00:00.000Z');
export const ORG = 'e4400000-0000-4000-8000-000000000001';
export const ADMIN = 'e4400000-0000-4000-8000-000000000101';
export const TARGET = 'e4400000-0000-4000-8000-000000000102';
export const TEMP = 'e4400000-0000-4000-8000-000000000103';
export const TARGET_ID = hydra('PEOPLE', TARGET);
export const EXPIRES = Date.parse('2026-01-15T13:00:00.000Z');

export const directory: DirectoryFile = {
  orgs: [{ id: ORG, displayName: 'Errors' }],
  people: [
    {
      id: ADMIN,
      orgId: ORG,
      emails: ['admin@errors.test'],
      displayName: 'Admin',
      roles: ['id_full_admin'],
      tokens: ['token-admin', { token: 'token-expired', expires: '2026-01-01T00:00:00.000Z' }],
    },
    {
      id: TARGET,
      orgId: ORG,
      emails: ['target@errors.test'],
      displayName: 'Target',
      extension: '4102',
      phoneNumbers: [
        { type: 'work', value: '+1 408 555 4102' },
        { type: 'mobile', value: '+1 555 4102' },
      ],
      created: '2025-01-01T00:00:00.000Z',
      presence: { state: 'meeting' },
    },
    {
      id: TEMP,
      orgId: ORG,
      emails: ['temp@errors.test'],
      displayName: 'Temp',
      tokens: [{ token: 'token-expiring', expires: new Date(EXPIRES).toISOString() }],
    },
  ],
};

export const target: Json = {
  id: TARGET_ID,
  emails: ['target@errors.test'],
  phoneNumbers: [{ type: 'mobile', value: '+1 555 4102' }],
  displayName: 'Target',
  orgId: hydra('ORGANIZATION', ORG),
  created: '2025-01-01T00:00:00.000Z',
  lastModified: '2025-01-01T00:00:00.000Z',
  status: 'meeting',
  invitePending: 'false',
  loginEnabled: 'true',
  type: 'person',
};
export const targetWithCallingData: Json = {
  ...target,
  phoneNumbers: [
    { type: 'work', value: '+1 408 555 4102' },
    { type: 'mobile', value: '+1 555 4102' },
  ],
  extension: '4102',
};
