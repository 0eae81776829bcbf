import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Which store the suite runs against: set by scripts/test.mjs for each pass. */
export const TEST_STORE = process.env.ROLLCALL_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export const TEST_PG_URL = process.env.ROLLCALL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** A `--db` value: a SQLite file, or a postgres:// URL whose search_path is a fresh schema. */
  url: string;
  drop(): Promise<void>;
}

export type TestStore = typeof TEST_STORE;

/** A fresh, empty database for one test server: a temp SQLite file, or a new PostgreSQL schema. */
export async function createTestDatabase(store: TestStore = TEST_STORE): Promise<TestDatabase> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-test-'));
    return {
      url: join(dir, 'rollcall.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `rollcall_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP SCHEMA ${schema} CASCADE`)),
  };
}

async function withAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
