import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { toIso } from '../domain/clock.js';
import { UnauthorizedError } from '../domain/errors.js';
import { encodeHydraId } from '../domain/ids.js';
import { bearerTokenOf, sameSecret } from './control-auth.js';
import type { FaultInjector } from './faults.js';
import type { RequestLog } from './request-log.js';

export interface WebexTrafficDeps {
  faults: FaultInjector;
  log: RequestLog;
  clock: Clock;
  controlToken?: string;
}

/**
 * Hooks on every Webex request (any path under /v1, routed or not): the control token is refused
 * there, fault rules apply, and the answer goes into the request log. Added on the root instance after
 * the /v1 scope, they run after that scope's own hooks of the same stage: faults come after the rate
 * limit (onRequest) and authentication (preParsing), so a bad token is still a 401 and a faulted
 * request knows its person; and before the body is read or validated.
 */
export function watchWebexTraffic(app: FastifyInstance, deps: WebexTrafficDeps): void {
  app.addHook('preParsing', async (request) => {
    const { path } = splitUrl(request.url);
    if (!isWebexPath(path)) return;
    const sent = bearerTokenOf(request);
    if (deps.controlToken !== undefined && sent !== undefined && sameSecret(sent, deps.controlToken)) {
      throw new UnauthorizedError();
    }
    await deps.faults.apply(request.method, path);
  });

  app.addHook('onResponse', async (request, reply) => {
    const { path, query } = splitUrl(request.url);
    if (!isWebexPath(path)) return;
    deps.log.record({
      time: toIso(deps.clock.now()),
      method: request.method,
      path,
      query,
      status: reply.statusCode,
      trackingId: request.id,
      personId: request.caller ? encodeHydraId('PEOPLE', request.caller.person.id) : null,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    });
  });
}

function isWebexPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/');
}

function splitUrl(url: string): { path: string; query: string } {
  const mark = url.indexOf('?');
  return mark < 0 ? { path: url, query: '' } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}
