import type { ActivityTracker } from '../domain/activity-tracker.js';
import type { AuthService } from '../domain/auth-service.js';
import { toIso, type Clock } from '../domain/clock.js';
import { MESSAGES, NotFoundError } from '../domain/errors.js';
import { encodeHydraId } from '../domain/ids.js';
import type { PersonRecord } from '../domain/model.js';
import type { ExplicitPresenceState, PresenceStatus } from '../schemas/enums.js';
import { findPersonId } from '../domain/person-ref.js';
import { derivePresenceStatus } from '../domain/presence.js';
import type { PeopleStore, StoredPresence } from '../domain/people-store.js';
import { parseIsoTime } from './time-input.js';

/** A partial update: an absent field keeps its value, `null` clears it. */
export interface PresenceChange {
  state?: ExplicitPresenceState | null;
  /** ISO date-time, or "now" (the server's clock). */
  lastActivity?: string | null;
  sharing?: boolean;
}

export interface PresenceView {
  personId: string;
  state: ExplicitPresenceState | null;
  lastActivity: string | null;
  sharing: boolean;
  status: PresenceStatus;
}

/** Reads and sets a person's presence as the control API sees it: stored state plus recent activity. */
export class PresenceControl {
  constructor(
    private readonly store: PeopleStore,
    private readonly clock: Clock,
    private readonly activity: ActivityTracker,
    private readonly auth: AuthService,
  ) {}

  async get(personRef: string): Promise<PresenceView> {
    const person = await this.find(personRef);
    const pending = this.activity.pendingFor(person.id);
    const lastActivity =
      pending !== undefined && pending > (person.lastActivity ?? 0) ? pending : person.lastActivity;
    return this.view(person, { ...person, lastActivity });
  }

  async set(personRef: string, change: PresenceChange): Promise<PresenceView> {
    // Activity still in memory is written first, so that it cannot overtake what is set here.
    await this.activity.flush();
    const person = await this.find(personRef);
    const presence: StoredPresence = {
      presenceState: change.state === undefined ? person.presenceState : (change.state ?? undefined),
      lastActivity:
        change.lastActivity === undefined ? person.lastActivity : this.timeOf(change.lastActivity),
      statusSharing: change.sharing ?? person.statusSharing,
    };
    if (!(await this.store.setPresence(person.id, presence)))
      throw new NotFoundError(MESSAGES.personNotFound);
    // What was just flushed is still remembered for reads; what is set here replaces it.
    this.activity.forget(person.id);
    // Status sharing is part of a cached caller.
    this.auth.forgetPerson(person.id);
    return this.view(person, presence);
  }

  private async find(personRef: string): Promise<PersonRecord> {
    const id = await findPersonId(this.store, personRef);
    const person = id === undefined ? undefined : await this.store.getPerson(id);
    if (!person) throw new NotFoundError(MESSAGES.personNotFound);
    return person;
  }

  private timeOf(value: string | null): number | undefined {
    if (value === null) return undefined;
    return value === 'now' ? this.clock.now() : parseIsoTime(value, 'lastActivity');
  }

  private view(person: PersonRecord, presence: StoredPresence): PresenceView {
    return {
      personId: encodeHydraId('PEOPLE', person.id),
      state: presence.presenceState ?? null,
      lastActivity: presence.lastActivity === undefined ? null : toIso(presence.lastActivity),
      sharing: presence.statusSharing,
      status: derivePresenceStatus({ ...presence, type: person.type }, this.clock.now()),
    };
  }
}
