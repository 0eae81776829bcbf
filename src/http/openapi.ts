import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import { ErrorBodyRef } from '../schemas/error-body.js';
import { mergeLiteralUnions } from './openapi-literals.js';

// The OpenAPI 3 document of every route, generated from the TypeBox schemas that validate and serialize
// them: GET /openapi.json, browsable at /docs (Swagger UI, its assets served from node_modules). The
// committed docs/openapi.json is the same document (`npm run openapi`).

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const STATUS_DESCRIPTIONS: Record<string, string> = {
  200: 'OK.',
  204: 'No Content.',
  400: 'Bad Request: the request is invalid (the message says what is wrong).',
  401: 'Unauthorized: the access token is missing, unknown or expired.',
  403: 'Forbidden: the caller may not do this.',
  404: 'Not Found: no such resource.',
  405: 'Method Not Allowed: the Allow header lists the methods of this path.',
  409: 'Conflict: the request conflicts with the directory (e.g. an email address already taken).',
  413: 'Payload Too Large: the request body is over 1 MiB.',
  415: 'Unsupported Media Type: request bodies must be application/json.',
  429: 'Too Many Requests: rate limited; Retry-After says when to come back.',
  500: 'Internal Server Error.',
  503:
    'Service Unavailable: overloaded or the database cannot be reached (Retry-After says when to come ' +
    'back), shutting down, or not ready.',
};

export const OPENAPI_TAGS = [
  {
    name: 'People',
    description: 'The Webex People API, as documented at developer.webex.com/docs/api/v1/people.',
  },
  { name: 'Operations', description: 'Health, readiness, metrics and this document (not part of Webex).' },
  { name: 'Control', description: "Rollcall's control API for tests and demos (not part of Webex)." },
];

/** Swagger (collecting every route registered after it), Swagger UI at /docs, and GET /openapi.json. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Rollcall',
        version,
        description:
          'A Webex-compatible People API server. The People endpoints follow the Webex People API; ' +
          'the differences are listed in docs/compatibility.md.',
      },
      servers: [
        { url: '/', description: 'The Rollcall serving this document.' },
        { url: 'http://127.0.0.1:8080', description: '`rollcall serve` on its default address.' },
      ],
      tags: OPENAPI_TAGS,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An access token of a person: `Authorization: Bearer <token>`.',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    // Shared schemas (app.addSchema) keep their $id as their name: components/schemas/Person, /Error.
    refResolver: {
      buildLocalReference: (json, _uri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    transform: ({ schema, route }) => ({ schema: documented(schema, route), url: route.url }),
    transformObject: (document) =>
      mergeLiteralUnions('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  app.get(
    '/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        tags: ['Operations'],
        security: [],
        description: 'This OpenAPI 3 document: every route Rollcall serves, with its schemas.',
        response: {
          200: Type.Object({}, { additionalProperties: true, description: 'An OpenAPI 3.0 document.' }),
        },
      },
    },
    async () => app.swagger(),
  );
}

/** The route's schema as the document shows it; the schema that validates and serializes is not changed. */
function documented(schema: FastifySchema | undefined, route: RouteOptions): FastifySchema {
  if (schema === undefined || schema.hide === true) return schema ?? {};
  return {
    ...schema,
    ...(schema.querystring !== undefined && { querystring: withDefaultsOptional(schema.querystring) }),
    response: withCommonResponses(schema.response, route),
  };
}

/**
 * A query parameter with a default is filled in when absent (`useDefaults`), so the validation schema
 * lists it as required; a client need not send it.
 */
function withDefaultsOptional(querystring: unknown): unknown {
  const schema = querystring as { properties?: Record<string, { default?: unknown }>; required?: string[] };
  if (schema.required === undefined || schema.properties === undefined) return querystring;
  const properties = schema.properties;
  const required = schema.required.filter((key) => properties[key]?.default === undefined);
  return { ...schema, required };
}

/**
 * What every route may also answer, from the error handler: 429 where rate limits apply, 500, and 503
 * (overload or shutdown). Every response gets a description; the errors carry the Error body.
 */
function withCommonResponses(declared: unknown, route: RouteOptions): Record<string, unknown> {
  const responses = (declared ?? {}) as Record<string, Record<string, unknown>>;
  const limited = route.config?.rateLimit !== false;
  const codes = new Set([...Object.keys(responses), ...(limited ? ['429'] : []), '500', '503']);
  const result: Record<string, unknown> = {};
  for (const code of codes) {
    const body = responses[code] ?? ErrorBodyRef;
    const description = (body.description as string | undefined) ?? STATUS_DESCRIPTIONS[code];
    if (Number(code) >= 400) {
      // Errors are JSON whatever the route produces: the error handler writes them.
      result[code] = { description, content: { 'application/json': { schema: body } } };
    } else if (description === undefined || body.description !== undefined) {
      result[code] = body;
    } else {
      // A $ref keeps only its `description` beside it; an inline schema says it with the plugin's key.
      const key = body.$ref === undefined ? 'x-response-description' : 'description';
      result[code] = { ...body, [key]: description };
    }
  }
  return result;
}
