import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import { controlErrors, TokenCreateSchema, TokenGrantSchema, TokenParamsSchema } from './control-schemas.js';
import type { TokenControl } from './token-control.js';

export const tokenRoutes =
  (tokens: TokenControl): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/tokens',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'createToken',
          tags: CONTROL_TAGS,
          description: 'Mints a person token (a bearer token for the Webex API).',
          body: TokenCreateSchema,
          response: { 200: TokenGrantSchema, ...controlErrors(400, 404, 415) },
        },
      },
      async (request) => tokens.create(request.body.personId, request.body.expires),
    );

    app.delete(
      '/tokens/:token',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'revokeToken',
          tags: CONTROL_TAGS,
          description: 'Revokes a person token: it stops working at once.',
          params: TokenParamsSchema,
          response: { 204: Type.Null({ description: 'Revoked.' }), ...controlErrors(404) },
        },
      },
      async (request, reply) => {
        await tokens.revoke(request.params.token);
        return reply.code(204).send(null);
      },
    );
  };
