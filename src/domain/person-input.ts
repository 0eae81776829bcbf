import type { PersonCreateBody, PersonUpdateBody } from '../schemas/person-input.js';
import { isEmailAddress } from './email.js';
import { BadRequestError } from './errors.js';
import { resolveOpaqueRef, resolveUuidRef } from './ids.js';
import type { PersonRecord } from './model.js';
import { displayNameOf, resolveRoleRef, withoutDuplicateEmails } from './person-fields.js';

/** The fields a Create or an Update writes; everything else keeps its value or its default. */
export type WritableFields = Pick<
  PersonRecord,
  | 'emails'
  | 'displayName'
  | 'firstName'
  | 'lastName'
  | 'nickName'
  | 'avatar'
  | 'phoneNumbers'
  | 'extension'
  | 'locationId'
  | 'roles'
  | 'licenses'
  | 'department'
  | 'manager'
  | 'managerId'
  | 'title'
  | 'addresses'
  | 'siteUrls'
>;

/** Checks and resolves a request body; a bad value is a 400 naming the field. */
export function writableFieldsOf(body: PersonCreateBody | PersonUpdateBody, given: string[]): WritableFields {
  const emails = withoutDuplicateEmails(given);
  emails.forEach((email, i) => {
    if (!isEmailAddress(email)) throw invalid(`emails[${i}]`, `"${email}" is not an email address`);
  });
  const displayName = displayNameOf(body);
  if (!displayName) {
    throw new BadRequestError('One of displayName, firstName or lastName is required.');
  }
  const fields: WritableFields = {
    emails,
    displayName,
    phoneNumbers: body.phoneNumbers ?? [],
    roles: (body.roles ?? []).map((ref, i) => roleOf(ref, `roles[${i}]`)),
    licenses: (body.licenses ?? []).map((ref, i) => opaque('LICENSE', ref, `licenses[${i}]`)),
    addresses: body.addresses ?? [],
    siteUrls: body.siteUrls ?? [],
  };
  // Webex: nickName cannot be written; it follows firstName.
  if (body.firstName !== undefined) fields.firstName = fields.nickName = body.firstName;
  if (body.lastName !== undefined) fields.lastName = body.lastName;
  if (body.avatar !== undefined) fields.avatar = body.avatar;
  if (body.extension !== undefined) fields.extension = body.extension;
  if (body.locationId !== undefined) fields.locationId = opaque('LOCATION', body.locationId, 'locationId');
  if (body.department !== undefined) fields.department = body.department;
  if (body.manager !== undefined) fields.manager = body.manager;
  if (body.title !== undefined) fields.title = body.title;
  if (body.managerId !== undefined) {
    const managerId = resolveUuidRef('PEOPLE', body.managerId);
    if (managerId === undefined) throw invalid('managerId', `"${body.managerId}" is not a person ID`);
    fields.managerId = managerId;
  }
  return fields;
}

function roleOf(ref: string, field: string): string {
  const role = resolveRoleRef(ref);
  if (role === undefined) throw invalid(field, `"${ref}" is not a role ID`);
  return role;
}

function opaque(type: 'LICENSE' | 'LOCATION', ref: string, field: string): string {
  const value = resolveOpaqueRef(type, ref);
  if (value === undefined) throw invalid(field, `"${ref}" is not a ${type.toLowerCase()} ID`);
  return value;
}

function invalid(field: string, problem: string): BadRequestError {
  return new BadRequestError(`Invalid field '${field}' in the request body: ${problem}.`);
}
