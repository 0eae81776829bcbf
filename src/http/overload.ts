import type { FastifyInstance } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { MESSAGES, RetryLaterError } from '../domain/errors.js';

export interface OverloadSettings {
  /** 503 while the event loop lags more than this many ms (0: never). */
  maxEventLoopDelayMs: number;
  /** 503 while more queries than this wait for a database connection (0: never). */
  maxDbWaiting: number;
  dbWaiting: () => number;
}

const RETRY_AFTER_SECONDS = 2;

/** Sheds load instead of queueing without end: 503 with Retry-After, and recovers by itself. */
export async function registerOverloadProtection(
  app: FastifyInstance,
  settings: OverloadSettings,
): Promise<void> {
  if (settings.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: settings.maxEventLoopDelayMs,
      retryAfter: RETRY_AFTER_SECONDS,
      pressureHandler: () => {
        throw new RetryLaterError(503, MESSAGES.overloaded, RETRY_AFTER_SECONDS);
      },
    });
  }
  if (settings.maxDbWaiting > 0) {
    app.addHook('onRequest', async () => {
      if (settings.dbWaiting() > settings.maxDbWaiting) {
        throw new RetryLaterError(503, MESSAGES.overloaded, RETRY_AFTER_SECONDS);
      }
    });
  }
}
