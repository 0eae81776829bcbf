import { LRUCache } from 'lru-cache';
import type { PeopleStore } from './people-store.js';
import { makeCaller, type Caller } from './caller.js';
import type { Clock } from './clock.js';
import { UnauthorizedError } from './errors.js';

interface CachedCaller {
  caller: Caller;
  expiresAt: number | undefined;
}

export interface AuthSettings {
  /** How long a resolved token is trusted before the store is asked again. */
  cacheTtlMs: number;
  cacheMaxEntries: number;
}

/** Resolves bearer tokens to callers, with a short-lived cache so a request costs no token lookup. */
export class AuthService {
  private readonly cache: LRUCache<string, CachedCaller>;
  /** Off while changes made elsewhere may go unreported (see distrustCache): every token is looked up. */
  private caching = true;
  /** Moves on each forgetAll: a lookup that started before one must not refill the cache after it. */
  private generation = 0;

  constructor(
    private readonly store: PeopleStore,
    private readonly clock: Clock,
    settings: AuthSettings,
  ) {
    this.cache = new LRUCache({
      max: settings.cacheMaxEntries,
      ttl: settings.cacheTtlMs,
      // The cache's own TTL runs on the real clock; token expiry below runs on the injected one.
      ttlAutopurge: false,
    });
  }

  /** The caller a token hash (see tokens.ts) belongs to; 401 for an unknown or expired token. */
  async authenticate(hash: string): Promise<Caller> {
    return this.cachedCaller(hash) ?? this.checkExpiry(hash, await this.load(hash));
  }

  /** The same without a store query: undefined when the token is not in the cache. */
  cachedCaller(hash: string): Caller | undefined {
    const entry = this.cache.get(hash);
    return entry && this.checkExpiry(hash, entry);
  }

  private checkExpiry(hash: string, entry: CachedCaller): Caller {
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.cache.delete(hash);
      throw new UnauthorizedError();
    }
    return entry.caller;
  }

  /** Forget every cached token of a person whose record or tokens changed. */
  forgetPerson(personId: string): void {
    for (const [hash, entry] of this.cache.entries()) {
      if (entry.caller.person.id === personId) this.cache.delete(hash);
    }
  }

  forgetAll(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Changes made by other instances may go unreported from now on: forget, and cache nothing. */
  distrustCache(): void {
    this.caching = false;
    this.forgetAll();
  }

  /** Reported again, but what changed meanwhile is unknown: forget everything once, then cache again. */
  trustCache(): void {
    this.forgetAll();
    this.caching = true;
  }

  private async load(hash: string): Promise<CachedCaller> {
    const generation = this.generation;
    const token = await this.store.findToken(hash);
    const person = token && (await this.store.getPerson(token.personId));
    if (!token || !person) throw new UnauthorizedError();
    const entry = {
      caller: makeCaller(person, await this.store.getManagedOrgIds(person.orgId)),
      expiresAt: token.expiresAt,
    };
    if (this.caching && generation === this.generation) this.cache.set(hash, entry);
    return entry;
  }
}
