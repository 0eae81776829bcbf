import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { UnauthorizedError } from '../domain/errors.js';
import { bearerTokenOf } from '../http/bearer-token.js';
import { isSecret } from './control-auth.js';
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
 * request knows its person; and before the body is read or validated. They run on every request, so
 * they take callbacks (no promise unless a fault delays) and log raw values (formatted when read).
 */
export function watchWebexTraffic(app: FastifyInstance, deps: WebexTrafficDeps): void {
  const isControlToken = deps.controlToken === undefined ? undefined : isSecret(deps.controlToken);

  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (!isWebexPath(request.url)) {
      done(null, payload);
      return;
    }
    const sent = bearerTokenOf(request);
    if (sent !== undefined && isControlToken?.(sent)) {
      done(new UnauthorizedError());
      return;
    }
    if (!deps.faults.active()) {
      done(null, payload);
      return;
    }
    deps.faults.apply(request.method, pathOf(request.url)).then(
      () => done(null, payload),
      (error: unknown) => done(error as Error),
    );
  });

  app.addHook('onResponse', (request, reply, done) => {
    if (isWebexPath(request.url)) {
      deps.log.record({
        at: deps.clock.now(),
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        trackingId: request.id,
        personId: request.caller?.person.id,
        durationMs: reply.elapsedTime,
      });
    }
    done();
  });
}

function isWebexPath(url: string): boolean {
  return url.startsWith('/v1') && (url.length === 3 || url[3] === '/' || url[3] === '?');
}

function pathOf(url: string): string {
  const mark = url.indexOf('?');
  return mark < 0 ? url : url.slice(0, mark);
}
