import type { FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { MESSAGES, RetryLaterError } from '../domain/errors.js';

export interface OverloadSettings {
  /** 503 while the event loop lags more than this many ms (0: never). */
  maxEventLoopDelayMs: number;
  /** 503 while more queries than this wait for a database connection (0: never). */
  maxDbWaiting: number;
  /** Queries waiting for a connection; absent for a store without a pool (nothing to watch). */
  dbWaiting?: () => number;
}

const RETRY_AFTER_SECONDS = 2;
/** The event-loop histogram counts the server's own start-up as lag: ignore it for this long after ready. */
const STARTUP_GRACE_MS = 3000;

/** Sheds load instead of queueing without end: 503 with Retry-After, and recovers by itself. */
export async function registerOverloadProtection(
  app: FastifyInstance,
  settings: OverloadSettings,
): Promise<void> {
  if (settings.maxEventLoopDelayMs > 0) {
    let readyAt = Number.POSITIVE_INFINITY;
    app.addHook('onReady', async () => {
      readyAt = Date.now();
    });
    await app.register(underPressure, {
      maxEventLoopDelay: settings.maxEventLoopDelayMs,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: () => {
        if (Date.now() - readyAt < STARTUP_GRACE_MS) return;
        throw new RetryLaterError(503, MESSAGES.overloaded, RETRY_AFTER_SECONDS);
      },
    });
  }
  const dbWaiting = settings.dbWaiting;
  if (settings.maxDbWaiting > 0 && dbWaiting) {
    app.addHook('onRequest', (_request, _reply, done) => {
      done(
        dbWaiting() > settings.maxDbWaiting
          ? new RetryLaterError(503, MESSAGES.overloaded, RETRY_AFTER_SECONDS)
          : undefined,
      );
    });
  }
}
