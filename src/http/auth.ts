import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Caller } from '../domain/caller.js';
import type { Clock } from '../domain/clock.js';
import { UnauthorizedError } from '../domain/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every route registered in `scope` needs `Authorization: Bearer <token>`. A request that passes
 * authentication and validation counts as activity of the token's person; a rejected one changes nothing.
 */
export function requireBearerToken(
  scope: FastifyInstance,
  deps: { auth: AuthService; activity: ActivityTracker; clock: Clock },
): void {
  scope.decorateRequest('caller', undefined);
  // preParsing, not onRequest: route-level onRequest hooks (the rate limiter) run first, so requests
  // with missing or unknown tokens are counted too; the body is still not read before authentication.
  scope.addHook('preParsing', async (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedError();
    request.caller = await deps.auth.authenticate(match[1] as string);
  });
  // After validation: a malformed request records nothing; a valid one counts from its own answer on.
  scope.addHook('preHandler', async (request) => {
    if (request.caller) deps.activity.touch(request.caller.person.id, deps.clock.now());
  });
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new UnauthorizedError();
  return request.caller;
}
