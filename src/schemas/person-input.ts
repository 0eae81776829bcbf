import { Type, type Static } from '@sinclair/typebox';
import { PHONE_NUMBER_TYPES } from '../domain/model.js';
import { AddressSchema } from './person.js';

// Request bodies of Create a Person (POST) and Update a Person (PUT). Fields not listed here
// (id, created, status, sipAddresses, invitePending, …) are read-only: accepted and ignored.

const str = (description: string) => Type.Optional(Type.String({ description }));
const strings = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

const writableFields = {
  phoneNumbers: Type.Optional(
    Type.Array(
      Type.Object({
        type: Type.Union(
          PHONE_NUMBER_TYPES.map((t) => Type.Literal(t)),
          { description: 'The type of phone number.' },
        ),
        value: Type.String({ minLength: 1, description: 'The phone number.' }),
        primary: Type.Optional(Type.Boolean({ description: 'Primary number for the person.' })),
      }),
      { description: 'Phone numbers for the person.' },
    ),
  ),
  extension: str('Webex Calling extension.'),
  locationId: str('Webex Calling location ID.'),
  displayName: str('The full name of the person.'),
  firstName: str('The first name of the person.'),
  lastName: str('The last name of the person.'),
  avatar: str("The URL to the person's avatar in PNG format."),
  orgId: str('The organization (Create only; ignored on Update).'),
  roles: strings('Role IDs (or role names such as id_full_admin).'),
  licenses: strings('License IDs.'),
  department: str('The business department the user belongs to.'),
  manager: str('A manager identifier.'),
  managerId: str('Person ID of the manager.'),
  title: str("The person's title."),
  addresses: Type.Optional(Type.Array(AddressSchema, { description: "A person's addresses." })),
  siteUrls: strings('Site names where this user has a role; append #attendee for attendee.'),
};

const Emails = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
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
    displayName: Type.String({ description: 'The full name of the person.' }),
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
