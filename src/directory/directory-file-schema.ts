import { Type, type Static } from '@sinclair/typebox';
import { EXPLICIT_PRESENCE_STATES, PERSON_TYPES } from '../domain/model.js';
import { AddressSchema, PhoneNumberSchema, SipAddressSchema } from '../schemas/person.js';

// The directory file: a whole directory in one JSON document, for `--seed` and `rollcall export`.
// IDs may be raw UUIDs or hydra IDs; `roles` takes role names or hydra ROLE IDs.

const Flag = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]);
const Text = Type.String({ minLength: 1 });
const Strings = Type.Array(Text);

export const DirectoryTokenSchema = Type.Union([
  Text,
  Type.Object({ token: Text, expires: Type.Optional(Text) }, { additionalProperties: false }),
]);

export const DirectoryPresenceSchema = Type.Object(
  {
    state: Type.Optional(Type.Union(EXPLICIT_PRESENCE_STATES.map((s) => Type.Literal(s)))),
    lastActivity: Type.Optional(Text),
    sharing: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const DirectoryOrgSchema = Type.Object(
  { id: Text, displayName: Text, manages: Type.Optional(Strings) },
  { additionalProperties: false },
);

export const DirectoryPersonSchema = Type.Object(
  {
    id: Type.Optional(Text),
    orgId: Text,
    type: Type.Optional(Type.Union(PERSON_TYPES.map((t) => Type.Literal(t)))),
    emails: Type.Array(Text, { minItems: 1 }),
    displayName: Type.Optional(Text),
    nickName: Type.Optional(Text),
    firstName: Type.Optional(Text),
    lastName: Type.Optional(Text),
    avatar: Type.Optional(Text),
    phoneNumbers: Type.Optional(
      Type.Array(Type.Object(PhoneNumberSchema.properties, { additionalProperties: false })),
    ),
    extension: Type.Optional(Text),
    locationId: Type.Optional(Text),
    roles: Type.Optional(Strings),
    licenses: Type.Optional(Strings),
    department: Type.Optional(Text),
    manager: Type.Optional(Text),
    managerId: Type.Optional(Text),
    title: Type.Optional(Text),
    addresses: Type.Optional(
      Type.Array(Type.Object(AddressSchema.properties, { additionalProperties: false })),
    ),
    created: Type.Optional(Text),
    lastModified: Type.Optional(Text),
    timezone: Type.Optional(Text),
    siteUrls: Type.Optional(Strings),
    sipAddresses: Type.Optional(
      Type.Array(Type.Object(SipAddressSchema.properties, { additionalProperties: false })),
    ),
    xmppFederationJid: Type.Optional(Text),
    invitePending: Type.Optional(Flag),
    loginEnabled: Type.Optional(Flag),
    presence: Type.Optional(DirectoryPresenceSchema),
    tokens: Type.Optional(Type.Array(DirectoryTokenSchema)),
  },
  { additionalProperties: false },
);

export const DirectoryFileSchema = Type.Object(
  { orgs: Type.Array(DirectoryOrgSchema), people: Type.Array(DirectoryPersonSchema) },
  { additionalProperties: false },
);

export type DirectoryFile = Static<typeof DirectoryFileSchema>;
export type DirectoryPersonEntry = Static<typeof DirectoryPersonSchema>;
export type DirectoryOrgEntry = Static<typeof DirectoryOrgSchema>;
export type DirectoryTokenEntry = Static<typeof DirectoryTokenSchema>;
