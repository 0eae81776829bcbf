import type { Directory, OrgRecord, PersonRecord, TokenRecord } from '../domain/model.js';

/**
 * Everything Rollcall keeps, behind one interface with one implementation per backend.
 * "Not found" is `undefined`, never an exception: the service decides what it means.
 */
export interface PeopleStore {
  getPerson(id: string): Promise<PersonRecord | undefined>;
  findPersonIdByEmail(email: string): Promise<string | undefined>;
  countPeople(): Promise<number>;
  /** IDs of the orgs that `orgId` manages. */
  getManagedOrgIds(orgId: string): Promise<string[]>;

  findToken(hash: string): Promise<TokenRecord | undefined>;
  addToken(token: TokenRecord, createdAt: number): Promise<void>;
  deleteExpiredTokens(now: number): Promise<number>;

  /** Moves each person's last activity forward to the given time (never backward). */
  recordActivity(lastActivityByPerson: ReadonlyMap<string, number>): Promise<void>;

  /** Replaces the whole directory in one transaction: all of it or nothing. */
  replaceDirectory(directory: Directory, now: number): Promise<void>;
  readDirectory(): Promise<{ orgs: OrgRecord[]; people: PersonRecord[] }>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}
