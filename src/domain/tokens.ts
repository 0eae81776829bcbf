import { hash, randomBytes } from 'node:crypto';

/** Tokens are stored only as this hash. They are long random strings, so a plain SHA-256 is enough. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/**
 * A new bearer token. No underscores: the JS SDK takes a token of three `_`-separated parts for a
 * real Webex token and then calls Webex's own services to look up its org.
 */
export function generateToken(): string {
  return `rollcall-${randomBytes(32).toString('hex')}`;
}
