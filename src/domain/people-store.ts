import type { Directory, OrgRecord, PersonRecord, TokenRecord } from './model.js';

/**
 * Everything Rollcall keeps, behind one interface with one implementation per backend (src/store).
 * The domain owns the interface; the stores implement it and raise the domain's errors.
 * "Not found" is `undefined`, never an exception: the service decides what it means.
 */
/** Lists are ordered by (lowercased displayName, id); a cursor is the last item's pair. */
export interface ListCursor {
  name: string;
  id: string;
}

export interface PeopleQuery {
  orgIds: readonly string[];
  email?: string;
  /** Case-insensitive prefix of displayName. */
  displayNamePrefix?: string;
  /** People holding any of these roles. */
  roles?: readonly string[];
  locationId?: string;
  after?: ListCursor;
  limit: number;
}

export function cursorOf(person: PersonRecord): ListCursor {
  return { name: person.displayName.toLowerCase(), id: person.id };
}

export interface PeopleStore {
  getPerson(id: string): Promise<PersonRecord | undefined>;
  /** The people of `ids` that exist, in the order of `ids`. */
  getPeople(ids: readonly string[]): Promise<PersonRecord[]>;
  listPeople(query: PeopleQuery): Promise<PersonRecord[]>;
  /** Throws ConflictError when one of the emails belongs to someone already. */
  createPerson(person: PersonRecord): Promise<void>;
  /** Rewrites everything but presence; throws ConflictError on a taken email; false if no such person. */
  updatePerson(person: PersonRecord): Promise<boolean>;
  /** Removes the person, their emails and their tokens; false if no such person. */
  deletePerson(id: string): Promise<boolean>;
  findPersonIdByEmail(email: string): Promise<string | undefined>;
  countPeople(): Promise<number>;
  /** IDs of the orgs that `orgId` manages. */
  getManagedOrgIds(orgId: string): Promise<string[]>;

  findToken(hash: string): Promise<TokenRecord | undefined>;
  addToken(token: TokenRecord, createdAt: number): Promise<void>;
  deleteExpiredTokens(now: number): Promise<number>;
  /** Revokes one token; resolves to its person's id, or undefined when there was no such token. */
  deleteToken(hash: string): Promise<string | undefined>;
  /**
   * Every token record, expired or not, ordered by creation time and then hash (the control API keeps
   * them to restore on reset).
   */
  listTokens(): Promise<TokenRecord[]>;

  /**
   * Sets a person's presence fields exactly as given (an absent field is cleared; last activity may
   * move backward, unlike recordActivity); false if no such person. lastModified is left alone.
   */
  setPresence(personId: string, presence: StoredPresence): Promise<boolean>;

  /** Moves each person's last activity forward to the given time (never backward). */
  recordActivity(lastActivityByPerson: ReadonlyMap<string, number>): Promise<void>;

  /**
   * Replaces the whole directory in one transaction: all of it or nothing. Stores implement it as an
   * importDirectory of one batch, so that one code path writes a whole directory.
   */
  replaceDirectory(directory: Directory, now: number): Promise<void>;
  readDirectory(): Promise<{ orgs: OrgRecord[]; people: PersonRecord[] }>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /**
   * Resolves when the store answers and its schema is up to date (migrations done); rejects otherwise.
   * Cheap: readiness probes call it often.
   */
  ping(): Promise<void>;

  close(): Promise<void>;

  /** Queries waiting for a database connection (a pool's queue); absent where nothing queues. */
  waitingQueries?(): number;

  /**
   * Tells `listener` the id of every person whose record or tokens another process changed (`*`:
   * everything), so that caches can forget them; absent where no other process can write. A lost
   * connection is re-established until the returned function stops listening; meanwhile changes go
   * unreported, so `down` and `up` bracket the gap. Rejects when the first connection fails.
   */
  subscribeToChanges?(listener: ChangeListener): Promise<() => Promise<void>>;

  /** Where the store logs what no caller sees (a pooled connection lost while idle, the change feed). */
  setLogger?(logger: StoreLogger): void;

  // ---- Bulk import (`rollcall import`) ----
  /**
   * Replaces the whole directory in one transaction like replaceDirectory, from batches that are read
   * while it runs, so that a million people are never in memory at once. `batches` is iterated
   * synchronously inside the transaction: when it throws, nothing has changed. A person ID, email or
   * token that repeats is a DuplicateEntryError.
   */
  importDirectory(
    orgs: readonly OrgRecord[],
    batches: Iterable<DirectoryBatch>,
    now: number,
  ): Promise<ImportCounts>;
}

export interface ChangeListener {
  changed(personId: string): void;
  /** Changes are not being reported from now on, until `up`. */
  down(): void;
  /** Reported again; changes made since `down` were missed. */
  up(): void;
}

/** The part of a pino logger a store uses (app.log fits). */
export interface StoreLogger {
  warn(details: object, message: string): void;
}

/** The presence fields of a person as stored (the control API sets them). */
export type StoredPresence = Pick<PersonRecord, 'presenceState' | 'lastActivity' | 'statusSharing'>;

export interface ImportCounts {
  orgs: number;
  people: number;
  tokens: number;
}

/** One person as a row of the people table: the values of the store's columns, in its column order. */
export type PersonValues = (string | number | null)[];

/**
 * A slice of a directory being imported, already in the form the tables take. `rollcall import` builds
 * it in the thread that reads the file (store/directory-batch.ts), so the thread that writes the
 * database only inserts; flat arrays of strings and numbers are also quicker to pass between threads
 * than nested records.
 */
export interface DirectoryBatch {
  people: PersonValues[];
  /** Every email of those people, lowercased, with the person's ID. */
  emails: [emailLower: string, personId: string][];
  tokens: TokenRecord[];
}
