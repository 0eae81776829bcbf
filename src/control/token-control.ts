import type { AuthService } from '../domain/auth-service.js';
import { toIso, type Clock } from '../domain/clock.js';
import { BadRequestError, MESSAGES, NotFoundError } from '../domain/errors.js';
import { encodeHydraId } from '../domain/ids.js';
import { findPersonId } from '../domain/person-ref.js';
import { TokenService, UnknownPersonError } from '../domain/token-service.js';
import { hashToken } from '../domain/tokens.js';
import type { PeopleStore } from '../domain/people-store.js';
import { parseDuration, parseIsoTime } from './time-input.js';

export interface TokenGrant {
  token: string;
  personId: string;
  expires: string | null;
}

/** Mints and revokes person tokens on a running server; expiry follows the server's clock. */
export class TokenControl {
  private readonly tokens: TokenService;

  constructor(
    private readonly store: PeopleStore,
    private readonly clock: Clock,
    private readonly auth: AuthService,
  ) {
    this.tokens = new TokenService(store, clock);
  }

  /** `personRef`: hydra ID, UUID or email; `expires`: ISO date-time or a duration from now (12h). */
  async create(personRef: string, expires?: string): Promise<TokenGrant> {
    const expiresAt = expires === undefined ? undefined : this.expiryOf(expires);
    const personId = await findPersonId(this.store, personRef);
    if (personId === undefined) throw new NotFoundError(MESSAGES.personNotFound);
    const token = await this.tokens.create(personId, expiresAt).catch((error: unknown) => {
      // Deleted in the meantime.
      throw error instanceof UnknownPersonError ? new NotFoundError(MESSAGES.personNotFound) : error;
    });
    return {
      token,
      personId: encodeHydraId('PEOPLE', personId),
      expires: expiresAt === undefined ? null : toIso(expiresAt),
    };
  }

  /** The token stops working at once (on every instance sharing a PostgreSQL database). */
  async revoke(token: string): Promise<void> {
    const personId = await this.store.deleteToken(hashToken(token));
    if (personId === undefined) throw new NotFoundError(MESSAGES.tokenNotFound);
    this.auth.forgetPerson(personId);
  }

  private expiryOf(value: string): number {
    const now = this.clock.now();
    const at = /^\d{4}-/.test(value) ? parseIsoTime(value, 'expires') : now + parseDuration(value, 'expires');
    if (at <= now) {
      throw new BadRequestError(
        `Invalid field 'expires' in the request body: "${value}" is not in the future.`,
      );
    }
    return at;
  }
}
