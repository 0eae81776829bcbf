import type { PersonRecord } from './model.js';
import { adminAccessOf, type AdminAccess } from './roles.js';

/** The person a request's token belongs to, with what their roles and org relations let them see. */
export interface Caller {
  readonly person: PersonRecord;
  readonly access: AdminAccess;
  /** The caller's org and the orgs it manages: presence is visible there. */
  readonly nearOrgs: ReadonlySet<string>;
}

export function makeCaller(person: PersonRecord, managedOrgIds: readonly string[]): Caller {
  return {
    person,
    access: adminAccessOf(person.roles),
    nearOrgs: new Set([person.orgId, ...managedOrgIds]),
  };
}

/** Admin of an org: an admin (full, user or read-only) of that org or of an org that manages it. */
export function isAdminOf(caller: Caller, orgId: string): boolean {
  return caller.access !== 'none' && caller.nearOrgs.has(orgId);
}

export function canWriteIn(caller: Caller, orgId: string): boolean {
  return caller.access === 'write' && caller.nearOrgs.has(orgId);
}
