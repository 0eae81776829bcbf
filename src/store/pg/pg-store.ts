import pg from 'pg';
import { ConflictError, DuplicateEntryError, MESSAGES } from '../../domain/errors.js';
import type { Directory, OrgRecord, PersonRecord, TokenRecord } from '../../domain/model.js';
import { toDirectoryBatch } from '../directory-batch.js';
import { fromOrgRows, fromTokenRow, type ManagesRow, type OrgRow, type TokenRow } from '../directory-rows.js';
import { buildListSql, type ListDialect } from '../list-sql.js';
import { assertSchemaUpToDate } from '../schema-version.js';
import type {
  ChangeListener,
  DirectoryBatch,
  ImportCounts,
  PeopleQuery,
  PeopleStore,
  StoredPresence,
  StoreLogger,
} from '../../domain/people-store.js';
import {
  fromPersonRow,
  PERSON_COLUMNS,
  toPersonRow,
  UPDATABLE_PERSON_COLUMNS,
  type PersonRow,
} from '../person-row.js';
import { CHANGES_CHANNEL, ChangeFeed } from './change-feed.js';
import { migratePg } from './migrate.js';
import { importIntoPg } from './pg-import.js';
import { PG_MIGRATIONS } from './migrations.js';
import {
  APPLICATION_NAME,
  CONNECT_TIMEOUT_MS,
  openPool,
  ReadyPool,
  reportLostConnections,
} from './pg-pool.js';

const PG_DIALECT: ListDialect = {
  param: (n) => `$${n}`,
  orgColumnForNameSearch: () => 'org_id',
  rolesAnyOf: (placeholders) => `(roles::jsonb) ?| ARRAY[${placeholders.join(', ')}]::text[]`,
};

export interface PgStoreOptions {
  poolSize: number;
  /** Run migrations when opening (rollcall serve does unless told not to). */
  migrate: boolean;
}

/** Opens at once; migrations (when asked for) run first, and every query waits for them. */
export function openPgStore(connectionString: string, options: PgStoreOptions): PeopleStore {
  const pool = openPool(connectionString, options.poolSize);
  const ready = options.migrate ? migratePg(pool).then(() => undefined) : Promise.resolve();
  // Reported by the first query that waits for it; this only keeps it from being "unhandled".
  ready.catch(() => undefined);
  const store = new PgStore(pool, ready, connectionString);
  reportLostConnections(pool, () => store.logger);
  return store;
}

