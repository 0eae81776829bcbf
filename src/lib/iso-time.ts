// ISO-8601 date-times as Rollcall accepts them: a full date and time with an explicit offset (Z or
// ±HH:MM), so that no value depends on the server's time zone, and a date that exists (no 30 February).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const MINUTE_MS = 60_000;

/** Milliseconds since the epoch, or undefined when `value` is not such a date-time. */
export function parseIsoTime(value: string): number | undefined {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHour, offsetMinute] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  const h = Number(hour);
  const min = Number(minute);
  const s = second === undefined ? 0 : Number(second);
  const oh = offsetHour === undefined ? 0 : Number(offsetHour);
  const om = offsetMinute === undefined ? 0 : Number(offsetMinute);
  if (y < 100 || h > 23 || min > 59 || s > 59 || oh > 23 || om > 59) {
    // The rare forms (24:00, years that Date.UTC reads as 19xx, out-of-range offsets): as Date.parse says.
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  // Milliseconds are truncated, as Date.parse does with more than three digits.
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (oh * 60 + om);
  return Date.UTC(y, m - 1, d, h, min, s, ms) - offset * MINUTE_MS;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
