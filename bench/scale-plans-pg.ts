import pg from 'pg';
import type { PeopleStore } from '../src/domain/people-store.js';
import { openStore } from '../src/store/open-store.js';
import { withClient } from './pg-schema.js';
import type { QueryPlan } from './scale-plans.js';

// The query plans of the list queries on PostgreSQL: the store is asked as the server would ask it,
// the SQL it sends (with its parameters) is caught on its way into the pg pool, and PostgreSQL EXPLAINs
// it with the same parameters. A Seq Scan of people (or of its emails) reads the whole table; on a
// small table the planner may rightly prefer one, so it only counts from SEQ_SCAN_MIN_ROWS people on.

export const SEQ_SCAN_MIN_ROWS = 100_000;
const BIG_TABLES = /Seq Scan on (people|person_emails)\b/;

type PoolQuery = (this: pg.Pool, config: unknown, values?: unknown) => Promise<pg.QueryResult>;

export async function explainPgListQueries(
  url: string,
  queries: readonly { name: string; run: (store: PeopleStore) => Promise<unknown> }[],
): Promise<{ plans: QueryPlan[]; people: number; seqScansCount: boolean }> {
  const caught: { sql: string; params: unknown[] }[] = [];
  const proto = pg.Pool.prototype as unknown as { query: PoolQuery };
  const query = proto.query;
  proto.query = function (this: pg.Pool, config: unknown, values?: unknown) {
    const text = typeof config === 'string' ? config : (config as { text?: string }).text;
    const params = Array.isArray(values) ? values : ((config as { values?: unknown[] }).values ?? []);
    if (text !== undefined) caught.push({ sql: text, params });
    return query.call(this, config, values);
  };

  const plans: QueryPlan[] = [];
  const store = openStore(url, { poolSize: 1 });
  try {
    const people = await store.countPeople();
    const seqScansCount = people >= SEQ_SCAN_MIN_ROWS;
    await withClient(url, async (client) => {
      await client.query('ANALYZE');
      for (const { name, run } of queries) {
        caught.length = 0;
        await run(store);
        const last = caught.at(-1);
        if (!last) throw new Error(`${name}: the store ran no query`);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${last.sql}`, last.params);
        const plan = rows.map((row) => shortenArrays(row['QUERY PLAN']));
        plans.push({
          name,
          sql: last.sql.replace(/\s+/g, ' '),
          plan,
          fullScans: seqScansCount ? plan.filter((line) => BIG_TABLES.test(line)) : [],
        });
      }
    });
    return { plans, people, seqScansCount };
  } finally {
    proto.query = query;
    await store.close();
  }
}

/** `'{a,b,c,…}'::text[]` of more than three values printed as its first two and a count. */
function shortenArrays(line: string): string {
  return line.replace(/'\{([^}']*)\}'::text\[\]/g, (whole, list: string) => {
    const values = list.split(',');
    return values.length <= 3
      ? whole
      : `'{${values.slice(0, 2).join(',')},… (${values.length} values)}'::text[]`;
  });
}

/** Bytes on disk of the tables and indexes of the schema the URL's search_path names. */
export async function schemaBytes(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ bytes: string | null }>(
      `SELECT SUM(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'`,
    );
    return Number(rows[0]?.bytes ?? 0);
  });
}
