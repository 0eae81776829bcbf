import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ControllableClock } from '../domain/clock.js';
import { changeClock, viewClock } from './clock-control.js';
import { CONTROL_CONFIG, CONTROL_TAGS } from './control-route.js';
import { ClockChangeSchema, ClockStateSchema, controlErrors } from './control-schemas.js';

/** The server's clock: presence, lastModified, token expiry and rate-limit windows all follow it. */
export const clockRoutes =
  (clock: ControllableClock): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/clock',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'getClock',
          tags: CONTROL_TAGS,
          description: "The server's current time and whether it runs or stands still.",
          response: { 200: ClockStateSchema, ...controlErrors() },
        },
      },
      async () => viewClock(clock),
    );

    app.put(
      '/clock',
      {
        config: CONTROL_CONFIG,
        schema: {
          operationId: 'setClock',
          tags: CONTROL_TAGS,
          description: 'Freezes time at a moment, moves it by a duration, or returns to the real clock.',
          body: ClockChangeSchema,
          response: { 200: ClockStateSchema, ...controlErrors(400, 415) },
        },
      },
      async (request) => changeClock(clock, request.body),
    );
  };
