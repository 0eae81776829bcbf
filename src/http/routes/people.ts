// Webex People API, as documented at developer.webex.com/docs/api/v1/people: List People, Create a
// Person, Get Person Details, Update a Person, Delete a Person, Get My Own Details.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PeopleLister } from '../../domain/people-lister.js';
import type { PeopleReader } from '../../domain/people-reader.js';
import type { PeopleWriter } from '../../domain/people-writer.js';
import { ErrorBodyRef } from '../../schemas/error-body.js';
import { PersonCreateBodySchema, PersonUpdateBodySchema } from '../../schemas/person-input.js';
import { PersonCollection, PersonRef } from '../../schemas/person.js';
import {
  CreateQuerySchema,
  ListQuerySchema,
  PersonIdParamsSchema,
  ReadQuerySchema,
  UpdateQuerySchema,
} from '../../schemas/people-query.js';
import { callerOf } from '../auth.js';
import { nextPageLink } from '../next-page-link.js';

const errorResponses = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, ErrorBodyRef]));

// Webex: POST answers 200 (not 201) with the person; the Python SDK rejects anything else.
const PersonOrId = Type.Union([
  PersonRef,
  Type.Object(
    { id: Type.String({ description: 'The ID of the person.' }) },
    { description: 'With minResponse=true: the ID only.' },
  ),
]);

export interface PeopleRouteDeps {
  reader: PeopleReader;
  lister: PeopleLister;
  writer: PeopleWriter;
}

export const peopleRoutes =
  ({ reader, lister, writer }: PeopleRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['People'];

    app.get(
      '/people',
      {
        schema: {
          operationId: 'listPeople',
          tags,
          description: 'List people: by email, displayName prefix or id list, or (admins) the whole org.',
          querystring: ListQuerySchema,
          response: { 200: PersonCollection, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const page = await lister.list(callerOf(request), request.query);
        if (page.next !== undefined) reply.header('link', nextPageLink(request, page.next));
        return page.notFoundIds === undefined ? { items: page.items } : page;
      },
    );

    app.post(
      '/people',
      {
        schema: {
          operationId: 'createPerson',
          tags,
          description: 'Create a person (full and user admins of the org). Answers 200, not 201.',
          querystring: CreateQuerySchema,
          body: PersonCreateBodySchema,
          response: { 200: PersonOrId, ...errorResponses(400, 401, 403, 409, 413, 415) },
        },
      },
      async (request) => writer.create(callerOf(request), request.body, request.query),
    );

    app.get(
      '/people/me',
      {
        schema: {
          operationId: 'getMyOwnDetails',
          tags,
          description: 'The person (or bot, or app user) that the access token belongs to.',
          querystring: ReadQuerySchema,
          response: { 200: PersonRef, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => reader.getMe(callerOf(request), request.query),
    );

    app.get(
      '/people/:personId',
      {
        schema: {
          operationId: 'getPersonDetails',
          tags,
          description: 'One person, by hydra ID or UUID, with the fields the caller may see.',
          params: PersonIdParamsSchema,
          querystring: ReadQuerySchema,
          response: { 200: PersonRef, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => reader.getPerson(callerOf(request), request.params.personId, request.query),
    );

    app.put(
      '/people/:personId',
      {
        schema: {
          operationId: 'updatePerson',
          tags,
          description:
            'Replace the writable fields of a person (full and user admins); left out means cleared.',
          params: PersonIdParamsSchema,
          querystring: UpdateQuerySchema,
          body: PersonUpdateBodySchema,
          response: { 200: PersonOrId, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request) =>
        writer.update(callerOf(request), request.params.personId, request.body, request.query),
    );

    app.delete(
      '/people/:personId',
      {
        schema: {
          operationId: 'deletePerson',
          tags,
          description: 'Delete a person (full and user admins); their tokens stop working at once.',
          params: PersonIdParamsSchema,
          response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await writer.delete(callerOf(request), request.params.personId);
        return reply.code(204).send(null);
      },
    );
  };
