import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { MESSAGES, NotFoundError } from '../domain/errors.js';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import { controlErrors } from './control-schemas.js';
import {
  FaultListSchema,
  FaultParamsSchema,
  FaultRuleInputSchema,
  FaultRuleSchema,
} from './fault-schemas.js';
import type { FaultInjector } from './faults.js';

const Cleared = Type.Null({ description: 'Removed.' });

/** Fault rules for Webex requests: errors with the real Webex body and headers, and delays. */
export const faultRoutes =
  (faults: FaultInjector): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/faults',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'addFault',
          tags: CONTROL_TAGS,
          description:
            'Adds a fault rule after the existing ones; the first matching rule that fires applies.',
          body: FaultRuleInputSchema,
          response: { 200: FaultRuleSchema, ...controlErrors(400, 415) },
        },
      },
      async (request) => faults.add(request.body),
    );

    app.get(
      '/faults',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'listFaults',
          tags: CONTROL_TAGS,
          description: 'The fault rules, with how often each has fired.',
          response: { 200: FaultListSchema, ...controlErrors() },
        },
      },
      async () => ({ items: faults.list() }),
    );

    app.delete(
      '/faults',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'clearFaults',
          tags: CONTROL_TAGS,
          description: 'Removes every fault rule.',
          response: { 204: Cleared, ...controlErrors() },
        },
      },
      async (_request, reply) => {
        faults.clear();
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/faults/:id',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'removeFault',
          tags: CONTROL_TAGS,
          description: 'Removes one fault rule.',
          params: FaultParamsSchema,
          response: { 204: Cleared, ...controlErrors(404) },
        },
      },
      async (request, reply) => {
        if (!faults.remove(request.params.id)) throw new NotFoundError(MESSAGES.faultNotFound);
        return reply.code(204).send(null);
      },
    );
  };
