import type Database from 'better-sqlite3';
import type { OrgRecord } from '../../domain/model.js';
import type { DirectoryBatch, ImportCounts } from '../../domain/people-store.js';
import { PERSON_COLUMNS } from '../person-row.js';

// `rollcall import` on SQLite: the whole directory replaced in one transaction (a bad file or a crash
// leaves the old directory), the tables filled first and their secondary indexes built once at the end
// (one sort each instead of a million random B-tree insertions), then fresh planner statistics.

/** Page cache for the import, in KiB: the two unique indexes (person IDs, emails) stay in memory. */
const IMPORT_CACHE_KIB = 256 * 1024;
const TABLES = ['people', 'person_emails', 'tokens'];

export function importIntoSqlite(
  db: Database.Database,
  orgs: readonly OrgRecord[],
  batches: Iterable<DirectoryBatch>,
  now: number,
): ImportCounts {
  const counts: ImportCounts = { orgs: orgs.length, people: 0, tokens: 0 };
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    db.transaction(() => {
      // Created by the migrations; dropped and created again from their own definitions.
      const indexes = db
        .prepare<[], { name: string; sql: string }>(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name IN (${TABLES.map((t) => `'${t}'`).join(', ')}) ORDER BY name`,
        )
        .all();
      for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
      db.exec('DELETE FROM tokens; DELETE FROM person_emails; DELETE FROM people;');
      db.exec('DELETE FROM org_manages; DELETE FROM orgs;');

      const insertOrg = db.prepare('INSERT INTO orgs (id, display_name) VALUES (?, ?)');
      const insertManages = db.prepare('INSERT INTO org_manages (manager_id, managed_id) VALUES (?, ?)');
      // Positional parameters: binding them is a quarter faster than by name.
      const insertPerson = db.prepare(
        `INSERT INTO people (${PERSON_COLUMNS.join(', ')}) VALUES (${PERSON_COLUMNS.map(() => '?').join(', ')})`,
      );
      const insertEmail = db.prepare('INSERT INTO person_emails (email_lower, person_id) VALUES (?, ?)');
      const insertToken = db.prepare(
        'INSERT INTO tokens (hash, person_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
      );
      for (const org of orgs) insertOrg.run(org.id, org.displayName);
      for (const org of orgs) for (const managed of org.manages) insertManages.run(org.id, managed);
      for (const batch of batches) {
        for (const values of batch.people) insertPerson.run(values);
        for (const [emailLower, personId] of batch.emails) insertEmail.run(emailLower, personId);
        for (const token of batch.tokens) {
          insertToken.run(token.hash, token.personId, token.expiresAt ?? null, now);
        }
        counts.people += batch.people.length;
        counts.tokens += batch.tokens.length;
      }
      for (const index of indexes) db.exec(index.sql);
    }).immediate();
    // Only the per-index averages (sqlite_stat1). better-sqlite3's SQLite keeps value samples too
    // (sqlite_stat4), and with those SQLite plans each run of a list query for its bound values:
    // it parses and plans the statement again every time, which cost more than the plan it might win.
    db.transaction(() => {
      db.exec('ANALYZE');
      const samples = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").get();
      if (samples) db.exec('DELETE FROM sqlite_stat4');
    })();
    db.exec('ANALYZE sqlite_schema');
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
  return counts;
}
