import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import {
  controlErrors,
  PersonParamsSchema,
  PresenceChangeSchema,
  PresenceSchema,
} from './control-schemas.js';
import type { PresenceControl } from './presence-control.js';

/** A person's explicit state, last activity and status sharing, from which Webex `status` is derived. */
export const presenceRoutes =
  (presence: PresenceControl): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/people/:personId/presence',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'getPresence',
          tags: CONTROL_TAGS,
          description: "A person's presence and the status it gives now.",
          params: PersonParamsSchema,
          response: { 200: PresenceSchema, ...controlErrors(404) },
        },
      },
      async (request) => presence.get(request.params.personId),
    );

    app.put(
      '/people/:personId/presence',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'setPresence',
          tags: CONTROL_TAGS,
          description: "Sets some or all of a person's presence fields; lastModified is left alone.",
          params: PersonParamsSchema,
          body: PresenceChangeSchema,
          response: { 200: PresenceSchema, ...controlErrors(400, 404, 415) },
        },
      },
      async (request) => presence.set(request.params.personId, request.body),
    );
  };
