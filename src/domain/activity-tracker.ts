import type { PeopleStore } from './people-store.js';

/**
 * Records that a person used their token, in memory, and writes the latest time per person to the
 * store in one batch every `flushIntervalMs` (and on stop): no database write per request.
 */
export class ActivityTracker {
  private pending = new Map<string, number>();
  /** The last batch handed to the store, kept until the next flush (see flush()). */
  private recent = new Map<string, number>();
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

  /** Drops what is remembered of a person, whose presence was just set in the store directly. */
  forget(personId: string): void {
    this.pending.delete(personId);
    this.recent.delete(personId);
  }

  /** Activity recorded here that a read of the store may not show yet. */
  pendingFor(personId: string): number | undefined {
    const pending = this.pending.get(personId);
    const recent = this.recent.get(personId);
    return recent === undefined || (pending !== undefined && pending > recent) ? pending : recent;
  }

  /** Writes what is pending; a failed batch is kept for the next flush and reported to onError. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      // The batch stays visible to pendingFor() while it is written and for one interval after: a
      // read whose query started before the commit must not show the older stored value.
      const batch = this.pending;
      this.recent = batch;
      this.pending = new Map();
      try {
        await this.store.recordActivity(batch);
      } catch (error) {
        for (const [personId, at] of batch) this.touch(personId, at);
        this.onError(error);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
