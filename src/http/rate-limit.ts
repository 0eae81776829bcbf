import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Clock } from '../domain/clock.js';
import { MESSAGES, RetryLaterError } from '../domain/errors.js';
import { bearerTokenOf } from './bearer-token.js';
import { clockedRateLimitStore } from './clocked-rate-limit-store.js';

export interface RateLimitSettings {
  /** Requests per minute per token. */
  perMinute: number;
  /** Lower budgets for some routes: "METHOD /url=N" entries, comma-separated. */
  routeLimits: string;
  /** Shared counters for every instance; per process without it. */
  redis?: Redis;
  /** Windows of the per-process counters follow this clock (Redis counts in its own real time). */
  clock: Clock;
}

const WINDOW_MS = 60_000;

/** Webex-style rate limits: per token (per address without one), 429 with Retry-After. */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const routeLimits = parseRouteLimits(settings.routeLimits);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const max = routeLimits.get(`${method} ${route.url}`);
      if (max !== undefined) route.config = { ...route.config, rateLimit: { max, timeWindow: WINDOW_MS } };
    }
  });
  await app.register(rateLimit, {
    global: true,
    max: settings.perMinute,
    timeWindow: WINDOW_MS,
    keyGenerator: rateLimitKey,
    nameSpace: 'rollcall-rate-limit:',
    ...(settings.redis ? { redis: settings.redis } : { store: clockedRateLimitStore(settings.clock) }),
    // Webex answers from its own limiter; a Redis outage should not take the API down with it.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new RetryLaterError(429, MESSAGES.rateLimited, context.ttl / 1000),
  });
}

function rateLimitKey(request: FastifyRequest): string {
  const bearer = bearerTokenOf(request);
  return bearer === undefined ? `ip:${request.ip}` : `token:${bearer.hash}`;
}

export class RouteLimitError extends Error {
  override name = 'RouteLimitError';
}

export function parseRouteLimits(text: string): Map<string, number> {
  const limits = new Map<string, number>();
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Z]+)\s+(\/\S*)=(\d+)$/.exec(entry);
    if (!match) throw new RouteLimitError(`Invalid route rate limit "${entry}": expected "METHOD /path=N".`);
    limits.set(`${match[1]} ${match[2]}`, Number(match[3]));
  }
  return limits;
}
