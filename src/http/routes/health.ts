import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError, MESSAGES } from '../../domain/errors.js';
import { ErrorBodyRef } from '../../schemas/error-body.js';

export interface HealthDeps {
  /** Resolves when the store answers and its schema is up to date (PeopleStore.ping). */
  ready: () => Promise<void>;
}

/** A readiness check that takes longer than this fails: a probe must get an answer, not a time-out. */
export const READY_TIMEOUT_MS = 2000;

const tags = ['Operations'];

/**
 * Probes and scrapes are neither rate limited nor shed: a busy instance is alive (an orchestrator must
 * not restart it) and its metrics matter most then. Readiness is shed like the API: busy is not ready.
 */
export const UNTHROTTLED = { rateLimit: false as const, pressureHandler: () => undefined };

export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'health',
        tags,
        security: [],
        description: 'Liveness: the process is up and serving. Does not touch the database.',
        response: {
          200: Type.Object(
            { status: Type.Literal('ok', { description: 'Always "ok".' }) },
            { description: 'The process is up.' },
          ),
        },
      },
      config: UNTHROTTLED,
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'readiness',
        tags,
        security: [],
        description:
          'Readiness: the database answers and its schema is up to date (migrations done). 503 with ' +
          'the error body otherwise, or when the check takes longer than 2 s.',
        response: {
          200: Type.Object(
            { status: Type.Literal('ready', { description: 'Always "ready".' }) },
            { description: 'Ready to serve the API.' },
          ),
          503: ErrorBodyRef,
        },
      },
      config: { rateLimit: false },
    },
    async (request) => {
      try {
        await withTimeout(deps.ready(), READY_TIMEOUT_MS);
      } catch (err) {
        request.log.warn({ err }, 'not ready');
        throw new ApiError(503, MESSAGES.notReady);
      }
      return { status: 'ready' as const };
    },
  );
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
