import { Type, type StringOptions } from '@sinclair/typebox';

// Text a request may write: bounded, and kept exactly as sent by every store. Control characters
// (NUL among them) and unpaired surrogates are refused: PostgreSQL cannot store NUL, and an unpaired
// surrogate would be stored as U+FFFD while the answer echoed it.

/** No control characters (U+0000–U+001F, U+007F) and no unpaired surrogates. */
export const SINGLE_LINE = '^[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]*$';
/** The same, but tabs and line breaks are allowed (a street address may take several lines). */
export const MULTI_LINE = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uD800-\\uDFFF]*$';

/** What a 400 says of a value that does not match one of the patterns above. */
export const TEXT_PROBLEMS: Readonly<Record<string, string>> = {
  [SINGLE_LINE]: 'must not contain control characters or unpaired surrogates',
  [MULTI_LINE]: 'must not contain control characters other than tabs and line breaks, or unpaired surrogates',
};

/** The longest values accepted, in characters (code points). */
export const MAX_LENGTH = {
  name: 256,
  id: 512,
  url: 2048,
  email: 254,
  phoneNumber: 64,
  extension: 64,
  short: 64,
  streetAddress: 1024,
} as const;

/** How many items a list in a request body may hold. */
export const MAX_ITEMS = {
  emails: 10,
  phoneNumbers: 20,
  addresses: 10,
  roles: 20,
  licenses: 100,
  siteUrls: 100,
} as const;

export const Text = (maxLength: number, options: StringOptions = {}) =>
  Type.String({ maxLength, pattern: SINGLE_LINE, ...options });
