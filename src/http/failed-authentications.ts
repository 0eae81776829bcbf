import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.js';

interface Window {
  count: number;
  startedAt: number;
}

/**
 * Failed authentications per client address, in fixed windows on the given clock. Once an address has
 * spent its budget, it is refused until the window ends: the rate limiter refuses its unknown person
 * tokens without a store lookup, the control API every control call.
 */
export class FailedAuthentications {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly clock: Clock,
    private readonly budget: number,
    private readonly windowMs: number,
    maxAddresses = 10_000,
  ) {
    this.windows = new LRUCache({ max: maxAddresses });
  }

  record(address: string): void {
    const window = this.current(address) ?? { count: 0, startedAt: this.clock.now() };
    window.count += 1;
    this.windows.set(address, window);
  }

  /** Milliseconds until the address may try unknown tokens again; undefined while it has budget left. */
  blockedFor(address: string): number | undefined {
    const window = this.current(address);
    if (!window || window.count < this.budget) return undefined;
    return window.startedAt + this.windowMs - this.clock.now();
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    const now = this.clock.now();
    // A window that is over, or that the clock was set back before, is forgotten.
    if (window && (now >= window.startedAt + this.windowMs || now < window.startedAt)) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }
}
