import ms from 'ms';
import { systemClock } from '../domain/clock.js';
import { parseIsoTime } from '../lib/iso-time.js';
import { TokenService } from '../domain/token-service.js';
import { openStore } from '../store/open-store.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--expires` is an ISO date-time (with Z or an offset) or a duration from now: `90m`, `12h`, `30d`. */
export function parseExpiry(value: string, now: number): number {
  const duration = /^\d+(\.\d+)?\s*[a-z]+$/i.test(value)
    ? (ms(value as ms.StringValue) as number | undefined)
    : undefined;
  const at = duration !== undefined && duration > 0 ? now + duration : parseIsoTime(value);
  if (at === undefined) {
    throw new UsageError(
      `--expires: "${value}" is neither an ISO date-time with an offset nor a duration like 12h`,
    );
  }
  if (at <= now) throw new UsageError(`--expires: "${value}" is not in the future`);
  return at;
}

export async function createToken(options: {
  db: string;
  person: string;
  expires?: string;
}): Promise<string> {
  const expiresAt =
    options.expires === undefined ? undefined : parseExpiry(options.expires, systemClock.now());
  const store = openStore(options.db);
  try {
    return await new TokenService(store, systemClock).create(options.person, expiresAt);
  } finally {
    await store.close();
  }
}
