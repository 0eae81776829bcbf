import type { Person } from '../schemas/person.js';
import { isAdminOf, type Caller } from './caller.js';
import { toIso } from './clock.js';
import { encodeHydraId } from './ids.js';
import type { PersonRecord, PhoneNumber } from './model.js';
import { derivePresenceStatus } from './presence.js';

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
  /** The person's latest activity, when more recent than the stored one (not written yet). */
  lastActivity?: number | undefined;
  /**
   * Keep what was formatted of this record for the next request (see formattedOf): for people read one
   * by one, whom the store keeps in memory. Lists only reuse what is there.
   */
  rememberFormatting: boolean;
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
  const formatted = formattedOf(person, options.rememberFormatting);

  // Key order does not matter: the response schema writes the fields in the documented order.
  const view: Person = { ...formatted.everyone };
  const phoneNumbers = calling ? person.phoneNumbers : formatted.nonCallingNumbers;
  if (phoneNumbers.length > 0) view.phoneNumbers = phoneNumbers;
  if (calling && person.extension !== undefined) view.extension = person.extension;
  if (calling && formatted.locationId !== undefined) view.locationId = formatted.locationId;
  if (adminFields && formatted.roles.length > 0) view.roles = formatted.roles;
  if (adminFields && formatted.licenses.length > 0) view.licenses = formatted.licenses;
  if (presence) {
    const lastActivity = Math.max(person.lastActivity ?? 0, options.lastActivity ?? 0) || undefined;
    if (lastActivity !== undefined) view.lastActivity = toIso(lastActivity);
    view.status = derivePresenceStatus(
      { presenceState: person.presenceState, lastActivity, type: person.type },
      options.now,
    );
  }
  if (options.listById && person.emails[0] !== undefined) view.userName = person.emails[0];
  if (admin) {
    view.invitePending = flag(person.invitePending);
    view.loginEnabled = flag(person.loginEnabled);
  }
  return view;
}

/** The parts of a person's view that are the same for every caller, with its IDs and dates formatted. */
interface FormattedPerson {
  /** The fields every caller sees. */
  everyone: Person;
  nonCallingNumbers: PhoneNumber[];
  roles: string[];
  licenses: string[];
  locationId: string | undefined;
}

// Stored people are immutable records (a change makes a new one), so a record the store keeps in memory
// is formatted once. Not every record: a WeakMap entry of a record that dies young lives on until a full
// garbage collection, and list pages of a large directory would pile them up (about 80 MB more resident
// memory at the peak of a list load on a million people, and slower).
const formattedPeople = new WeakMap<PersonRecord, FormattedPerson>();

function formattedOf(person: PersonRecord, remember: boolean): FormattedPerson {
  let formatted = formattedPeople.get(person);
  if (formatted === undefined) {
    formatted = format(person);
    if (remember) formattedPeople.set(person, formatted);
  }
  return formatted;
}

function format(person: PersonRecord): FormattedPerson {
  const everyone: Person = {
    id: encodeHydraId('PEOPLE', person.id),
    emails: person.emails,
    displayName: person.displayName,
    orgId: encodeHydraId('ORGANIZATION', person.orgId),
    created: toIso(person.created),
    lastModified: toIso(person.lastModified),
    type: person.type,
  };
  if (person.nickName !== undefined) everyone.nickName = person.nickName;
  if (person.firstName !== undefined) everyone.firstName = person.firstName;
  if (person.lastName !== undefined) everyone.lastName = person.lastName;
  if (person.avatar !== undefined) everyone.avatar = person.avatar;
  if (person.department !== undefined) everyone.department = person.department;
  if (person.manager !== undefined) everyone.manager = person.manager;
  if (person.managerId !== undefined) everyone.managerId = encodeHydraId('PEOPLE', person.managerId);
  if (person.title !== undefined) everyone.title = person.title;
  if (person.addresses.length > 0) everyone.addresses = person.addresses;
  if (person.timezone !== undefined) everyone.timezone = person.timezone;
  if (person.siteUrls.length > 0) everyone.siteUrls = person.siteUrls;
  if (person.sipAddresses.length > 0) everyone.sipAddresses = person.sipAddresses;
  if (person.xmppFederationJid !== undefined) everyone.xmppFederationJid = person.xmppFederationJid;
  return {
    everyone,
    nonCallingNumbers: withoutCallingNumbers(person),
    roles: person.roles.map((r) => encodeHydraId('ROLE', r)),
    licenses: person.licenses.map((l) => encodeHydraId('LICENSE', l)),
    locationId: person.locationId === undefined ? undefined : encodeHydraId('LOCATION', person.locationId),
  };
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
