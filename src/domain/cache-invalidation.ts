import type { PeopleStore } from './people-store.js';
import type { AuthService } from './auth-service.js';

/**
 * Keeps the token cache in step with what other instances write, as the store's change feed reports it
 * (PostgreSQL). While the feed is down a change can go unreported, so the cache is not trusted then.
 */
export class CacheInvalidation {
  private feedUp = true;
  private stopFeed: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: PeopleStore,
    private readonly auth: AuthService,
  ) {}

  /** False where there is no feed (one process on SQLite: there is nothing to be told). */
  get hasFeed(): boolean {
    return this.store.subscribeToChanges !== undefined;
  }

  /** Whether changes are being reported now (always true without a feed). */
  get connected(): boolean {
    return this.feedUp;
  }

  async start(): Promise<void> {
    this.stopFeed = await this.store.subscribeToChanges?.({
      changed: (personId) => (personId === '*' ? this.auth.forgetAll() : this.auth.forgetPerson(personId)),
      down: () => {
        this.feedUp = false;
        this.auth.distrustCache();
      },
      up: () => {
        this.feedUp = true;
        this.auth.trustCache();
      },
    });
  }

  async stop(): Promise<void> {
    await this.stopFeed?.();
  }
}