const insertPersonSql = `INSERT INTO people (${PERSON_COLUMNS.join(', ')})
  VALUES (${PERSON_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const updatePersonSql = `UPDATE people SET ${UPDATABLE_PERSON_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}
  WHERE id = $1`;
/** unique_violation: a primary key or unique index refused a row (the only place that knows the code). */
function isUniqueViolation(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === '23505';
}
const notifyChanged = (client: Queryable, personId: string) =>
  client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, personId]);

type Queryable = pg.Pool | pg.PoolClient;

class PgStore implements PeopleStore {
  private readonly pool: ReadyPool;
  logger: StoreLogger | undefined;

  constructor(
    pool: pg.Pool,
    ready: Promise<void>,
    private readonly connectionString: string,
  ) {
    this.pool = new ReadyPool(pool, ready);
  }

  async getPerson(id: string): Promise<PersonRecord | undefined> {
    const { rows } = await this.pool.query<PersonRow>({
      name: 'get-person',
      text: 'SELECT * FROM people WHERE id = $1',
      values: [id],
    });
    return rows[0] && fromPersonRow(rows[0]);
  }

  async getPeople(ids: readonly string[]): Promise<PersonRecord[]> {
    if (ids.length === 0) return [];
    // In the order of `ids`, as on SQLite: WITH ORDINALITY numbers the wanted IDs.
    const { rows } = await this.pool.query<PersonRow>(
      `SELECT people.* FROM UNNEST($1::text[]) WITH ORDINALITY AS wanted(id, n)
       JOIN people ON people.id = wanted.id ORDER BY wanted.n`,
      [ids],
    );
    return rows.map(fromPersonRow);
  }

  async listPeople(query: PeopleQuery): Promise<PersonRecord[]> {
    if (query.orgIds.length === 0) return [];
    const { sql, params } = buildListSql(query, PG_DIALECT);
    const { rows } = await this.pool.query<PersonRow>(sql, params);
    return rows.map(fromPersonRow);
  }

  async createPerson(person: PersonRecord): Promise<void> {
    await this.transaction(async (client) => {
      await insertPerson(client, person);
      await insertEmails(client, person);
    });
  }

  async updatePerson(person: PersonRecord): Promise<boolean> {
    return this.transaction(async (client) => {
      const row = toPersonRow(person);
      const result = await client.query(updatePersonSql, [
        person.id,
        ...UPDATABLE_PERSON_COLUMNS.map((c) => row[c]),
      ]);
      if (result.rowCount === 0) return false;
      await client.query('DELETE FROM person_emails WHERE person_id = $1', [person.id]);
      await insertEmails(client, person);
      await notifyChanged(client, person.id);
      return true;
    });
  }

  async deletePerson(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const deleted = ((await client.query('DELETE FROM people WHERE id = $1', [id])).rowCount ?? 0) > 0;
      if (deleted) await notifyChanged(client, id);
      return deleted;
    });
  }

  async findPersonIdByEmail(email: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ person_id: string }>(
      'SELECT person_id FROM person_emails WHERE email_lower = $1',
      [email.toLowerCase()],
    );
    return rows[0]?.person_id;
  }

  async countPeople(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM people');
    return rows[0]?.n ?? 0;
  }

  async getManagedOrgIds(orgId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ managed_id: string }>(
      'SELECT managed_id FROM org_manages WHERE manager_id = $1 ORDER BY managed_id',
      [orgId],
    );
    return rows.map((r) => r.managed_id);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>({
      name: 'find-token',
      text: 'SELECT person_id, expires_at FROM tokens WHERE hash = $1',
      values: [hash],
    });
    return rows[0] && fromTokenRow(hash, rows[0]);
  }

  async addToken(token: TokenRecord, createdAt: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO tokens (hash, person_id, expires_at, created_at) VALUES ($1, $2, $3, $4)',
      [token.hash, token.personId, token.expiresAt ?? null, createdAt],
    );
  }

  async deleteExpiredTokens(now: number): Promise<number> {
    const result = await this.pool.query(
      'DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= $1',
      [now],
    );
    return result.rowCount ?? 0;
  }

  async deleteToken(hash: string): Promise<string | undefined> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ person_id: string }>(
        'DELETE FROM tokens WHERE hash = $1 RETURNING person_id',
        [hash],
      );
      const personId = rows[0]?.person_id;
      if (personId !== undefined) await notifyChanged(client, personId);
      return personId;
    });
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow & { hash: string }>(
      'SELECT hash, person_id, expires_at FROM tokens ORDER BY created_at, hash',
    );
    return rows.map((row) => fromTokenRow(row.hash, row));
  }

  async setPresence(personId: string, presence: StoredPresence): Promise<boolean> {
    const { presenceState, lastActivity, statusSharing } = presence;
    return this.transaction(async (client) => {
      const result = await client.query(
        'UPDATE people SET presence_state = $2, last_activity = $3, status_sharing = $4 WHERE id = $1',
        [personId, presenceState ?? null, lastActivity ?? null, statusSharing ? 1 : 0],
      );
      const updated = (result.rowCount ?? 0) > 0;
      // Status sharing is part of a cached caller: other instances forget it.
      if (updated) await notifyChanged(client, personId);
      return updated;
    });
  }

  async recordActivity(lastActivityByPerson: ReadonlyMap<string, number>): Promise<void> {
    if (lastActivityByPerson.size === 0) return;
    await this.pool.query(
      `UPDATE people SET last_activity = GREATEST(COALESCE(people.last_activity, 0), a.at)
       FROM UNNEST($1::text[], $2::bigint[]) AS a(id, at) WHERE people.id = a.id`,
      [[...lastActivityByPerson.keys()], [...lastActivityByPerson.values()]],
    );
  }

  /** An import of one batch: one code path writes a whole directory. */
  async replaceDirectory(directory: Directory, now: number): Promise<void> {
    await this.importDirectory(directory.orgs, [toDirectoryBatch(directory.people, directory.tokens)], now);
  }

  async importDirectory(
    orgs: readonly OrgRecord[],
    batches: Iterable<DirectoryBatch>,
    now: number,
  ): Promise<ImportCounts> {
    const client = await this.pool.connect();
    try {
      return await importIntoPg(client, orgs, batches, now);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEntryError(error);
      throw error;
    } finally {
      client.release();
    }
  }

  async readDirectory(): Promise<{ orgs: OrgRecord[]; people: PersonRecord[] }> {
    const orgs = await this.pool.query<OrgRow>('SELECT * FROM orgs ORDER BY position');
    const manages = await this.pool.query<ManagesRow>(
      'SELECT * FROM org_manages ORDER BY manager_id, managed_id',
    );
    const people = await this.pool.query<PersonRow>('SELECT * FROM people ORDER BY position');
    return { orgs: fromOrgRows(orgs.rows, manages.rows), people: people.rows.map(fromPersonRow) };
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async ping(): Promise<void> {
    // Waits for the migrations this instance runs; without them (--no-migrate), `rollcall migrate` must
    // have brought the schema up to this code's version (a newer one is fine: rolling upgrades).
    const { rows } = await this.pool.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations',
    );
    assertSchemaUpToDate(rows[0]?.v ?? 0, PG_MIGRATIONS.length);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  waitingQueries(): number {
    return this.pool.waitingCount;
  }

  setLogger(logger: StoreLogger): void {
    this.logger = logger;
  }

  async subscribeToChanges(listener: ChangeListener): Promise<() => Promise<void>> {
    const feed = new ChangeFeed(
      {
        connectionString: this.connectionString,
        channel: CHANGES_CHANNEL,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        applicationName: APPLICATION_NAME,
        log: () => this.logger,
      },
      listener,
    );
    await feed.start();
    return () => feed.close();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // On a lost connection ROLLBACK fails too: the caller gets the first error, the pool a broken client.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

async function insertPerson(client: Queryable, person: PersonRecord): Promise<void> {
  const row = toPersonRow(person);
  await client.query({
    name: 'insert-person',
    text: insertPersonSql,
    values: PERSON_COLUMNS.map((c) => row[c]),
  });
}

/** A taken email is a unique violation here, turned into the domain's conflict at this edge. */
async function insertEmails(client: Queryable, person: PersonRecord): Promise<void> {
  for (const email of person.emails) {
    try {
      await client.query('INSERT INTO person_emails (email_lower, person_id) VALUES ($1, $2)', [
        email.toLowerCase(),
        person.id,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(MESSAGES.emailTaken(email));
      throw error;
    }
  }
}
