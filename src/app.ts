import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Config } from './config/config.js';
import { registerControlApi } from './control/control-api.js';
import type { ControlOptions } from './control/control-options.js';
import { ActivityTracker } from './domain/activity-tracker.js';
import { AuthService } from './domain/auth-service.js';
import { CacheInvalidation } from './domain/cache-invalidation.js';
import type { ControllableClock } from './domain/clock.js';
import { PeopleLister } from './domain/people-lister.js';
import { PeopleReader } from './domain/people-reader.js';
import { PeopleWriter } from './domain/people-writer.js';
import { PersonPresenter } from './domain/person-presenter.js';
import { requireBearerToken, shareTokenLookups } from './http/auth.js';
import { readBearerTokens } from './http/bearer-token.js';
import { acceptBooleansInAnyCase } from './http/boolean-query.js';
import { acceptJsonBodiesOnly } from './http/json-body.js';
import { validateBodiesStrictly } from './http/validation.js';
import { registerErrorHandling } from './http/error-handler.js';
import { closeConnectionsGracefully } from './http/graceful-close.js';
import { answerClientError, answerFrameworkError } from './http/client-errors.js';
import { requireValidHost } from './http/host-header.js';
import { requestTimeouts } from './http/server-timeouts.js';
import { AppMetrics } from './http/metrics.js';
import { rejectOtherMethods } from './http/method-not-allowed.js';
import { registerOperations } from './http/operations.js';
import { registerOverloadProtection } from './http/overload.js';
import { registerRateLimits } from './http/rate-limit.js';
import { watchRedis } from './http/redis-watch.js';
import { peopleRoutes } from './http/routes/people.js';
import { trackingIdOf } from './http/tracking-id.js';
import { ErrorBodySchema } from './schemas/error-body.js';
import { PersonSchema } from './schemas/person.js';
import type { PeopleStore } from './domain/people-store.js';
import { keepsPeople } from './store/open-store.js';
import { timedStore } from './store/timed-store.js';

export type AppSettings = Pick<
  Config,
  | 'flagsAsBooleans'
  | 'activityFlushMs'
  | 'tokenCacheTtlMs'
  | 'logLevel'
  | 'trustProxy'
  | 'rateLimit'
  | 'routeRateLimits'
  | 'maxEventLoopDelayMs'
  | 'maxDbWaiting'
  | 'requestTimeoutMs'
>;

export interface AppDeps {
  store: PeopleStore;
  /** The server's clock; the control API (when enabled) can freeze and move it. */
  clock: ControllableClock;
  settings: AppSettings;
  /** Shares rate-limit counters between instances; without it they are per process. */
  redis?: Redis;
  /** The control API under /rollcall/v1 (not part of Webex); off when absent. */
  control?: ControlOptions;
}

/** How long app.close() waits for clients before closing the connections that are left. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The only place a Fastify instance is made: `rollcall serve` and the tests both call it. */
export async function buildApp({
  store,
  clock,
  settings,
  redis,
  control,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // No logger at all when silent: pino's per-request child loggers cost even when they print nothing.
    logger: settings.logLevel === 'silent' ? false : { level: settings.logLevel, stream: process.stderr },
    genReqId: trackingIdOf,
    // Every log line of a request carries its tracking ID (the trackingid header) under this key.
    logController: new LogController({ requestIdLogLabel: 'trackingId' }),
    // Long IDs reach the routes (a malformed ID is a 404 there), never the router's own 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    // Slow clients get a 408; a missing Host is refused by requireValidHost with the Webex body.
    http: { ...requestTimeouts(settings.requestTimeoutMs), requireHostHeader: false },
    requestTimeout: settings.requestTimeoutMs,
    // Requests the router or Node's HTTP parser refuse are answered with the Webex error body too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    bodyLimit: 1024 * 1024,
    // Requests that arrive while closing are still answered (with Connection: close; see graceful-close.ts).
    return503OnClosing: false,
    // Behind a proxy, X-Forwarded-Proto/-Host decide the scheme and host of pagination links.
    trustProxy: settings.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();
  closeConnectionsGracefully(app, SHUTDOWN_GRACE_MS);
  const metrics = new AppMetrics();
  store.setLogger?.(app.log);
  if (redis) watchRedis(redis, app.log, metrics);
  const rememberFormatting = keepsPeople(store);
  store = timedStore(store, metrics.observeStoreQuery);

  const activity = new ActivityTracker(store, settings.activityFlushMs, (err) =>
    app.log.error({ err }, 'recording activity failed'),
  );
  const auth = new AuthService(store, clock, {
    cacheTtlMs: settings.tokenCacheTtlMs,
    cacheMaxEntries: 100_000,
  });
  const presenter = new PersonPresenter(activity, clock, { flagsAsBooleans: settings.flagsAsBooleans });
  const people = {
    reader: new PeopleReader(store, presenter, { rememberFormatting }),
    lister: new PeopleLister(store, presenter),
    writer: new PeopleWriter(store, presenter, auth, clock),
  };
  // Another instance on the same database changed a person or their tokens: forget them here too.
  const invalidation = new CacheInvalidation(store, auth);
  if (invalidation.hasFeed) metrics.trackChangeFeed(() => invalidation.connected);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('trackingid', request.id);
    done();
  });
  requireValidHost(app);
  readBearerTokens(app);
  shareTokenLookups(app);
  app.addHook('onReady', async () => {
    activity.start();
    await invalidation.start();
  });
  app.addHook('onClose', async () => {
    await invalidation.stop();
    await activity.stop();
  });
  app.addSchema(PersonSchema);
  app.addSchema(ErrorBodySchema);
  acceptJsonBodiesOnly(app);
  validateBodiesStrictly(app);
  acceptBooleansInAnyCase(app);
  registerErrorHandling(app);
  await registerOverloadProtection(app, {
    maxEventLoopDelayMs: settings.maxEventLoopDelayMs,
    maxDbWaiting: settings.maxDbWaiting,
    ...(store.waitingQueries && { dbWaiting: () => store.waitingQueries?.() ?? 0 }),
  });
  await registerRateLimits(app, {
    perMinute: settings.rateLimit,
    routeLimits: settings.routeRateLimits,
    ...(redis && { redis }),
    clock,
    auth,
  });
  // Operations (metrics, OpenAPI document) register here, before any route they must see.
  await registerOperations(app, {
    metrics,
    ready: async () => {
      // Not ready while this instance may miss other instances' changes (its token cache is off then).
      if (!invalidation.connected) throw new Error('the PostgreSQL change feed (LISTEN) is down');
      await store.ping();
    },
  });

  await app.register(
    async (webex) => {
      requireBearerToken(webex, { auth, activity, clock });
      await webex.register(peopleRoutes(people));
    },
    { prefix: '/v1' },
  );
  rejectOtherMethods(app, '/v1/people', ['GET', 'POST']);
  rejectOtherMethods(app, '/v1/people/me', ['GET']);
  rejectOtherMethods(app, '/v1/people/:personId', ['GET', 'PUT', 'DELETE']);
  // The control API (not part of Webex) registers here, under /rollcall/v1.
  await registerControlApi(app, { options: control, store, clock, auth, activity });
  return app;
}
