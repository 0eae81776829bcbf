import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../domain/clock.js';

interface Window {
  count: number;
  startedAt: number;
}

/**
 * @fastify/rate-limit's in-process store (a fixed window per key, opened by the key's first request),
 * but on the server's clock instead of Date.now(): when the control API moves time, windows move too.
 * Like the built-in store it keeps the `maxKeys` most recently used keys.
 */
export function clockedRateLimitStore(clock: Clock, maxKeys = 5000): FastifyRateLimitStoreCtor {
  class ClockedRateLimitStore implements FastifyRateLimitStore {
    private readonly windows = new LRUCache<string, Window>({ max: maxKeys });

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = clock.now();
      let window = this.windows.get(key);
      // A window that is over, or that the clock was set back before, starts afresh.
      if (!window || now >= window.startedAt + timeWindow || now < window.startedAt) {
        window = { count: 0, startedAt: now };
        this.windows.set(key, window);
      }
      window.count += 1;
      callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
    }

    /** Routes with their own budget count in a store of their own, as with the built-in store. */
    child(): FastifyRateLimitStore {
      return new ClockedRateLimitStore();
    }
  }
  return ClockedRateLimitStore;
}
