import type { PeopleStore } from './people-store.js';
import type { Clock } from './clock.js';
import { findPersonId } from './person-ref.js';
import { generateToken, hashToken } from './tokens.js';

export class UnknownPersonError extends Error {
  override name = 'UnknownPersonError';
}

/** Mints bearer tokens for people; only their hashes are stored. */
export class TokenService {
  constructor(
    private readonly store: PeopleStore,
    private readonly clock: Clock,
  ) {}

  /** `person` is a hydra ID, a UUID or an email address. Returns the plain token, shown once. */
  async create(person: string, expiresAt?: number): Promise<string> {
    const personId = await findPersonId(this.store, person);
    if (!personId) throw new UnknownPersonError(`No person with id or email "${person}".`);
    const token = generateToken();
    const record = { hash: hashToken(token), personId, ...(expiresAt !== undefined && { expiresAt }) };
    await this.store.addToken(record, this.clock.now());
    return token;
  }
}
