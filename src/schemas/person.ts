import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PERSON_TYPES, PHONE_NUMBER_TYPES, PRESENCE_STATUSES, SIP_ADDRESS_TYPES } from './enums.js';

// The Person as Webex sends it. Field order is the documentation's; every field but id, emails,
// displayName, orgId, created and type is optional and absent (never null) when not configured.

/** A string enumeration that TypeBox checks (the directory file reuses the phone and SIP schemas). */
const Enum = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { description },
  );

/**
 * The same for responses only: `{type: 'string', enum}`, as Webex's document writes it. With a union of
 * literals the response serializer checks every value against each literal with a validator; TypeBox
 * itself does not check this form.
 */
const SerializedEnum = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>(Type.String({ enum: [...values], description }));

/** Webex documents these as the strings "true"/"false"; a setting switches to JSON booleans. */
const StringOrBooleanFlag = (description: string) =>
  Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Boolean()], { description });

const PHONE_TYPE = 'The type of phone number.';
const phoneNumber = <T extends TSchema>(type: T) =>
  Type.Object({
    type,
    value: Type.String({ description: 'The phone number.', examples: ['+1 408 526 7209'] }),
    primary: Type.Optional(Type.Boolean({ description: 'Primary number for the person.' })),
  });

const SIP_TYPE = 'The type of SIP address.';
const sipAddress = <T extends TSchema>(type: T) =>
  Type.Object({
    type,
    value: Type.String({ description: 'The SIP address.' }),
    primary: Type.Optional(Type.Boolean({ description: 'Primary SIP address of the person.' })),
  });

export const PhoneNumberSchema = phoneNumber(Enum(PHONE_NUMBER_TYPES, PHONE_TYPE));
export const SipAddressSchema = sipAddress(Enum(SIP_ADDRESS_TYPES, SIP_TYPE));

export const AddressSchema = Type.Object({
  type: Type.Optional(Type.String({ description: 'The type of address.', examples: ['work'] })),
  country: Type.Optional(Type.String({ description: "The user's country.", examples: ['US'] })),
  locality: Type.Optional(Type.String({ description: "The user's locality, often city." })),
  region: Type.Optional(Type.String({ description: "The user's region, often state." })),
  streetAddress: Type.Optional(Type.String({ description: "The user's street." })),
  postalCode: Type.Optional(Type.String({ description: "The user's postal or zip code." })),
});

const str = (description: string) => Type.Optional(Type.String({ description }));
const strings = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const PersonSchema = Type.Object(
  {
    id: Type.String({ description: 'A unique identifier for the person (hydra ID).' }),
    emails: Type.Array(Type.String(), { description: 'The email addresses of the person.' }),
    phoneNumbers: Type.Optional(
      Type.Array(phoneNumber(SerializedEnum(PHONE_NUMBER_TYPES, PHONE_TYPE)), {
        description: 'Phone numbers for the person.',
      }),
    ),
    extension: str('The Webex Calling extension. Only with callingData=true, for admins.'),
    locationId: str('The Webex Calling location ID. Only with callingData=true, for admins.'),
    displayName: Type.String({ description: 'The full name of the person.' }),
    nickName: str('The nickname of the person; absent when none is configured.'),
    firstName: str('The first name of the person.'),
    lastName: str('The last name of the person.'),
    avatar: str("The URL to the person's avatar in PNG format."),
    orgId: Type.String({ description: 'The ID of the organization to which this person belongs.' }),
    roles: strings('Role IDs of this admin user. Only for admins of the person’s org and the person.'),
    licenses: strings('License IDs allocated to this person. Same visibility as roles.'),
    department: str('The business department the user belongs to.'),
    manager: str('A manager identifier.'),
    managerId: str('Person ID of the manager.'),
    title: str("The person's title."),
    addresses: Type.Optional(Type.Array(AddressSchema, { description: "A person's addresses." })),
    created: Type.String({ description: 'When the person was created (ISO-8601, milliseconds).' }),
    lastModified: str('When the person was last changed (ISO-8601, milliseconds).'),
    timezone: str('The time zone of the person; absent when none is configured.'),
    lastActivity: str('Last activity within Webex. Presence: same visibility as status.'),
    siteUrls: strings('Site names where this user has a role (host or attendee).'),
    sipAddresses: Type.Optional(
      Type.Array(sipAddress(SerializedEnum(SIP_ADDRESS_TYPES, SIP_TYPE)), {
        description: "The user's SIP addresses.",
      }),
    ),
    xmppFederationJid: str('Identifier for intra-domain federation with other XMPP based messenger systems.'),
    status: Type.Optional(
      SerializedEnum(
        PRESENCE_STATUSES,
        'Presence; only for people of your org or an org it manages, with sharing on.',
      ),
    ),
    invitePending: Type.Optional(
      StringOrBooleanFlag('Whether an invite is pending. Only for admins of the person’s org.'),
    ),
    loginEnabled: Type.Optional(
      StringOrBooleanFlag('Whether the person may use Webex. Only for admins of the person’s org.'),
    ),
    type: SerializedEnum(PERSON_TYPES, 'The type of person account.'),
    userName: str('The login name (the primary email). Only on lists by id.'),
  },
  { $id: 'Person', description: 'A person in the directory, as the caller may see them.' },
);

export type Person = Static<typeof PersonSchema>;

/** `{$ref: 'Person'}` for route schemas, typed as a Person. */
export const PersonRef = Type.Unsafe<Person>(Type.Ref('Person'));

/** The body of List People: a page of people (and, for id= lists, the IDs not found). */
export const PersonCollection = Type.Object({
  items: Type.Array(PersonRef, { description: 'The people on this page.' }),
  notFoundIds: Type.Optional(
    Type.Array(Type.String(), { description: 'Requested IDs not found (id= lists).' }),
  ),
});
