import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

export function healthRoutes(app: FastifyInstance): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'health',
        description: 'The process is up and serving.',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}
