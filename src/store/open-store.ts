import type { PeopleStore } from './people-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** The one factory that turns a `--db` value into a store. */
export function openStore(db: string): PeopleStore {
  return openSqliteStore(db);
}
