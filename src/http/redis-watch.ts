import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { AppMetrics } from './metrics.js';

/**
 * Makes a Redis outage visible. Rate limits fail open while Redis is away (see rate-limit.ts), and
 * ioredis retries by itself; without an `error` listener it would print a stack trace per attempt.
 * Logged once when it is lost and once when it is back, counted on every error.
 */
export function watchRedis(redis: Redis, log: FastifyBaseLogger, metrics: AppMetrics): void {
  const countError = metrics.trackRedis(() => redis.status === 'ready');
  let downSince: number | undefined;
  let errors = 0;
  redis.on('error', (err: Error) => {
    countError();
    errors += 1;
    if (downSince !== undefined) return;
    downSince = Date.now();
    errors = 1;
    log.warn({ err }, 'Redis cannot be reached: rate limits are not enforced until it is back');
  });
  redis.on('ready', () => {
    if (downSince === undefined) return;
    // At warn like the loss, so that the default log level shows both ends of the outage.
    log.warn({ downMs: Date.now() - downSince, errors }, 'Redis is back: rate limits are enforced again');
    downSince = undefined;
  });
}
