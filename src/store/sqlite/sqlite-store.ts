import Database from 'better-sqlite3';
import type { Directory, OrgRecord, PersonRecord, TokenRecord } from '../../domain/model.js';
import { ConflictError, DuplicateEntryError, MESSAGES } from '../../domain/errors.js';
import type {
  DirectoryBatch,
  ImportCounts,
  PeopleQuery,
  PeopleStore,
  StoredPresence,
} from '../../domain/people-store.js';
import {
  fromPersonRow,
  PERSON_COLUMNS,
  toPersonRow,
  UPDATABLE_PERSON_COLUMNS,
  type PersonRow,
} from '../person-row.js';
import { fromOrgRows, fromTokenRow, type ManagesRow, type OrgRow, type TokenRow } from '../directory-rows.js';
import { toDirectoryBatch } from '../directory-batch.js';
import { buildListSql, type ListDialect } from '../list-sql.js';
import { assertSchemaUpToDate } from '../schema-version.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { PersonCache } from './person-cache.js';
import { importIntoSqlite } from './sqlite-import.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

/**
 * Page cache of the connection, in KiB: with the default 2 MiB, a lookup in a directory of some size
 * reads pages from the OS on every request. (No memory-mapped I/O: every page of the file read would
 * count in the server's resident memory.)
 */
const CACHE_KIB = 32 * 1024;
/** People kept parsed in memory (a few KB each with their formatted view). */
const PERSON_CACHE_ENTRIES = 10_000;
/** How soon a change by another process on the same file shows (see PersonCache). */
const FOREIGN_WRITES_VISIBLE_MS = 100;
/** How often the background checkpointer copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 1000;

export interface SqliteStoreOptions {
  /**
   * Checkpoint the WAL from a worker thread instead of in the commit that fills it (for a server: see
   * wal-checkpointer.ts). Short-lived commands leave it off: closing the database checkpoints anyway.
   */
  backgroundCheckpoints?: boolean;
}

/**
 * The embedded store. WAL lets readers run beside the writer; synchronous=FULL makes every
 * committed write durable before the client is answered (see docs/adr/0002-sqlite-durability.md).
 */
