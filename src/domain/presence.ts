import type { PresenceStatus } from '../schemas/enums.js';
import type { PersonRecord } from './model.js';

/** "Active within the last 10 minutes"; "inactive" only once more than 10 minutes have passed. */
export const ACTIVE_WINDOW_MS = 10 * 60 * 1000;

export function derivePresenceStatus(
  person: Pick<PersonRecord, 'presenceState' | 'lastActivity' | 'type'>,
  now: number,
): PresenceStatus {
  if (person.presenceState) return person.presenceState;
  if (person.lastActivity === undefined) {
    // A bot never signs in, so "never signed in" tells nothing about it.
    return person.type === 'bot' ? 'unknown' : 'pending';
  }
  return now - person.lastActivity <= ACTIVE_WINDOW_MS ? 'active' : 'inactive';
}
