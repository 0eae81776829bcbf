import Database from 'better-sqlite3';
import type { PeopleStore } from '../src/domain/people-store.js';
import { openStore } from '../src/store/open-store.js';

// The query plans of the list queries on the imported database: the store is asked as the server
// would ask it, the SQL it runs (with its parameters) is caught on its way to SQLite, and SQLite says
// how it runs it. A list query must never read a whole table or a whole index.

export interface QueryPlan {
  name: string;
  sql: string;
  plan: string[];
  /** Plan lines that read a table or an index from end to end. */
  fullScans: string[];
}

type Statement = Database.Statement;

export async function explainListQueries(
  dbFile: string,
  queries: readonly { name: string; run: (store: PeopleStore) => Promise<unknown> }[],
): Promise<QueryPlan[]> {
  const caught: { method: 'all' | 'get'; sql: string; params: unknown[] }[] = [];
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Statement;
  probe.close();
  // Lists run with all(); a get() is the lookup of one person.
  const methods = ['all', 'get'] as const;
  const originals = methods.map((name) => {
    const original = Object.getOwnPropertyDescriptor(proto, name)?.value as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: Statement, ...params: unknown[]) {
        if (!this.source.startsWith('PRAGMA')) caught.push({ method: name, sql: this.source, params });
        return original.apply(this, params);
      },
    });
    return [name, original] as const;
  });

  const plans: QueryPlan[] = [];
  const db = new Database(dbFile, { readonly: true });
  try {
    for (const query of queries) {
      caught.length = 0;
      // A store of its own for each query: nobody is in its cache yet.
      const store = openStore(dbFile);
      try {
        await query.run(store);
      } finally {
        await store.close();
      }
      // The list query itself (all), not a lookup of one person (get).
      const last = caught.findLast((c) => c.method === 'all') ?? caught.at(-1);
      if (!last) throw new Error(`${query.name}: the store ran no query`);
      const rows = db
        .prepare<unknown[], { id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${last.sql}`)
        .all(...last.params);
      const depth = new Map<number, number>([[0, 0]]);
      const plan = rows.map((row) => {
        const level = (depth.get(row.parent) ?? 0) + 1;
        depth.set(row.id, level);
        return `${'  '.repeat(level - 1)}${row.detail}`;
      });
      plans.push({
        name: query.name,
        sql: last.sql.replace(/\s+/g, ' '),
        plan,
        fullScans: rows.map((r) => r.detail).filter(isFullScan),
      });
    }
  } finally {
    for (const [name, original] of originals) {
      Object.defineProperty(proto, name, { configurable: true, writable: true, value: original });
    }
    db.close();
  }
  return plans;
}

/** `SCAN people` or `SCAN people USING INDEX …` without a search term: every row or index entry. */
function isFullScan(detail: string): boolean {
  return /^SCAN (?!CONSTANT ROW)(?!json_each)/.test(detail);
}
