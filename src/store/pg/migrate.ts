import type { Pool } from 'pg';
import { PG_MIGRATIONS } from './migrations.js';

// Any constant shared by every Rollcall instance: the advisory lock that serializes migrations, so
// that instances starting together do not both migrate.
const MIGRATION_LOCK = 0x526f6c6c; // "Roll"

/** Applies the migrations the database lacks, one transaction each, under an advisory lock. */
export async function migratePg(pool: Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)');
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    const current = rows[0]?.v ?? 0;
    for (let version = current + 1; version <= PG_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[version - 1] as string);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return PG_MIGRATIONS.length - current;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
