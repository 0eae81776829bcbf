import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { AuthService } from '../domain/auth-service.js';
import type { Clock } from '../domain/clock.js';
import { MESSAGES, RetryLaterError, UnauthorizedError } from '../domain/errors.js';
import { callerOfToken } from './auth.js';
import { bearerTokenOf } from './bearer-token.js';
import { clockedRateLimitStore } from './clocked-rate-limit-store.js';
import { FailedAuthentications } from './failed-authentications.js';

export interface RateLimitSettings {
  /** Requests per minute per token. */
  perMinute: number;
  /** Lower budgets for some routes: "METHOD /url=N" entries, comma-separated. */
  routeLimits: string;
  /** Shared counters for every instance; per process without it. */
  redis?: Redis;
  /** Windows of the per-process counters follow this clock (Redis counts in its own real time). */
  clock: Clock;
  /** Tells real tokens from made-up ones: only a real token has a budget of its own. */
  auth: AuthService;
}

const WINDOW_MS = 60_000;

/**
 * Webex-style rate limits: per token, 429 with Retry-After. Requests without a valid token (none,
 * unknown, expired) count against the client's address, so made-up tokens neither escape the limit nor
 * push real tokens' counters out of memory; once an address's failed lookups reach the budget, its
 * unknown tokens get 429 without a store lookup until the window ends.
 */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const routeLimits = parseRouteLimits(settings.routeLimits);
  const failures = new FailedAuthentications(settings.clock, settings.perMinute, WINDOW_MS);
  const rateLimitKey = async (request: FastifyRequest): Promise<string> => {
    const bearer = bearerTokenOf(request);
    if (bearer === undefined) return addressKey(request);
    try {
      const blockedMs = failures.blockedFor(request.ip);
      if (blockedMs !== undefined && !settings.auth.cachedCaller(bearer.hash)) {
        const seconds = Math.max(1, Math.ceil(blockedMs / 1000));
        throw new RetryLaterError(429, MESSAGES.rateLimited, seconds, {
          'x-ratelimit-limit': String(settings.perMinute),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(seconds),
        });
      }
      await callerOfToken(request, bearer, settings.auth);
      return `token:${bearer.hash}`;
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      failures.record(request.ip);
      return addressKey(request);
    }
  };
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

function addressKey(request: FastifyRequest): string {
  return `ip:${request.ip}`;
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
