import type { OrgRecord, TokenRecord } from '../domain/model.js';

// Where token and org records meet their rows, for both stores (people: person-row.ts).

export interface TokenRow {
  person_id: string;
  expires_at: number | null;
}

export function fromTokenRow(hash: string, row: TokenRow): TokenRecord {
  return row.expires_at === null
    ? { hash, personId: row.person_id }
    : { hash, personId: row.person_id, expiresAt: row.expires_at };
}

export interface OrgRow {
  id: string;
  display_name: string;
}

export interface ManagesRow {
  manager_id: string;
  managed_id: string;
}

/** The orgs in the order of their rows, each with the orgs it manages in the order of `manages`. */
export function fromOrgRows(orgs: readonly OrgRow[], manages: readonly ManagesRow[]): OrgRecord[] {
  return orgs.map((o) => ({
    id: o.id,
    displayName: o.display_name,
    manages: manages.filter((m) => m.manager_id === o.id).map((m) => m.managed_id),
  }));
}
