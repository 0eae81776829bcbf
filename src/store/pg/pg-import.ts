import type pg from 'pg';
import type { OrgRecord, TokenRecord } from '../../domain/model.js';
import type { DirectoryBatch, ImportCounts, PersonValues } from '../../domain/people-store.js';
import { PERSON_COLUMNS } from '../person-row.js';
import { CHANGES_CHANNEL } from './change-feed.js';

// `rollcall import` on PostgreSQL: the whole directory replaced in one transaction (a bad file or a
// crash leaves the old directory), the rows sent a thousand at a time as arrays (one INSERT … SELECT
// FROM UNNEST per table and chunk, instead of a round trip per row), the secondary indexes built once at
// the end (one sort each instead of a million B-tree insertions), then fresh planner statistics.
// replaceDirectory is this import of one batch (`position` follows the file).

/** Rows per INSERT: 31 arrays of 1,000 values stay well inside one message. */
export const PG_IMPORT_CHUNK = 1000;
const TABLES = ['people', 'person_emails', 'tokens'];
/** Memory for building the indexes again at the end (per transaction, not for the server). */
const INDEX_BUILD_MEMORY = '256MB';

/** The PostgreSQL type of each person column (the array element type UNNEST produces). */
const COLUMN_TYPES: Record<(typeof PERSON_COLUMNS)[number], 'text' | 'integer' | 'bigint'> = {
  ...(Object.fromEntries(PERSON_COLUMNS.map((c) => [c, 'text'])) as Record<
    (typeof PERSON_COLUMNS)[number],
    'text'
  >),
  invite_pending: 'integer',
  login_enabled: 'integer',
  status_sharing: 'integer',
  last_activity: 'bigint',
  created: 'bigint',
  last_modified: 'bigint',
};

/** Rows in array order: WITH ORDINALITY … ORDER BY keeps `position` in file order. */
function unnestInsert(table: string, columns: readonly string[], types: readonly string[]): string {
  const list = columns.join(', ');
  const arrays = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  return `INSERT INTO ${table} (${list}) SELECT ${list} FROM UNNEST(${arrays}) WITH ORDINALITY AS r(${list}, ord) ORDER BY ord`;
}

const INSERT_ORGS = unnestInsert('orgs', ['id', 'display_name'], ['text', 'text']);
const INSERT_MANAGES = unnestInsert('org_manages', ['manager_id', 'managed_id'], ['text', 'text']);
const INSERT_PEOPLE = unnestInsert(
  'people',
  PERSON_COLUMNS,
  PERSON_COLUMNS.map((c) => COLUMN_TYPES[c]),
);
const INSERT_EMAILS = unnestInsert('person_emails', ['email_lower', 'person_id'], ['text', 'text']);
const INSERT_TOKENS = `INSERT INTO tokens (hash, person_id, expires_at, created_at)
  SELECT hash, person_id, expires_at, $4 FROM UNNEST($1::text[], $2::text[], $3::bigint[])
  WITH ORDINALITY AS r(hash, person_id, expires_at, ord) ORDER BY ord`;

/** Secondary (non-unique) indexes of the imported tables, with the statements that create them. */
const SECONDARY_INDEXES = `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
  WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1::text[])
    AND NOT i.indisprimary AND NOT i.indisunique
  ORDER BY c.relname`;

/**
 * Replaces the directory on `client` (a connection of its own, not in a transaction). `batches` is
 * iterated inside the transaction; when it throws, the transaction is rolled back and nothing changed.
 */
export async function importIntoPg(
  client: pg.ClientBase,
  orgs: readonly OrgRecord[],
  batches: Iterable<DirectoryBatch>,
  now: number,
): Promise<ImportCounts> {
  const counts: ImportCounts = { orgs: orgs.length, people: 0, tokens: 0 };
  // The writes of one batch run while the next is read (and checked) in this thread.
  let pending: Promise<void> = Promise.resolve();
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`);
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(SECONDARY_INDEXES, [
      TABLES,
    ]);
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    await client.query('TRUNCATE tokens, person_emails, people, org_manages, orgs');
    // Every instance forgets every cached person and token.
    await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, '*']);
    await client.query(INSERT_ORGS, [orgs.map((o) => o.id), orgs.map((o) => o.displayName)]);
    const manages = orgs.flatMap((o) => o.manages.map((managed) => [o.id, managed] as const));
    await client.query(INSERT_MANAGES, [manages.map(([m]) => m), manages.map(([, m]) => m)]);
    for (const batch of batches) {
      await pending;
      pending = writeBatch(client, batch, now);
      // Settled (and awaited) before the next batch, or by the rollback below.
      pending.catch(() => undefined);
      counts.people += batch.people.length;
      counts.tokens += batch.tokens.length;
    }
    await pending;
    for (const index of indexes) await client.query(index.definition);
    await client.query('COMMIT');
  } catch (error) {
    await pending.catch(() => undefined);
    await client.query('ROLLBACK');
    throw error;
  }
  await client.query(`ANALYZE ${['orgs', 'org_manages', ...TABLES].join(', ')}`);
  return counts;
}

async function writeBatch(client: pg.ClientBase, batch: DirectoryBatch, now: number): Promise<void> {
  for (let start = 0; start < batch.people.length; start += PG_IMPORT_CHUNK) {
    await client.query(INSERT_PEOPLE, personColumns(batch.people.slice(start, start + PG_IMPORT_CHUNK)));
  }
  for (let start = 0; start < batch.emails.length; start += PG_IMPORT_CHUNK) {
    const emails = batch.emails.slice(start, start + PG_IMPORT_CHUNK);
    await client.query(INSERT_EMAILS, [emails.map(([e]) => e), emails.map(([, id]) => id)]);
  }
  for (let start = 0; start < batch.tokens.length; start += PG_IMPORT_CHUNK) {
    await client.query(INSERT_TOKENS, [
      ...tokenColumns(batch.tokens.slice(start, start + PG_IMPORT_CHUNK)),
      now,
    ]);
  }
}

/** One array per column, in PERSON_COLUMNS order. */
function personColumns(people: readonly PersonValues[]): unknown[][] {
  return PERSON_COLUMNS.map((_, i) => people.map((values) => values[i]));
}

function tokenColumns(tokens: readonly TokenRecord[]): unknown[][] {
  return [tokens.map((t) => t.hash), tokens.map((t) => t.personId), tokens.map((t) => t.expiresAt ?? null)];
}
