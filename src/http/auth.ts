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

/** Every route registered in `scope` needs `Authorization: Bearer <token>`; the request counts as activity. */
export function requireBearerToken(
  scope: FastifyInstance,
  deps: { auth: AuthService; activity: ActivityTracker; clock: Clock },
): void {
  scope.decorateRequest('caller', undefined);
  scope.addHook('onRequest', async (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedError();
    const caller = await deps.auth.authenticate(match[1] as string);
    deps.activity.touch(caller.person.id, deps.clock.now());
    request.caller = caller;
  });
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new UnauthorizedError();
  return request.caller;
}
