import { LRUCache } from 'lru-cache';
import type { PersonRecord } from '../../domain/model.js';

/**
 * The most recently read people of a SQLite database, so that reading a person again costs no query.
 * The store forgets an entry whenever it writes that person: its own writes show at once. Writes by
 * another connection (another process on the same file: `rollcall import` into a running server's
 * database) show in SQLite's `data_version`, which the store checks at the start of a read at most
 * every `revalidateMs` (asking costs a read transaction, as much as the lookup it would save), and
 * which empties the cache when it moved. Entries are shared: callers must not change them.
 */
export class PersonCache {
  private readonly people: LRUCache<string, PersonRecord>;
  private version: number;
  private checkedAt = performance.now();

  constructor(
    /** `PRAGMA data_version`: changes when another connection commits. */
    private readonly dataVersion: () => number,
    maxEntries: number,
    private readonly revalidateMs: number,
  ) {
    this.people = new LRUCache({ max: maxEntries });
    this.version = dataVersion();
  }

  /** Empties the cache if another connection committed since the last check. */
  revalidate(): void {
    const now = performance.now();
    if (now - this.checkedAt < this.revalidateMs) return;
    this.checkedAt = now;
    const version = this.dataVersion();
    if (version !== this.version) {
      this.version = version;
      this.people.clear();
    }
  }

  get(id: string, load: (id: string) => PersonRecord | undefined): PersonRecord | undefined {
    let person = this.people.get(id);
    if (person === undefined) {
      person = load(id);
      if (person !== undefined) this.people.set(id, person);
    }
    return person;
  }

  /** A person already in the cache, without making them recent: lists read through but do not fill it. */
  peek(id: string): PersonRecord | undefined {
    return this.people.peek(id);
  }

  forget(id: string): void {
    this.people.delete(id);
  }

  clear(): void {
    this.people.clear();
  }
}
