import { toIso } from '../domain/clock.js';
import { encodeHydraId } from '../domain/ids.js';
import type { OrgRecord, PersonRecord } from '../domain/model.js';
import { roleRefOf } from '../domain/person-fields.js';
import type { DirectoryFile, DirectoryPersonEntry } from './directory-file-schema.js';

/** The directory file for what is stored, with hydra IDs. Tokens are never written. */
export function exportDirectory(directory: { orgs: OrgRecord[]; people: PersonRecord[] }): DirectoryFile {
  return {
    orgs: directory.orgs.map((org) => ({
      id: encodeHydraId('ORGANIZATION', org.id),
      displayName: org.displayName,
      ...(org.manages.length > 0 && { manages: org.manages.map((id) => encodeHydraId('ORGANIZATION', id)) }),
    })),
    people: directory.people.map(exportPerson),
  };
}

function exportPerson(p: PersonRecord): DirectoryPersonEntry {
  const entry: DirectoryPersonEntry = {
    id: encodeHydraId('PEOPLE', p.id),
    orgId: encodeHydraId('ORGANIZATION', p.orgId),
    type: p.type,
    emails: p.emails,
    displayName: p.displayName,
  };
  const optional: Partial<DirectoryPersonEntry> = {
    nickName: p.nickName,
    firstName: p.firstName,
    lastName: p.lastName,
    avatar: p.avatar,
    phoneNumbers: nonEmpty(p.phoneNumbers),
    extension: p.extension,
    locationId: p.locationId === undefined ? undefined : encodeHydraId('LOCATION', p.locationId),
    roles: nonEmpty(p.roles.map(roleRefOf)),
    licenses: nonEmpty(p.licenses.map((l) => encodeHydraId('LICENSE', l))),
    department: p.department,
    manager: p.manager,
    managerId: p.managerId === undefined ? undefined : encodeHydraId('PEOPLE', p.managerId),
    title: p.title,
    addresses: nonEmpty(p.addresses),
    created: toIso(p.created),
    lastModified: toIso(p.lastModified),
    timezone: p.timezone,
    siteUrls: nonEmpty(p.siteUrls),
    sipAddresses: nonEmpty(p.sipAddresses),
    xmppFederationJid: p.xmppFederationJid,
    invitePending: p.invitePending,
    loginEnabled: p.loginEnabled,
    presence: {
      ...(p.presenceState !== undefined && { state: p.presenceState }),
      ...(p.lastActivity !== undefined && { lastActivity: toIso(p.lastActivity) }),
      sharing: p.statusSharing,
    },
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (entry as Record<string, unknown>)[key] = value;
  }
  return entry;
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length > 0 ? values : undefined;
}
