import type { FastifyInstance } from 'fastify';
import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import type { ControllableClock } from '../domain/clock.js';
import type { PeopleStore } from '../domain/people-store.js';
import { clockRoutes } from './clock-routes.js';
import { requireControlToken } from './control-auth.js';
import type { ControlOptions } from './control-options.js';
import { DirectoryControl } from './directory-control.js';
import { directoryRoutes } from './directory-routes.js';
import { faultRoutes } from './fault-routes.js';
import { FaultInjector } from './faults.js';
import { PresenceControl } from './presence-control.js';
import { presenceRoutes } from './presence-routes.js';
import { RequestLog } from './request-log.js';
import { requestRoutes } from './request-routes.js';
import { TokenControl } from './token-control.js';
import { tokenRoutes } from './token-routes.js';
import { watchWebexTraffic } from './webex-traffic.js';

export interface ControlApiDeps {
  /** Absent or not enabled: nothing is registered, and /rollcall/v1/… answers 404 like any unknown path. */
  options: ControlOptions | undefined;
  store: PeopleStore;
  clock: ControllableClock;
  auth: AuthService;
  activity: ActivityTracker;
}

export const CONTROL_PREFIX = '/rollcall/v1';

/**
 * The control API: clock, presence, directory, tokens, faults and the request log, under
 * /rollcall/v1. Not part of Webex; a test drives a Webex client against Rollcall with it.
 */
export async function registerControlApi(app: FastifyInstance, deps: ControlApiDeps): Promise<void> {
  const { options, store, clock, auth, activity } = deps;
  if (!options?.enabled) return;
  const faults = new FaultInjector(options.random);
  const log = new RequestLog(options.requestLogSize);
  const directory = new DirectoryControl(store, clock, activity, auth);

  watchWebexTraffic(app, {
    faults,
    log,
    clock,
    ...(options.token !== undefined && { controlToken: options.token }),
  });
  app.addHook('onReady', async () => {
    await directory.captureInitial();
  });

  await app.register(
    async (control) => {
      requireControlToken(control, options.token);
      await control.register(clockRoutes(clock));
      await control.register(presenceRoutes(new PresenceControl(store, clock, activity, auth)));
      await control.register(directoryRoutes(directory));
      await control.register(tokenRoutes(new TokenControl(store, clock, auth)));
      await control.register(faultRoutes(faults));
      await control.register(requestRoutes(log));
    },
    { prefix: CONTROL_PREFIX },
  );
}
