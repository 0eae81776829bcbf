import pg from 'pg';
import type { StoreLogger } from '../../domain/people-store.js';

// The PostgreSQL connection pool as the store uses it: how values are read, how long a connection may
// take, what a lost connection does, and queries that wait for the schema.

// BIGINT columns hold milliseconds; they fit a JS number exactly, so read them as numbers.
const INT8_OID = 20;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(
          oid,
          format,
        )) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A connection that cannot be made (or a free one waited for) within this fails the query, which the
 * API answers with 503 rather than hanging while the database is unreachable.
 */
export const CONNECT_TIMEOUT_MS = 5000;
/** Shown in pg_stat_activity; an application_name in the URL wins. */
export const APPLICATION_NAME = 'rollcall';

export function openPool(connectionString: string, poolSize: number): pg.Pool {
  return new pg.Pool({
    connectionString,
    max: poolSize,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
  });
}

/**
 * A pooled connection that breaks (a terminated backend, a restarted database) emits `error`, which
 * without a listener ends the process: idle ones on the pool, checked-out ones on the client. Each is
 * logged once here; the pool discards broken clients, and the next query opens a new connection.
 */
export function reportLostConnections(pool: pg.Pool, log: () => StoreLogger | undefined): void {
  const reported = new WeakSet<pg.PoolClient>();
  const report = (client: pg.PoolClient, err: Error) => {
    if (reported.has(client)) return;
    reported.add(client);
    log()?.warn({ err }, 'a pooled PostgreSQL connection was lost');
  };
  pool.on('connect', (client) => client.on('error', (err) => report(client, err)));
  pool.on('error', (err, client) => report(client, err));
}

/** The pool, but every use waits until the schema is ready. */
export class ReadyPool {
  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<void>,
  ) {}

  async query<R extends pg.QueryResultRow>(
    config: string | pg.QueryConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    await this.ready;
    return this.pool.query<R>(config, values);
  }

  async connect(): Promise<pg.PoolClient> {
    await this.ready;
    return this.pool.connect();
  }

  get waitingCount(): number {
    return this.pool.waitingCount;
  }

  async end(): Promise<void> {
    await this.ready.catch(() => undefined);
    if (!this.pool.ended) await this.pool.end();
  }
}
