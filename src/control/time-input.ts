import ms from 'ms';
import { BadRequestError } from '../domain/errors.js';
import { parseIsoTime as parseIso } from '../lib/iso-time.js';

// Times and durations in control request bodies, with the 400 that names the field.

/** Milliseconds since the epoch of an ISO-8601 date-time with a zone, such as 2026-01-15T12:00:00Z. */
export function parseIsoTime(value: string, field: string): number {
  const at = parseIso(value);
  if (at === undefined) {
    throw new BadRequestError(
      `Invalid field '${field}' in the request body: "${value}" is not an ISO-8601 date-time with a time zone, e.g. 2026-01-15T12:00:00Z.`,
    );
  }
  return at;
}

/** Milliseconds of a duration such as 15m, 90s, 2h, 1d or -5m (a bare number is milliseconds). */
export function parseDuration(value: string, field: string): number {
  const amount = /^-?\d/.test(value.trim())
    ? (ms(value.trim() as ms.StringValue) as number | undefined)
    : undefined;
  if (amount === undefined || !Number.isFinite(amount)) {
    throw new BadRequestError(
      `Invalid field '${field}' in the request body: "${value}" is not a duration such as 15m, 90s, 2h or -5m.`,
    );
  }
  return amount;
}
