import type { DirectoryFile, DirectoryPersonEntry } from '../../src/directory/directory-file-schema.js';
import { hydra, iso, type Json } from './wire.js';

// The tests' one model of "who sees what": the exact JSON a caller should get for a person, written
// from the People API rules (docs/people-api.md Part A: "Who sees what", "Presence status", "Lists")
// and on purpose not from src/ (src/domain/person-view.ts), so that the tests check src/ against the
// rules rather than against itself. Only the directory file's types come from src/.

export type PersonEntry = DirectoryPersonEntry & { id: string; displayName: string };
export type OrgEntry = DirectoryFile['orgs'][number];

export const ADMIN_ROLES = ['id_full_admin', 'id_user_admin', 'id_readonly_admin'];
/** A person counts as active this long after their last activity. */
const ACTIVE_WINDOW_MS = 10 * 60 * 1000;

export interface ViewOptions {
  /** `?callingData=true`. */
  callingData?: boolean;
  /** The person is listed by `?id=`: no roles, licenses or presence, and a userName. */
  listById?: boolean;
  /** Presence left out (e.g. a list that excludes status). */
  excludeStatus?: boolean;
  /** The server answers invitePending/loginEnabled as JSON booleans rather than strings. */
  flagsAsBooleans?: boolean;
}

/** The status and lastActivity that presence shows, when the caller may see it. */
export interface Presence {
  status: string;
  lastActivity?: string;
}

/** The caller's org and the orgs it manages (a partner relationship). */
export function nearOrgs(orgs: readonly OrgEntry[], caller: PersonEntry): Set<string> {
  const org = orgs.find((o) => o.id === caller.orgId);
  return new Set([caller.orgId, ...(org?.manages ?? [])]);
}

/** An admin role makes the caller an admin of its own org and of the orgs that org manages. */
export function isAdminOf(orgs: readonly OrgEntry[], caller: PersonEntry, orgId: string): boolean {
  const admin = (caller.roles ?? []).some((r) => ADMIN_ROLES.includes(r));
  return admin && nearOrgs(orgs, caller).has(orgId);
}

/**
 * The status presence derives: a seeded state wins; else never active → `pending` (`unknown` for a
 * bot); else `active` within ten minutes of the last activity, `inactive` after.
 */
export function derivedStatus(target: PersonEntry, lastActivityMs: number | undefined, now: number): string {
  if (target.presence?.state !== undefined) return target.presence.state;
  if (lastActivityMs === undefined) return target.type === 'bot' ? 'unknown' : 'pending';
  return now - lastActivityMs <= ACTIVE_WINDOW_MS ? 'active' : 'inactive';
}

/** A role given as a ROLE ID is shown as it is; a role name is shown as its ROLE ID. */
function roleId(role: string): string {
  const decoded = Buffer.from(role, 'base64url').toString('utf8');
  return decoded.startsWith('ciscospark://us/ROLE/') ? role : hydra('ROLE', role);
}

function flag(value: boolean | 'true' | 'false' | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value === true || value === 'true';
}

/** What `caller` sees of `target` in a directory with `orgs`. */
export function expectedPerson(view: {
  orgs: readonly OrgEntry[];
  caller: PersonEntry;
  target: PersonEntry;
  /** What presence shows when the caller may see it. */
  presence: Presence;
  /** When the directory was loaded: the default created/lastModified. */
  loadedAt: number;
  options?: ViewOptions;
}): Json {
  const { orgs, caller, target, options = {} } = view;
  const admin = isAdminOf(orgs, caller, target.orgId);
  const self = caller.id === target.id;
  const calling = options.callingData === true && admin;
  const created = target.created ?? iso(view.loadedAt);
  const out: Json = {
    id: hydra('PEOPLE', target.id),
    emails: target.emails,
    displayName: target.displayName,
    orgId: hydra('ORGANIZATION', target.orgId),
    created,
    lastModified: target.lastModified ?? created,
    type: target.type ?? 'person',
  };
  // Calling data: every work extension, and the work number of a Webex Calling user.
  const callingUser = target.extension !== undefined || target.locationId !== undefined;
  const phones = (target.phoneNumbers ?? []).filter(
    (n) => calling || (n.type !== 'work_extension' && !(callingUser && n.type === 'work')),
  );
  if (phones.length > 0) out.phoneNumbers = phones;
  if (calling && target.extension !== undefined) out.extension = target.extension;
  if (calling && target.locationId !== undefined) out.locationId = hydra('LOCATION', target.locationId);
  for (const key of [
    'nickName',
    'firstName',
    'lastName',
    'avatar',
    'department',
    'manager',
    'title',
    'timezone',
    'xmppFederationJid',
  ] as const) {
    if (target[key] !== undefined) out[key] = target[key];
  }
  if (target.managerId !== undefined) out.managerId = hydra('PEOPLE', target.managerId);
  for (const key of ['addresses', 'siteUrls', 'sipAddresses'] as const) {
    if ((target[key] ?? []).length > 0) out[key] = target[key];
  }
  if ((admin || self) && options.listById !== true) {
    if ((target.roles ?? []).length > 0) out.roles = (target.roles ?? []).map(roleId);
    if ((target.licenses ?? []).length > 0) {
      out.licenses = (target.licenses ?? []).map((l) => hydra('LICENSE', l));
    }
  }
  const presence =
    options.excludeStatus !== true &&
    options.listById !== true &&
    nearOrgs(orgs, caller).has(target.orgId) &&
    caller.presence?.sharing !== false &&
    target.presence?.sharing !== false;
  if (presence) {
    if (view.presence.lastActivity !== undefined) out.lastActivity = view.presence.lastActivity;
    out.status = view.presence.status;
  }
  if (options.listById === true) out.userName = target.emails[0];
  if (admin) {
    const shown = (value: boolean) => (options.flagsAsBooleans === true ? value : String(value));
    out.invitePending = shown(flag(target.invitePending, false));
    out.loginEnabled = shown(flag(target.loginEnabled, true));
  }
  return out;
}
