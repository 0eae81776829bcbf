// Errors that say the database cannot be reached right now, as opposed to a query that is wrong: the API
// answers them with 503 and Retry-After (a client should back off and retry), not 500.

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const PG_UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);
/** SQLSTATE class 08: connection exception. */
const PG_CONNECTION_CLASS = '08';

/** pg's own errors for a lost or unobtainable connection carry no code, only these messages. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
];

/** SQLite result codes (with their extended variants, e.g. SQLITE_IOERR_WRITE). */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|IOERR|CANTOPEN)(_|$)/;

export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || PG_UNAVAILABLE_CODES.has(code) || SQLITE_UNAVAILABLE.test(code))
        return true;
      if (code.length === 5 && code.startsWith(PG_CONNECTION_CLASS)) return true;
    }
    if (PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(e.message))) return true;
  }
  return false;
}
