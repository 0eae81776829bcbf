import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import { controlErrors } from './control-schemas.js';
import { RequestLogQuerySchema, RequestLogSchema } from './fault-schemas.js';
import type { RequestLog } from './request-log.js';

/** The most recent Webex API requests (never control calls), kept in memory. */
export const requestRoutes =
  (log: RequestLog): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/requests',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'listRequests',
          tags: CONTROL_TAGS,
          description: 'The most recent Webex API requests, oldest first.',
          querystring: RequestLogQuerySchema,
          response: { 200: RequestLogSchema, ...controlErrors(400) },
        },
      },
      async (request) => ({ items: log.recent(request.query.limit) }),
    );

    app.delete(
      '/requests',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'clearRequests',
          tags: CONTROL_TAGS,
          description: 'Empties the request log.',
          response: { 204: Type.Null({ description: 'Emptied.' }), ...controlErrors() },
        },
      },
      async (_request, reply) => {
        log.clear();
        return reply.code(204).send(null);
      },
    );
  };
