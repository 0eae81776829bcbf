import type { PersonRecord } from '../domain/model.js';

// The only place where API field names meet database column names.

export interface PersonRow {
  id: string;
  org_id: string;
  type: string;
  emails: string;
  display_name: string;
  display_name_lower: string;
  nick_name: string | null;
  first_name: string | null;
  last_name: string | null;
  avatar: string | null;
  phone_numbers: string;
  extension: string | null;
  location_id: string | null;
  roles: string;
  licenses: string;
  department: string | null;
  manager: string | null;
  manager_id: string | null;
  title: string | null;
  addresses: string;
  timezone: string | null;
  site_urls: string;
  sip_addresses: string;
  xmpp_federation_jid: string | null;
  invite_pending: number;
  login_enabled: number;
  presence_state: string | null;
  last_activity: number | null;
  status_sharing: number;
  created: number;
  last_modified: number;
}

export const PERSON_COLUMNS = [
  'id',
  'org_id',
  'type',
  'emails',
  'display_name',
  'display_name_lower',
  'nick_name',
  'first_name',
  'last_name',
  'avatar',
  'phone_numbers',
  'extension',
  'location_id',
  'roles',
  'licenses',
  'department',
  'manager',
  'manager_id',
  'title',
  'addresses',
  'timezone',
  'site_urls',
  'sip_addresses',
  'xmpp_federation_jid',
  'invite_pending',
  'login_enabled',
  'presence_state',
  'last_activity',
  'status_sharing',
  'created',
  'last_modified',
] as const satisfies readonly (keyof PersonRow)[];

/** What an update rewrites: everything but identity, creation and presence (which activity updates). */
export const UPDATABLE_PERSON_COLUMNS = PERSON_COLUMNS.filter(
  (c) =>
    !['id', 'org_id', 'type', 'created', 'presence_state', 'last_activity', 'status_sharing'].includes(c),
);

export function toPersonRow(p: PersonRecord): PersonRow {
  return {
    id: p.id,
    org_id: p.orgId,
    type: p.type,
    emails: JSON.stringify(p.emails),
    display_name: p.displayName,
    display_name_lower: p.displayName.toLowerCase(),
    nick_name: p.nickName ?? null,
    first_name: p.firstName ?? null,
    last_name: p.lastName ?? null,
    avatar: p.avatar ?? null,
    phone_numbers: JSON.stringify(p.phoneNumbers),
    extension: p.extension ?? null,
    location_id: p.locationId ?? null,
    roles: JSON.stringify(p.roles),
    licenses: JSON.stringify(p.licenses),
    department: p.department ?? null,
    manager: p.manager ?? null,
    manager_id: p.managerId ?? null,
    title: p.title ?? null,
    addresses: JSON.stringify(p.addresses),
    timezone: p.timezone ?? null,
    site_urls: JSON.stringify(p.siteUrls),
    sip_addresses: JSON.stringify(p.sipAddresses),
    xmpp_federation_jid: p.xmppFederationJid ?? null,
    invite_pending: p.invitePending ? 1 : 0,
    login_enabled: p.loginEnabled ? 1 : 0,
    presence_state: p.presenceState ?? null,
    last_activity: p.lastActivity ?? null,
    status_sharing: p.statusSharing ? 1 : 0,
    created: p.created,
    last_modified: p.lastModified,
  };
}

export function fromPersonRow(r: PersonRow): PersonRecord {
  const person: PersonRecord = {
    id: r.id,
    orgId: r.org_id,
    type: r.type as PersonRecord['type'],
    emails: JSON.parse(r.emails) as string[],
    displayName: r.display_name,
    phoneNumbers: JSON.parse(r.phone_numbers) as PersonRecord['phoneNumbers'],
    roles: JSON.parse(r.roles) as string[],
    licenses: JSON.parse(r.licenses) as string[],
    addresses: JSON.parse(r.addresses) as PersonRecord['addresses'],
    siteUrls: JSON.parse(r.site_urls) as string[],
    sipAddresses: JSON.parse(r.sip_addresses) as PersonRecord['sipAddresses'],
    invitePending: r.invite_pending === 1,
    loginEnabled: r.login_enabled === 1,
    statusSharing: r.status_sharing === 1,
    created: r.created,
    lastModified: r.last_modified,
  };
  if (r.nick_name !== null) person.nickName = r.nick_name;
  if (r.first_name !== null) person.firstName = r.first_name;
  if (r.last_name !== null) person.lastName = r.last_name;
  if (r.avatar !== null) person.avatar = r.avatar;
  if (r.extension !== null) person.extension = r.extension;
  if (r.location_id !== null) person.locationId = r.location_id;
  if (r.department !== null) person.department = r.department;
  if (r.manager !== null) person.manager = r.manager;
  if (r.manager_id !== null) person.managerId = r.manager_id;
  if (r.title !== null) person.title = r.title;
  if (r.timezone !== null) person.timezone = r.timezone;
  if (r.xmpp_federation_jid !== null) person.xmppFederationJid = r.xmpp_federation_jid;
  if (r.presence_state !== null) person.presenceState = r.presence_state as PersonRecord['presenceState'];
  if (r.last_activity !== null) person.lastActivity = r.last_activity;
  return person;
}
