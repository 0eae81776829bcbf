import type { Person } from '../schemas/person.js';
import { isAdminOf, type Caller } from './caller.js';
import { toIso } from './clock.js';
import { encodeHydraId } from './ids.js';
import type { PersonRecord, PhoneNumber } from './model.js';
import { boundedMemo } from './memo.js';
import { derivePresenceStatus } from './presence.js';

/** Creation and change times of the same people, formatted on every response that shows them. */
const isoOfStoredTime = boundedMemo(toIso, 50_000);

export interface ViewOptions {
  /** `callingData=true` was asked for; honoured only for admins of the person's org. */
  callingData: boolean;
  /** False for lists by `id=` and for `excludeStatus=true`. */
  presence: boolean;
  /** A list by `id=`: no presence, no roles or licenses, and a `userName`. */
  listById: boolean;
  /** Emit invitePending/loginEnabled as JSON booleans instead of the documented strings. */
  flagsAsBooleans: boolean;
  now: number;
}

/** What `caller` may see of `person`: the one place where Webex's visibility rules live. */
export function viewPerson(person: PersonRecord, caller: Caller, options: ViewOptions): Person {
  const admin = isAdminOf(caller, person.orgId);
  const self = caller.person.id === person.id;
  const adminFields = (admin || self) && !options.listById;
  const calling = options.callingData && admin;
  const presence =
    options.presence &&
    !options.listById &&
    caller.nearOrgs.has(person.orgId) &&
    caller.person.statusSharing &&
    person.statusSharing;
  const flag = (value: boolean) => (options.flagsAsBooleans ? value : value ? 'true' : 'false');
  const phoneNumbers = calling ? person.phoneNumbers : withoutCallingNumbers(person);

  const view: Person = {
    id: encodeHydraId('PEOPLE', person.id),
    emails: person.emails,
    displayName: person.displayName,
    orgId: encodeHydraId('ORGANIZATION', person.orgId),
    created: isoOfStoredTime(person.created),
    type: person.type,
  };
  if (phoneNumbers.length > 0) view.phoneNumbers = phoneNumbers;
  if (calling && person.extension !== undefined) view.extension = person.extension;
  if (calling && person.locationId !== undefined)
    view.locationId = encodeHydraId('LOCATION', person.locationId);
  if (person.nickName !== undefined) view.nickName = person.nickName;
  if (person.firstName !== undefined) view.firstName = person.firstName;
  if (person.lastName !== undefined) view.lastName = person.lastName;
  if (person.avatar !== undefined) view.avatar = person.avatar;
  if (adminFields && person.roles.length > 0) view.roles = person.roles.map((r) => encodeHydraId('ROLE', r));
  if (adminFields && person.licenses.length > 0) {
    view.licenses = person.licenses.map((l) => encodeHydraId('LICENSE', l));
  }
  if (person.department !== undefined) view.department = person.department;
  if (person.manager !== undefined) view.manager = person.manager;
  if (person.managerId !== undefined) view.managerId = encodeHydraId('PEOPLE', person.managerId);
  if (person.title !== undefined) view.title = person.title;
  if (person.addresses.length > 0) view.addresses = person.addresses;
  view.lastModified = isoOfStoredTime(person.lastModified);
  if (person.timezone !== undefined) view.timezone = person.timezone;
  if (presence && person.lastActivity !== undefined) view.lastActivity = toIso(person.lastActivity);
  if (person.siteUrls.length > 0) view.siteUrls = person.siteUrls;
  if (person.sipAddresses.length > 0) view.sipAddresses = person.sipAddresses;
  if (person.xmppFederationJid !== undefined) view.xmppFederationJid = person.xmppFederationJid;
  if (presence) view.status = derivePresenceStatus(person, options.now);
  if (options.listById && person.emails[0] !== undefined) view.userName = person.emails[0];
  if (admin) {
    view.invitePending = flag(person.invitePending);
    view.loginEnabled = flag(person.loginEnabled);
  }
  return view;
}

/**
 * Calling numbers are Calling data: every `work_extension` entry, and the `work` number of a Webex
 * Calling user (a person with an extension or a location).
 */
function withoutCallingNumbers(person: PersonRecord): PhoneNumber[] {
  const callingUser = person.extension !== undefined || person.locationId !== undefined;
  return person.phoneNumbers.filter(
    (n) => n.type !== 'work_extension' && !(callingUser && n.type === 'work'),
  );
}
