import type { PeopleQuery } from '../people-store.js';

// Highest code point: `name >= p AND name < p || MAX` is a prefix range the name index can serve.
const MAX_CHAR = '\u{10FFFF}';

/** SQL and parameters for a list query, ordered by (display_name_lower, id). */
export function buildListQuery(query: PeopleQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  // `+org_id` keeps SQLite from choosing the org index for a name search in several orgs: scanning the
  // name index in order and filtering by org stops after `limit` matches, where the org index would
  // sort them all. In one org, the org index serves org, prefix and order at once (and reads no other
  // org's rows: a prefix common elsewhere but rare in this org no longer scans them all).
  const orgColumn = query.displayNamePrefix !== undefined && query.orgIds.length > 1 ? '+org_id' : 'org_id';
  where.push(`${orgColumn} IN (${query.orgIds.map(() => '?').join(', ')})`);
  params.push(...query.orgIds);
  if (query.email !== undefined) {
    where.push('id IN (SELECT person_id FROM person_emails WHERE email_lower = ?)');
    params.push(query.email.toLowerCase());
  }
  if (query.displayNamePrefix !== undefined) {
    const prefix = query.displayNamePrefix.toLowerCase();
    where.push('display_name_lower >= ? AND display_name_lower < ?');
    params.push(prefix, prefix + MAX_CHAR);
  }
  if (query.roles !== undefined) {
    where.push(
      `EXISTS (SELECT 1 FROM json_each(people.roles) WHERE value IN (${query.roles.map(() => '?').join(', ')}))`,
    );
    params.push(...query.roles);
  }
  if (query.locationId !== undefined) {
    where.push('location_id = ?');
    params.push(query.locationId);
  }
  if (query.after !== undefined) {
    where.push('(display_name_lower, id) > (?, ?)');
    params.push(query.after.name, query.after.id);
  }
  params.push(query.limit);
  return {
    sql: `SELECT * FROM people WHERE ${where.join(' AND ')} ORDER BY display_name_lower, id LIMIT ?`,
    params,
  };
}
