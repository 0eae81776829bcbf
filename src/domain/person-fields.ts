import { decodeHydraId, encodeHydraId } from './ids.js';
import { ROLE_NAMES } from './roles.js';

// The rules for a person's fields wherever they come from (a directory file, a request body, a list
// query), one place each, so that the directory and the API cannot drift apart. Callers word their own
// errors: a directory file names the entry, the API the field of the request. Emails are checked by
// email.ts; IDs resolved by ids.ts.

/** A role name (`id_full_admin`, …) or a role ID, as the role stored; undefined when it is neither. */
export function resolveRoleRef(ref: string): string | undefined {
  if ((ROLE_NAMES as readonly string[]).includes(ref)) return ref;
  const decoded = decodeHydraId(ref);
  return decoded?.type === 'ROLE' ? decoded.id : undefined;
}

/** How a directory file writes a stored role: a role name as itself, any other role as its role ID. */
export function roleRefOf(role: string): string {
  return (ROLE_NAMES as readonly string[]).includes(role) ? role : encodeHydraId('ROLE', role);
}

export interface PersonNames {
  displayName?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

/** The given displayName, else the first and last names joined; '' when there is none. */
export function displayNameOf(names: PersonNames): string {
  return names.displayName ?? [names.firstName, names.lastName].filter(Boolean).join(' ');
}

/**
 * What must be unique across a directory: person IDs, emails (in any case) and tokens (by hash). Each
 * `add` answers false for a value seen before.
 */
export class UniquePersonKeys {
  private readonly ids = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly tokenHashes = new Set<string>();

  addId(id: string): boolean {
    return addNew(this.ids, id);
  }

  addEmail(email: string): boolean {
    return addNew(this.emails, email.toLowerCase());
  }

  addTokenHash(hash: string): boolean {
    return addNew(this.tokenHashes, hash);
  }
}

/** The same address twice (in any case) is one address, kept where it first appears. */
export function withoutDuplicateEmails(emails: readonly string[]): string[] {
  const keys = new UniquePersonKeys();
  return emails.filter((email) => keys.addEmail(email));
}

function addNew(set: Set<string>, value: string): boolean {
  if (set.has(value)) return false;
  set.add(value);
  return true;
}
