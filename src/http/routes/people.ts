// Webex People API: Get Person Details (GET /v1/people/{personId}) and Get My Own Details
// (GET /v1/people/me), as documented at developer.webex.com/docs/api/v1/people.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PeopleService } from '../../domain/people-service.js';
import { ErrorBodyRef } from '../../schemas/error-body.js';
import { PersonRef } from '../../schemas/person.js';
import { callerOf } from '../auth.js';

const CallingDataQuery = Type.Object({
  callingData: Type.Boolean({
    default: false,
    description: 'Include Webex Calling user details (admins of the person’s org only; ignored for others).',
  }),
});

const errors = {
  400: ErrorBodyRef,
  401: ErrorBodyRef,
  404: ErrorBodyRef,
};

export const peopleRoutes =
  (people: PeopleService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/people/me',
      {
        schema: {
          operationId: 'getMyOwnDetails',
          tags: ['People'],
          description: 'The person the access token belongs to.',
          querystring: CallingDataQuery,
          response: { 200: PersonRef, ...errors },
        },
      },
      async (request) => people.getMe(callerOf(request), request.query),
    );

    app.get(
      '/people/:personId',
      {
        schema: {
          operationId: 'getPersonDetails',
          tags: ['People'],
          description: 'A person by ID (hydra ID or raw UUID).',
          params: Type.Object({
            personId: Type.String({ description: 'A unique identifier for the person.' }),
          }),
          querystring: CallingDataQuery,
          response: { 200: PersonRef, ...errors },
        },
      },
      async (request) => people.getPerson(callerOf(request), request.params.personId, request.query),
    );
  };
