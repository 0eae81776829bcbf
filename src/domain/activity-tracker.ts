import type { PeopleStore } from '../store/people-store.js';

/**
 * Records that a person used their token, in memory, and writes the latest time per person to the
 * store in one batch every `flushIntervalMs` (and on stop): no database write per request.
 */
export class ActivityTracker {
  private pending = new Map<string, number>();
  private writing = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PeopleStore,
    private readonly flushIntervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  touch(personId: string, at: number): void {
    const known = this.pending.get(personId);
    if (known === undefined || at > known) this.pending.set(personId, at);
  }

  /** Activity recorded here but not yet (or not yet surely) in the store. */
  pendingFor(personId: string): number | undefined {
    const pending = this.pending.get(personId);
    const writing = this.writing.get(personId);
    return writing === undefined || (pending !== undefined && pending > writing) ? pending : writing;
  }

  /** Writes what is pending; a failed batch is kept for the next flush and reported to onError. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      // The batch stays visible to pendingFor() until the store has committed it: a read in between
      // must not see the older stored value.
      const batch = this.pending;
      this.writing = batch;
      this.pending = new Map();
      try {
        await this.store.recordActivity(batch);
      } catch (error) {
        for (const [personId, at] of batch) this.touch(personId, at);
        this.onError(error);
      } finally {
        this.writing = new Map();
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
