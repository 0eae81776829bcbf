import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Caller } from '../domain/caller.js';
import type { Clock } from '../domain/clock.js';
import { UnauthorizedError } from '../domain/errors.js';
import { bearerTokenOf } from './bearer-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/**
 * Every route registered in `scope` needs `Authorization: Bearer <token>`. A request that passes
 * authentication and validation counts as activity of the token's person; a rejected one changes nothing.
 * The hooks take callbacks, not promises: a token in the cache costs no trip through the microtask queue.
 */
export function requireBearerToken(
  scope: FastifyInstance,
  deps: { auth: AuthService; activity: ActivityTracker; clock: Clock },
): void {
  scope.decorateRequest('caller', undefined);
  // preParsing, not onRequest: route-level onRequest hooks (the rate limiter) run first, so requests
  // with missing or unknown tokens are counted too; the body is still not read before authentication.
  scope.addHook('preParsing', (request, _reply, payload, done) => {
    const bearer = bearerTokenOf(request);
    if (!bearer) {
      done(new UnauthorizedError());
      return;
    }
    let cached: Caller | undefined;
    try {
      cached = deps.auth.cachedCaller(bearer.hash);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (cached) {
      request.caller = cached;
      done(null, payload);
      return;
    }
    deps.auth.authenticate(bearer.hash).then(
      (caller) => {
        request.caller = caller;
        done(null, payload);
      },
      (error: unknown) => done(error as Error),
    );
  });
  // After validation: a malformed request records nothing; a valid one counts from its own answer on.
  scope.addHook('preHandler', (request, _reply, done) => {
    if (request.caller) deps.activity.touch(request.caller.person.id, deps.clock.now());
    done();
  });
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new UnauthorizedError();
  return request.caller;
}
