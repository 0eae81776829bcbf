import type { PeopleQuery } from '../domain/people-store.js';

/** What differs between the SQL backends in a list query; each capability says why it exists. */
export interface ListDialect {
  /** The placeholder of the n-th (1-based) parameter: `?` in SQLite, `$n` in PostgreSQL. */
  param(n: number): string;
  /**
   * The org column as a name search in `orgCount` orgs should filter on it. SQLite must be kept from
   * choosing the org index for a search in several orgs (`+org_id`): scanning the name index in order
   * and filtering by org stops after `limit` matches, where the org index would sort every match. In one
   * org the org index serves org, prefix and order at once. PostgreSQL's planner needs no hint.
   */
  orgColumnForNameSearch(orgCount: number): string;
  /** A condition: the JSON array in column `roles` holds one of the given placeholders. */
  rolesAnyOf(placeholders: string[]): string;
}

// Highest code point: `name >= p AND name < p || MAX` is a prefix range the name index can serve.
const MAX_CHAR = '\u{10FFFF}';

/**
 * SQL and parameters for a list query, ordered by (display_name_lower, id), byte-wise. It selects whole
 * rows, or only `people.id` for a store that keeps people in memory.
 */
export function buildListSql(
  query: PeopleQuery,
  dialect: ListDialect,
  select: 'people.*' | 'people.id' = 'people.*',
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (...values: unknown[]): string[] =>
    values.map((value) => {
      params.push(value);
      return dialect.param(params.length);
    });

  const orgColumn =
    query.displayNamePrefix !== undefined ? dialect.orgColumnForNameSearch(query.orgIds.length) : 'org_id';
  // By email: from the email's row to its one person. (`id IN (SELECT …)` made SQLite build a
  // temporary table and sort for each query, ten times the cost of the two lookups.)
  let from = 'people';
  if (query.email !== undefined) {
    from = 'person_emails JOIN people ON people.id = person_emails.person_id';
    where.push(`person_emails.email_lower = ${add(query.email.toLowerCase()).join()}`);
  }
  where.push(`${orgColumn} IN (${add(...query.orgIds).join(', ')})`);
  if (query.displayNamePrefix !== undefined) {
    const prefix = query.displayNamePrefix.toLowerCase();
    const [from, to] = add(prefix, prefix + MAX_CHAR);
    where.push(`display_name_lower >= ${from} AND display_name_lower < ${to}`);
  }
  if (query.roles !== undefined) where.push(dialect.rolesAnyOf(add(...query.roles)));
  if (query.locationId !== undefined) where.push(`location_id = ${add(query.locationId).join()}`);
  if (query.after !== undefined) {
    const [name, id] = add(query.after.name, query.after.id);
    where.push(`(display_name_lower, id) > (${name}, ${id})`);
  }
  // The limit is written into the SQL, not bound: SQLite plans with a bound LIMIT's value, so binding
  // one makes it parse and plan the statement again on every run (a third of an email lookup's cost).
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new Error(`bad limit ${query.limit}`);
  return {
    sql: `SELECT ${select} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY display_name_lower, id LIMIT ${query.limit}`,
    params,
  };
}
