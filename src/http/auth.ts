import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Caller } from '../domain/caller.js';
import type { Clock } from '../domain/clock.js';
import { UnauthorizedError } from '../domain/errors.js';
import { bearerTokenOf, type BearerToken } from './bearer-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    /** The store lookup of the request's token, once per request: see callerOfToken(). */
    tokenLookup?: Promise<Caller>;
  }
}

/** Lets the rate limiter and authentication share what they learn of a request's token. */
export function shareTokenLookups(app: FastifyInstance): void {
  app.decorateRequest('caller', undefined);
  app.decorateRequest('tokenLookup', undefined);
}

/**
 * The caller a request's bearer token belongs to, and the request's caller from then on: from the cache
 * at once, else from one store lookup per request, whoever asks first (the rate limiter, which counts
 * a request against its token only when the token is real, or authentication). Throws, or rejects
 * with, a 401 for an unknown or expired token.
 */
export function callerOfToken(
  request: FastifyRequest,
  bearer: BearerToken,
  auth: AuthService,
): Caller | Promise<Caller> {
  if (request.caller) return request.caller;
  const cached = auth.cachedCaller(bearer.hash);
  if (cached) return (request.caller = cached);
  request.tokenLookup ??= auth.authenticate(bearer.hash).then((caller) => (request.caller = caller));
  return request.tokenLookup;
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
  // preParsing, not onRequest: route-level onRequest hooks (the rate limiter) run first, so requests
  // with missing or unknown tokens are counted too; the body is still not read before authentication.
  scope.addHook('preParsing', (request, _reply, payload, done) => {
    const bearer = bearerTokenOf(request);
    if (!bearer) {
      done(new UnauthorizedError());
      return;
    }
    let caller: Caller | Promise<Caller>;
    try {
      caller = callerOfToken(request, bearer, deps.auth);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (!(caller instanceof Promise)) {
      done(null, payload);
      return;
    }
    caller.then(
      () => done(null, payload),
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
