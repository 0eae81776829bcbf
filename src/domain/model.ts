// What Rollcall stores about organizations and people. IDs are lowercase UUIDs; roles, licenses and the
// location are the inner values of their hydra IDs. The wire shape is built from these by person-view.ts.

export const PHONE_NUMBER_TYPES = ['work', 'work_extension', 'mobile', 'fax'] as const;
export const SIP_ADDRESS_TYPES = ['personal-room', 'enterprise', 'cloud-calling'] as const;
export const PERSON_TYPES = ['person', 'bot', 'appuser'] as const;
/** States a person (or a calendar or calling service) sets explicitly; they win over activity. */
export const EXPLICIT_PRESENCE_STATES = [
  'call',
  'meeting',
  'presenting',
  'DoNotDisturb',
  'OutOfOffice',
  'unknown',
] as const;
export const PRESENCE_STATUSES = [
  'active',
  'call',
  'DoNotDisturb',
  'inactive',
  'meeting',
  'OutOfOffice',
  'pending',
  'presenting',
  'unknown',
] as const;

export type PhoneNumberType = (typeof PHONE_NUMBER_TYPES)[number];
export type SipAddressType = (typeof SIP_ADDRESS_TYPES)[number];
export type PersonType = (typeof PERSON_TYPES)[number];
export type ExplicitPresenceState = (typeof EXPLICIT_PRESENCE_STATES)[number];
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export interface PhoneNumber {
  type: PhoneNumberType;
  value: string;
  primary?: boolean;
}

export interface Address {
  type?: string;
  country?: string;
  locality?: string;
  region?: string;
  streetAddress?: string;
  postalCode?: string;
}

export interface SipAddress {
  type: SipAddressType;
  value: string;
  primary?: boolean;
}

export interface OrgRecord {
  id: string;
  displayName: string;
  /** IDs of the organizations this one manages (partner relationship). */
  manages: string[];
}

export interface PersonRecord {
  id: string;
  orgId: string;
  type: PersonType;
  emails: string[];
  displayName: string;
  nickName?: string;
  firstName?: string;
  lastName?: string;
  avatar?: string;
  phoneNumbers: PhoneNumber[];
  extension?: string;
  locationId?: string;
  roles: string[];
  licenses: string[];
  department?: string;
  manager?: string;
  managerId?: string;
  title?: string;
  addresses: Address[];
  timezone?: string;
  siteUrls: string[];
  sipAddresses: SipAddress[];
  xmppFederationJid?: string;
  invitePending: boolean;
  loginEnabled: boolean;
  presenceState?: ExplicitPresenceState;
  /** Milliseconds; absent when the person never signed in. */
  lastActivity?: number;
  statusSharing: boolean;
  created: number;
  lastModified: number;
}

export interface TokenRecord {
  /** SHA-256 of the token, hex. The token itself is never stored. */
  hash: string;
  personId: string;
  expiresAt?: number;
}

/** A whole directory, as loaded from or written to a directory file. */
export interface Directory {
  orgs: OrgRecord[];
  people: PersonRecord[];
  tokens: TokenRecord[];
}
