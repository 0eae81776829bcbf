import { openStore } from '../store/open-store.js';

/** Opening a store with migrations on brings its schema up to date; a first query waits for that. */
export async function migrateDatabase(db: string): Promise<void> {
  const store = openStore(db, { migrate: true, poolSize: 1 });
  try {
    await store.countPeople();
  } finally {
    await store.close();
  }
}
