import { Type } from '@sinclair/typebox';
import { IsoTime, nullable, oneOf } from './control-schemas.js';
import { FAULT_STATUSES } from './faults.js';

// Request and response shapes of the control API: fault rules and the request log.

// ---- Faults ----

const faultFields = {
  method: Type.Optional(
    Type.String({ pattern: '^([A-Za-z]+|\\*)$', description: 'HTTP method, or * (default) for any.' }),
  ),
  path: Type.String({
    minLength: 1,
    description: 'Glob over the request path: * within a segment, ** across segments, e.g. /v1/people/*.',
  }),
  status: Type.Optional(oneOf(FAULT_STATUSES, { description: 'Answer with this Webex error.' })),
  retryAfter: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 86_400,
      description: 'Retry-After seconds (429, 423, 503; default 1).',
    }),
  ),
  probability: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Chance that a matching request is faulted (default 1).',
    }),
  ),
  count: Type.Optional(Type.Integer({ minimum: 1, description: 'Fault this many requests, then stop.' })),
  delayMs: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 120_000, description: 'Delay (real time) before answering.' }),
  ),
  seed: Type.Optional(
    Type.Integer({ description: 'Seed of a reproducible random sequence for probability.' }),
  ),
};

export const FaultRuleInputSchema = Type.Object(faultFields, {
  additionalProperties: false,
  description: 'A fault rule: needs a status, a delayMs or both.',
  examples: [{ method: 'GET', path: '/v1/people/*', status: 429, retryAfter: 2, count: 3 }],
});

export const FaultRuleSchema = Type.Object(
  {
    id: Type.String({ description: 'The rule (for DELETE /rollcall/v1/faults/{id}).' }),
    ...faultFields,
    method: Type.String({ description: 'HTTP method, or * for any.' }),
    remaining: Type.Optional(
      Type.Integer({ description: 'Requests it will still fault (rules with a count).' }),
    ),
    fired: Type.Integer({ description: 'Requests it has faulted so far.' }),
  },
  { description: 'A fault rule in force.' },
);

export const FaultListSchema = Type.Object(
  { items: Type.Array(FaultRuleSchema, { description: 'In the order they are tried.' }) },
  { description: 'The fault rules.' },
);

export const FaultParamsSchema = Type.Object({ id: Type.String({ description: 'The rule id.' }) });

// ---- Request log ----

export const RequestLogQuerySchema = Type.Object({
  limit: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 100,
    description: 'How many (the most recent).',
  }),
});

export const LoggedRequestSchema = Type.Object(
  {
    time: IsoTime('When it was answered, by the server clock.'),
    method: Type.String({ description: 'HTTP method.' }),
    path: Type.String({ description: 'As sent, without the query.' }),
    query: Type.String({ description: 'The query string as sent, without "?".' }),
    status: Type.Integer({ description: 'The HTTP status answered.' }),
    trackingId: Type.String({ description: 'The trackingid of the request and its answer.' }),
    personId: nullable(Type.String(), "Hydra ID of the token's person; null when not authenticated."),
    durationMs: Type.Number({ description: 'Time to answer (real time).' }),
  },
  { description: 'One Webex API request.' },
);

export const RequestLogSchema = Type.Object(
  { items: Type.Array(LoggedRequestSchema, { description: 'Oldest first.' }) },
  { description: 'The most recent Webex API requests.' },
);
