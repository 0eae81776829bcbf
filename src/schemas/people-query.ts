import { Type } from '@sinclair/typebox';

// Query strings of the People endpoints. Booleans accept true/false in any case (http/boolean-query.ts).

const flag = (description: string) => Type.Boolean({ default: false, description });

const callingData = flag(
  'Include Webex Calling user details (admins of the person’s org only; ignored for others).',
);
const minResponse = flag('Answer with the ID only.');

export const ReadQuerySchema = Type.Object({ callingData });

export const ListQuerySchema = Type.Object({
  email: Type.Optional(Type.String({ description: 'Exact email address (case-insensitive).' })),
  displayName: Type.Optional(Type.String({ description: 'Display name prefix (case-insensitive).' })),
  id: Type.Optional(Type.String({ description: 'Comma-separated person IDs, at most 85.' })),
  orgId: Type.Optional(Type.String({ description: 'List people in this organization (partner admins).' })),
  roles: Type.Optional(Type.String({ description: 'Comma-separated role IDs (admins, own org).' })),
  callingData,
  locationId: Type.Optional(Type.String({ description: 'People in this Webex Calling location (admins).' })),
  max: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'Page size: default 100, at most 1000 (100 with callingData, 50 with locationId).',
    }),
  ),
  excludeStatus: flag('Leave out status and lastActivity.'),
  showAllTypes: flag('Accepted for compatibility with the JS SDK; every account type is always listed.'),
  after: Type.Optional(Type.String({ description: 'Opaque cursor from a rel="next" Link.' })),
});

export const CreateQuerySchema = Type.Object({ callingData, minResponse });

export const UpdateQuerySchema = Type.Object({
  callingData,
  showAllTypes: flag('Accepted for compatibility; site roles are always shown.'),
  minResponse,
});

export const PersonIdParamsSchema = Type.Object({
  personId: Type.String({ description: 'A unique identifier for the person (hydra ID or UUID).' }),
});
