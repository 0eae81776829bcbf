// The closed sets of values a Person field takes. They live with the schemas that publish them; the
// domain's records (domain/model.ts) use their types, so that schemas import nothing from the domain.

export const PHONE_NUMBER_TYPES = ['work', 'work_extension', 'mobile', 'fax'] as const;
export const SIP_ADDRESS_TYPES = ['personal-room', 'enterprise', 'cloud-calling'] as const;
export const PERSON_TYPES = ['person', 'bot', 'appuser'] as const;
/** States a person (or a calendar or calling service) sets explicitly; they win over activity. */
export const EXPLICIT_PRESENCE_STATES = [
  'call',
  'meeting',
  'presenting',
  'DoNotDisturb',
  'OutOfOffice',
  'unknown',
] as const;
export const PRESENCE_STATUSES = [
  'active',
  'call',
  'DoNotDisturb',
  'inactive',
  'meeting',
  'OutOfOffice',
  'pending',
  'presenting',
  'unknown',
] as const;

export type PhoneNumberType = (typeof PHONE_NUMBER_TYPES)[number];
export type SipAddressType = (typeof SIP_ADDRESS_TYPES)[number];
export type PersonType = (typeof PERSON_TYPES)[number];
export type ExplicitPresenceState = (typeof EXPLICIT_PRESENCE_STATES)[number];
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];
