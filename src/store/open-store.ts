import type { PeopleStore } from '../domain/people-store.js';
import { openPgStore } from './pg/pg-store.js';
import { isSqliteStore, openSqliteStore } from './sqlite/sqlite-store.js';

export interface StoreOptions {
  /** PostgreSQL connection pool size. */
  poolSize?: number;
  /** Create or upgrade the schema on open (PostgreSQL; SQLite always does). */
  migrate?: boolean;
  /** SQLite: checkpoint the WAL in a worker thread (for `rollcall serve`). */
  backgroundCheckpoints?: boolean;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** The one factory that turns a `--db` value into a store: a postgres:// URL, else a SQLite file. */
export function openStore(db: string, options: StoreOptions = {}): PeopleStore {
  if (isPostgresUrl(db)) {
    return openPgStore(db, { poolSize: options.poolSize ?? 10, migrate: options.migrate ?? true });
  }
  return openSqliteStore(db, options);
}

/**
 * Whether `store` answers getPerson with the same record object for the same person until it changes
 * (SQLite keeps people in memory), so that what is derived from a record may be kept with it.
 */
export function keepsPeople(store: PeopleStore): boolean {
  return isSqliteStore(store);
}
