import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppMetrics } from '../metrics.js';
import { UNTHROTTLED } from './health.js';

export function metricsRoutes(app: FastifyInstance, metrics: AppMetrics): void {
  app.get(
    '/metrics',
    {
      schema: {
        operationId: 'metrics',
        tags: ['Operations'],
        security: [],
        description:
          'Prometheus metrics (text format): requests and their latency by route pattern and status, ' +
          'rate-limited requests, store query latency by method, and the process (CPU, memory, event loop, GC).',
        produces: ['text/plain'],
        response: {
          200: Type.String({ description: 'The Prometheus text exposition format, version 0.0.4.' }),
        },
      },
      config: UNTHROTTLED,
    },
    async (_request, reply) => {
      const text = await metrics.text();
      return reply.type(metrics.contentType).send(text);
    },
  );
}
