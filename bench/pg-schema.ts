import { randomBytes } from 'node:crypto';
import pg from 'pg';

// A fresh PostgreSQL schema per benchmark run, so that runs never see each other's tables: the server
// gets the database URL with `options=-c search_path=<schema>` (as the tests do), creates its tables
// there, and the schema is dropped at the end, also when the run fails or is interrupted.

export interface BenchSchema {
  name: string;
  /** The `--db` value: the given URL, with its search_path set to the schema. */
  url: string;
  drop(): Promise<void>;
}

const created = new Set<BenchSchema>();

export async function createBenchSchema(baseUrl: string, label: string): Promise<BenchSchema> {
  const name = `rollcall_${label}_${randomBytes(4).toString('hex')}`;
  await withClient(baseUrl, (client) => client.query(`CREATE SCHEMA ${name}`));
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  const schema: BenchSchema = {
    name,
    url: url.toString(),
    drop: async () => {
      if (!created.delete(schema)) return;
      await withClient(baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
    },
  };
  created.add(schema);
  return schema;
}

/** Drops every schema created here and not dropped yet (errors are reported, not thrown). */
export async function dropAllSchemas(): Promise<void> {
  await Promise.all(
    [...created].map((schema) =>
      schema.drop().catch((error: unknown) => {
        process.stderr.write(`could not drop schema ${schema.name}: ${String(error)}\n`);
      }),
    ),
  );
}

/** Runs `work` on a connection of its own, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database URL as printed or written down: without its password. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