export function openSqliteStore(filename: string, options: SqliteStoreOptions = {}): PeopleStore {
  const db = new Database(filename);
  const journalMode = db.pragma('journal_mode = WAL', { simple: true });
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${CACHE_KIB}`);
  migrate(db);
  const checkpointer =
    options.backgroundCheckpoints && journalMode === 'wal'
      ? startWalCheckpointer(db, CHECKPOINT_INTERVAL_MS)
      : undefined;
  return new SqliteStore(db, checkpointer);
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    // Read inside the write transaction: a process that waited for another's migration sees its result.
    const current = db.pragma('user_version', { simple: true }) as number;
    SQLITE_MIGRATIONS.slice(current).forEach((sql, index) => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    });
  }).immediate();
}

const SQLITE_DIALECT: ListDialect = {
  param: () => '?',
  orgColumnForNameSearch: (orgCount) => (orgCount > 1 ? '+org_id' : 'org_id'),
  rolesAnyOf: (placeholders) =>
    `EXISTS (SELECT 1 FROM json_each(people.roles) WHERE value IN (${placeholders.join(', ')}))`,
};

const updatePersonSql = `UPDATE people SET ${UPDATABLE_PERSON_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;

const insertPersonSql = `INSERT INTO people (${PERSON_COLUMNS.join(', ')})
  VALUES (${PERSON_COLUMNS.map((c) => `@${c}`).join(', ')})`;

/** A primary key or unique index refused a row: the only place that knows SQLite's codes for it. */
function isUniqueViolation(error: unknown): error is Error {
  const code = (error as { code?: unknown }).code;
  return (
    error instanceof Error && (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}

/** Whether `store` is a SQLite store (not wrapped): the one that keeps people in memory. */
export function isSqliteStore(store: PeopleStore): boolean {
  return store instanceof SqliteStore;
}

class SqliteStore implements PeopleStore {
  private readonly statements;
  private readonly listStatements = new Map<string, Database.Statement<unknown[], string>>();
  private readonly cache: PersonCache;
  // Read transactions, made once: better-sqlite3 builds several wrappers for each transaction function.
  private readonly readPeople: (ids: readonly string[]) => PersonRecord[];
  private readonly readListed: (
    statement: Database.Statement<unknown[], string>,
    params: unknown[],
  ) => PersonRecord[];

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {
    this.readPeople = db.transaction((ids: readonly string[]) => this.peopleOf(ids));
    this.readListed = db.transaction((statement: Database.Statement<unknown[], string>, params: unknown[]) =>
      this.peopleOf(statement.all(...params)),
    );
    const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.cache = new PersonCache(
      () => dataVersion.get() as number,
      PERSON_CACHE_ENTRIES,
      FOREIGN_WRITES_VISIBLE_MS,
    );
    this.statements = {
      getPerson: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE id = ?'),
      personIdByEmail: db.prepare<[string], { person_id: string }>(
        'SELECT person_id FROM person_emails WHERE email_lower = ?',
      ),
      countPeople: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM people'),
      managedOrgIds: db.prepare<[string], { managed_id: string }>(
        'SELECT managed_id FROM org_manages WHERE manager_id = ? ORDER BY managed_id',
      ),
      findToken: db.prepare<[string], TokenRow>('SELECT person_id, expires_at FROM tokens WHERE hash = ?'),
      addToken: db.prepare(
        'INSERT INTO tokens (hash, person_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
      ),
      deleteExpiredTokens: db.prepare('DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= ?'),
      deleteToken: db.prepare<[string], { person_id: string }>(
        'DELETE FROM tokens WHERE hash = ? RETURNING person_id',
      ),
      allTokens: db.prepare<[], TokenRow & { hash: string }>(
        'SELECT hash, person_id, expires_at FROM tokens ORDER BY created_at, hash',
      ),
      setPresence: db.prepare(
        'UPDATE people SET presence_state = ?, last_activity = ?, status_sharing = ? WHERE id = ?',
      ),
      recordActivity: db.prepare(
        'UPDATE people SET last_activity = MAX(COALESCE(last_activity, 0), ?) WHERE id = ?',
      ),
      insertPerson: db.prepare(insertPersonSql),
      insertEmail: db.prepare('INSERT INTO person_emails (email_lower, person_id) VALUES (?, ?)'),
      updatePerson: db.prepare(updatePersonSql),
      deleteEmails: db.prepare('DELETE FROM person_emails WHERE person_id = ?'),
      deletePerson: db.prepare('DELETE FROM people WHERE id = ?'),
      allOrgs: db.prepare<[], OrgRow>('SELECT * FROM orgs ORDER BY rowid'),
      allManages: db.prepare<[], ManagesRow>('SELECT * FROM org_manages ORDER BY manager_id, managed_id'),
      allPeople: db.prepare<[], PersonRow>('SELECT * FROM people ORDER BY rowid'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  async getPerson(id: string): Promise<PersonRecord | undefined> {
    this.cache.revalidate();
    return this.cache.get(id, this.loadPerson);
  }

  private readonly loadPerson = (id: string): PersonRecord | undefined => {
    const row = this.statements.getPerson.get(id);
    return row && fromPersonRow(row);
  };

  // Lists find the IDs in the indexes and take the people already in the cache from it, the others from
  // their rows, in one read transaction. They do not fill the cache: a scan through a large directory
  // would push out the people read one by one, and every person it put in would become garbage of the
  // old generation, which the server's resident memory would keep.
  async getPeople(ids: readonly string[]): Promise<PersonRecord[]> {
    return this.readPeople(ids);
  }

  async listPeople(query: PeopleQuery): Promise<PersonRecord[]> {
    if (query.orgIds.length === 0) return [];
    const { sql, params } = buildListSql(query, SQLITE_DIALECT, 'people.id');
    return this.readListed(this.prepareCached(sql), params);
  }

  private peopleOf(ids: readonly string[]): PersonRecord[] {
    this.cache.revalidate();
    const people: PersonRecord[] = [];
    for (const id of ids) {
      const person = this.cache.peek(id) ?? this.loadPerson(id);
      if (person) people.push(person);
    }
    return people;
  }

  async createPerson(person: PersonRecord): Promise<void> {
    this.db
      .transaction(() => {
        this.statements.insertPerson.run(toPersonRow(person));
        this.insertEmails(person);
      })
      .immediate();
  }

  async updatePerson(person: PersonRecord): Promise<boolean> {
    this.cache.forget(person.id);
    return this.db
      .transaction(() => {
        if (this.statements.updatePerson.run(toPersonRow(person)).changes === 0) return false;
        this.statements.deleteEmails.run(person.id);
        this.insertEmails(person);
        return true;
      })
      .immediate();
  }

  async deletePerson(id: string): Promise<boolean> {
    this.cache.forget(id);
    return this.statements.deletePerson.run(id).changes > 0;
  }

  /** A taken email is a unique violation here, turned into the domain's conflict at this edge. */
  private insertEmails(person: PersonRecord): void {
    for (const email of person.emails) {
      try {
        this.statements.insertEmail.run(email.toLowerCase(), person.id);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(MESSAGES.emailTaken(email));
        throw error;
      }
    }
  }

  /** List queries differ in their filters: each shape is prepared once (up to 500 of them). */
  private prepareCached(sql: string): Database.Statement<unknown[], string> {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], string>(sql).pluck();
      if (this.listStatements.size < 500) this.listStatements.set(sql, statement);
    }
    return statement;
  }

  async findPersonIdByEmail(email: string): Promise<string | undefined> {
    return this.statements.personIdByEmail.get(email.toLowerCase())?.person_id;
  }

  async countPeople(): Promise<number> {
    return this.statements.countPeople.get()?.n ?? 0;
  }

  async getManagedOrgIds(orgId: string): Promise<string[]> {
    return this.statements.managedOrgIds.all(orgId).map((r) => r.managed_id);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const row = this.statements.findToken.get(hash);
    return row && fromTokenRow(hash, row);
  }

  async addToken(token: TokenRecord, createdAt: number): Promise<void> {
    this.statements.addToken.run(token.hash, token.personId, token.expiresAt ?? null, createdAt);
  }

  async deleteExpiredTokens(now: number): Promise<number> {
    return this.statements.deleteExpiredTokens.run(now).changes;
  }

  async deleteToken(hash: string): Promise<string | undefined> {
    return this.statements.deleteToken.get(hash)?.person_id;
  }

  async listTokens(): Promise<TokenRecord[]> {
    return this.statements.allTokens.all().map((row) => fromTokenRow(row.hash, row));
  }

  async setPresence(personId: string, presence: StoredPresence): Promise<boolean> {
    const { presenceState, lastActivity, statusSharing } = presence;
    this.cache.forget(personId);
    const result = this.statements.setPresence.run(
      presenceState ?? null,
      lastActivity ?? null,
      statusSharing ? 1 : 0,
      personId,
    );
    return result.changes > 0;
  }

  async recordActivity(lastActivityByPerson: ReadonlyMap<string, number>): Promise<void> {
    this.db.transaction(() => {
      for (const [personId, at] of lastActivityByPerson) {
        this.cache.forget(personId);
        this.statements.recordActivity.run(at, personId);
      }
    })();
  }

  /** An import of one batch: one code path writes a whole directory. */
  async replaceDirectory(directory: Directory, now: number): Promise<void> {
    await this.importDirectory(directory.orgs, [toDirectoryBatch(directory.people, directory.tokens)], now);
  }

  async readDirectory(): Promise<{ orgs: OrgRecord[]; people: PersonRecord[] }> {
    const orgs = fromOrgRows(this.statements.allOrgs.all(), this.statements.allManages.all());
    return { orgs, people: this.statements.allPeople.all().map(fromPersonRow) };
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.statements.getMeta.get(key)?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.statements.setMeta.run(key, value);
  }

  async ping(): Promise<void> {
    // Throws once the database is closed.
    assertSchemaUpToDate(
      this.db.pragma('user_version', { simple: true }) as number,
      SQLITE_MIGRATIONS.length,
    );
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.db.close();
  }

  // ---- Bulk import (`rollcall import`) ----
  async importDirectory(
    orgs: readonly OrgRecord[],
    batches: Iterable<DirectoryBatch>,
    now: number,
  ): Promise<ImportCounts> {
    this.cache.clear();
    try {
      return importIntoSqlite(this.db, orgs, batches, now);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEntryError(error);
      throw error;
    } finally {
      this.cache.clear();
    }
  }
}
