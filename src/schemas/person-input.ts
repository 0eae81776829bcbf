import { Type, type Static } from '@sinclair/typebox';
import { PHONE_NUMBER_TYPES } from './enums.js';
import { AddressSchema } from './person.js';
import { MAX_ITEMS, MAX_LENGTH, MULTI_LINE, Text } from './text.js';

// Request bodies of Create a Person (POST) and Update a Person (PUT). Fields not listed here
// (id, created, status, sipAddresses, invitePending, …) are read-only: accepted and ignored. Inside
// phoneNumbers and addresses nothing is read-only, so an unknown property there is a 400.

const str = (description: string, maxLength: number) => Type.Optional(Text(maxLength, { description }));
const strings = (description: string, maxItems: number, maxLength: number) =>
  Type.Optional(Type.Array(Text(maxLength), { maxItems, description }));
const address = (field: keyof typeof AddressSchema.properties, maxLength: number) =>
  Type.Optional(Text(maxLength, { description: AddressSchema.properties[field].description }));

const AddressInput = Type.Object(
  {
    type: address('type', MAX_LENGTH.short),
    country: address('country', MAX_LENGTH.short),
    locality: address('locality', MAX_LENGTH.name),
    region: address('region', MAX_LENGTH.name),
    streetAddress: Type.Optional(
      Text(MAX_LENGTH.streetAddress, {
        pattern: MULTI_LINE,
        description: AddressSchema.properties.streetAddress.description,
      }),
    ),
    postalCode: address('postalCode', MAX_LENGTH.short),
  },
  { additionalProperties: false },
);

const writableFields = {
  phoneNumbers: Type.Optional(
    Type.Array(
      Type.Object(
        {
          type: Type.Union(
            PHONE_NUMBER_TYPES.map((t) => Type.Literal(t)),
            { description: 'The type of phone number.' },
          ),
          value: Text(MAX_LENGTH.phoneNumber, { minLength: 1, description: 'The phone number.' }),
          primary: Type.Optional(Type.Boolean({ description: 'Primary number for the person.' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_ITEMS.phoneNumbers, description: 'Phone numbers for the person.' },
    ),
  ),
  extension: str('Webex Calling extension.', MAX_LENGTH.extension),
  locationId: str('Webex Calling location ID.', MAX_LENGTH.id),
  displayName: str('The full name of the person.', MAX_LENGTH.name),
  firstName: str('The first name of the person.', MAX_LENGTH.name),
  lastName: str('The last name of the person.', MAX_LENGTH.name),
  avatar: str("The URL to the person's avatar in PNG format.", MAX_LENGTH.url),
  orgId: str('The organization (Create only; ignored on Update).', MAX_LENGTH.id),
  roles: strings('Role IDs (or role names such as id_full_admin).', MAX_ITEMS.roles, MAX_LENGTH.id),
  licenses: strings('License IDs.', MAX_ITEMS.licenses, MAX_LENGTH.id),
  department: str('The business department the user belongs to.', MAX_LENGTH.name),
  manager: str('A manager identifier.', MAX_LENGTH.name),
  managerId: str('Person ID of the manager.', MAX_LENGTH.id),
  title: str("The person's title.", MAX_LENGTH.name),
  addresses: Type.Optional(
    Type.Array(AddressInput, { maxItems: MAX_ITEMS.addresses, description: "A person's addresses." }),
  ),
  siteUrls: strings(
    'Site names where this user has a role; append #attendee for attendee.',
    MAX_ITEMS.siteUrls,
    MAX_LENGTH.name,
  ),
};

const Emails = Type.Array(Text(MAX_LENGTH.email, { minLength: 1 }), {
  minItems: 1,
  maxItems: MAX_ITEMS.emails,
  description: 'The email addresses of the person (one is used today).',
});

export const PersonCreateBodySchema = Type.Object(
  { emails: Emails, ...writableFields },
  { $id: 'PersonCreate', description: 'A new person. One of displayName, firstName, lastName is required.' },
);

export const PersonUpdateBodySchema = Type.Object(
  {
    ...writableFields,
    emails: Type.Optional(Emails),
    displayName: Text(MAX_LENGTH.name, { description: 'The full name of the person.' }),
    loginEnabled: Type.Optional(
      Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], {
        description: 'Whether the person may use Webex.',
      }),
    ),
  },
  { $id: 'PersonUpdate', description: 'The whole person: fields left out are cleared.' },
);

export type PersonCreateBody = Static<typeof PersonCreateBodySchema>;
export type PersonUpdateBody = Static<typeof PersonUpdateBodySchema>;
