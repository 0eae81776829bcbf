import { Type, type Static } from '@sinclair/typebox';
import { EXPLICIT_PRESENCE_STATES, PERSON_TYPES } from '../schemas/enums.js';
import { AddressSchema, PersonSchema, PhoneNumberSchema, SipAddressSchema } from '../schemas/person.js';

// The directory file: a whole directory in one JSON document, for `--seed` and `rollcall export`.
// IDs may be raw UUIDs or hydra IDs; `roles` takes role names or hydra ROLE IDs.

const Flag = (description: string) =>
  Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], { description });
const Text = (description: string) => Type.String({ minLength: 1, description });
const Strings = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });
/** The Person field's own description, for the fields the file shares with the Person. */
const like = (field: keyof typeof PersonSchema.properties) =>
  Type.Optional(Text(PersonSchema.properties[field].description ?? field));

export const DirectoryTokenSchema = Type.Union(
  [
    Text('A token that never expires.'),
    Type.Object(
      {
        token: Text('The bearer token.'),
        expires: Type.Optional(Text('When it stops working (ISO-8601).')),
      },
      { additionalProperties: false, description: 'A token with an expiry.' },
    ),
  ],
  { description: 'A bearer token of the person (stored only as a SHA-256 hash).' },
);

export const DirectoryPresenceSchema = Type.Object(
  {
    state: Type.Optional(
      Type.Union(
        EXPLICIT_PRESENCE_STATES.map((s) => Type.Literal(s)),
        { description: 'An explicit state that wins while set.' },
      ),
    ),
    lastActivity: Type.Optional(Text('Last activity (ISO-8601); absent: never signed in.')),
    sharing: Type.Optional(Type.Boolean({ description: "The person's status sharing (default true)." })),
  },
  { additionalProperties: false, description: 'Presence as stored; the status is derived when read.' },
);

export const DirectoryOrgSchema = Type.Object(
  {
    id: Text('UUID or hydra ORGANIZATION ID.'),
    displayName: Text('The name of the organization.'),
    manages: Type.Optional(Strings('The orgs this org manages (a partner relationship).')),
  },
  { additionalProperties: false, description: 'An organization.' },
);

export const DirectoryPersonSchema = Type.Object(
  {
    id: Type.Optional(Text('UUID or hydra PEOPLE ID; generated when absent.')),
    orgId: Text('The org of the person (an id from orgs).'),
    type: Type.Optional(
      Type.Union(
        PERSON_TYPES.map((t) => Type.Literal(t)),
        { description: 'The type of person account (default person).' },
      ),
    ),
    emails: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'The email addresses of the person.',
    }),
    displayName: Type.Optional(Text('The full name; default: first and last name.')),
    nickName: like('nickName'),
    firstName: like('firstName'),
    lastName: like('lastName'),
    avatar: like('avatar'),
    phoneNumbers: Type.Optional(
      Type.Array(Type.Object(PhoneNumberSchema.properties, { additionalProperties: false }), {
        description: 'Phone numbers for the person.',
      }),
    ),
    extension: Type.Optional(Text('The Webex Calling extension.')),
    locationId: Type.Optional(Text('The Webex Calling location ID.')),
    roles: Type.Optional(Strings('Role names (id_full_admin, …) or hydra ROLE IDs.')),
    licenses: Type.Optional(Strings('License IDs.')),
    department: like('department'),
    manager: like('manager'),
    managerId: like('managerId'),
    title: like('title'),
    addresses: Type.Optional(
      Type.Array(Type.Object(AddressSchema.properties, { additionalProperties: false }), {
        description: "A person's addresses.",
      }),
    ),
    created: Type.Optional(Text('When the person was created (ISO-8601); default: load time.')),
    lastModified: Type.Optional(Text('When the person was last changed (ISO-8601); default: load time.')),
    timezone: like('timezone'),
    siteUrls: Type.Optional(Strings('Site names where this user has a role (host or attendee).')),
    sipAddresses: Type.Optional(
      Type.Array(Type.Object(SipAddressSchema.properties, { additionalProperties: false }), {
        description: "The user's SIP addresses.",
      }),
    ),
    xmppFederationJid: like('xmppFederationJid'),
    invitePending: Type.Optional(Flag('Whether an invite is pending.')),
    loginEnabled: Type.Optional(Flag('Whether the person may use Webex.')),
    presence: Type.Optional(DirectoryPresenceSchema),
    tokens: Type.Optional(
      Type.Array(DirectoryTokenSchema, { description: 'Bearer tokens of the person; never exported.' }),
    ),
  },
  { additionalProperties: false, description: 'A person, with presence and tokens.' },
);

export const DirectoryFileSchema = Type.Object(
  {
    orgs: Type.Array(DirectoryOrgSchema, { description: 'Every organization.' }),
    people: Type.Array(DirectoryPersonSchema, { description: 'Every person.' }),
  },
  { additionalProperties: false, description: 'A whole directory: orgs, people and their tokens.' },
);

export type DirectoryFile = Static<typeof DirectoryFileSchema>;
export type DirectoryPersonEntry = Static<typeof DirectoryPersonSchema>;
export type DirectoryOrgEntry = Static<typeof DirectoryOrgSchema>;
export type DirectoryTokenEntry = Static<typeof DirectoryTokenSchema>;
