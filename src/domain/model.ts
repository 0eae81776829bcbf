// What Rollcall stores about organizations and people. IDs are lowercase UUIDs; roles, licenses and the
// location are the inner values of their hydra IDs. The wire shape is built from these by person-view.ts.

import type { ExplicitPresenceState, PersonType, PhoneNumberType, SipAddressType } from '../schemas/enums.js';

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
