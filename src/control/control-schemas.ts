import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { DirectoryFileSchema } from '../directory/directory-file-schema.js';
import { EXPLICIT_PRESENCE_STATES, PRESENCE_STATUSES } from '../schemas/enums.js';
import { ErrorBodyRef } from '../schemas/error-body.js';

// Request and response shapes of the control API (/rollcall/v1/…, not part of Webex).

/** A closed set of values as `enum` (the validator then says "must be equal to one of the allowed values"). */
export function oneOf<T extends string | number>(
  values: readonly T[],
  options: Record<string, unknown> = {},
): TUnsafe<T> {
  const type = typeof values[0] === 'number' ? 'integer' : 'string';
  return Type.Unsafe<T>({ type, enum: [...values], ...options });
}

export const nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

/** The error responses of a control route: its own, and those of control-auth.ts (401, 403) on every one. */
export const controlErrors = (...codes: number[]) =>
  Object.fromEntries([401, 403, ...codes].map((code) => [code, ErrorBodyRef]));

export const IsoTime = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2026-01-15T12:00:00.000Z'] });

// ---- Clock ----

const ClockMode = oneOf(['real', 'frozen'] as const, {
  description:
    '`frozen`: time stands still until moved; `real`: time runs (possibly offset from the machine).',
});

export const ClockStateSchema = Type.Object(
  {
    now: IsoTime("The server's current time."),
    mode: ClockMode,
    offsetMs: Type.Integer({
      description: 'How far a running clock is ahead of the machine (0 when frozen).',
    }),
  },
  {
    description: "The server's clock.",
    examples: [{ now: '2026-01-15T12:00:00.000Z', mode: 'frozen', offsetMs: 0 }],
  },
);

export const ClockChangeSchema = Type.Object(
  {
    now: Type.Optional(
      Type.String({
        description: 'Freeze time at this ISO-8601 date-time (with `mode: "real"`: run on from it).',
      }),
    ),
    advance: Type.Optional(
      Type.String({ description: 'Move time by a duration such as 15m, 90s, 2h or -5m.', examples: ['15m'] }),
    ),
    mode: Type.Optional(ClockMode),
  },
  {
    additionalProperties: false,
    description: 'One change: `{"now"}`, `{"advance"}`, `{"mode": "frozen"}` or `{"mode": "real"}`.',
    examples: [{ advance: '15m' }],
  },
);

// ---- Presence ----

export const PersonParamsSchema = Type.Object({
  personId: Type.String({ description: 'Hydra ID, UUID or email address of the person.' }),
});

const PresenceState = oneOf(EXPLICIT_PRESENCE_STATES, { description: 'An explicit state.' });

export const PresenceChangeSchema = Type.Object(
  {
    state: Type.Optional(
      nullable(PresenceState, 'An explicit state, which wins over activity; null clears it.'),
    ),
    lastActivity: Type.Optional(
      nullable(
        Type.String(),
        'ISO-8601 date-time, or "now" (the server clock); null: never signed in (status pending).',
      ),
    ),
    sharing: Type.Optional(Type.Boolean({ description: 'Whether the person shares their status.' })),
  },
  {
    additionalProperties: false,
    description: 'A partial update: absent fields keep their value.',
    examples: [{ state: 'meeting' }, { lastActivity: 'now', state: null }],
  },
);

export const PresenceSchema = Type.Object(
  {
    personId: Type.String({ description: 'Hydra ID of the person.' }),
    state: nullable(PresenceState, 'The explicit state, if any.'),
    lastActivity: nullable(IsoTime('Last activity.'), 'Last activity; null when never signed in.'),
    sharing: Type.Boolean({ description: 'Whether the person shares their status.' }),
    status: oneOf(PRESENCE_STATUSES, { description: 'The status derived from these now (Webex `status`).' }),
  },
  { description: "A person's presence as stored, with the status it gives now." },
);

// ---- Directory ----

export const DirectoryBodySchema = Type.Object(DirectoryFileSchema.properties, {
  additionalProperties: false,
  description: 'A directory file, the same format as `--seed` (see docs/directory-file.md).',
});

export const DirectoryCountsSchema = Type.Object(
  {
    orgs: Type.Integer({ description: 'Organizations now in the directory.' }),
    people: Type.Integer({ description: 'People now in the directory.' }),
    tokens: Type.Integer({ description: 'Tokens now valid (expired ones included).' }),
  },
  { description: 'What the directory holds after the change.' },
);

// ---- Tokens ----

export const TokenCreateSchema = Type.Object(
  {
    personId: Type.String({ minLength: 1, description: 'Hydra ID, UUID or email address of the person.' }),
    expires: Type.Optional(
      Type.String({ description: 'ISO-8601 date-time or a duration from now (12h); default: never.' }),
    ),
  },
  { additionalProperties: false, description: 'Whom to mint a token for.' },
);

export const TokenGrantSchema = Type.Object(
  {
    token: Type.String({ description: 'The bearer token; shown only this once.' }),
    personId: Type.String({ description: 'Hydra ID of the person.' }),
    expires: nullable(IsoTime('Expiry.'), 'Expiry by the server clock; null: never.'),
  },
  { description: 'A new person token.' },
);

export const TokenParamsSchema = Type.Object({
  token: Type.String({ description: 'The token to revoke (URL-encoded).' }),
});
