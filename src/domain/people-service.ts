import type { Person } from '../schemas/person.js';
import type { PeopleStore } from '../store/people-store.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { Caller } from './caller.js';
import type { Clock } from './clock.js';
import { MESSAGES, NotFoundError } from './errors.js';
import { resolveUuidRef } from './ids.js';
import type { PersonRecord } from './model.js';
import { viewPerson } from './person-view.js';

export interface PeopleServiceSettings {
  flagsAsBooleans: boolean;
}

export interface ReadOptions {
  callingData: boolean;
}

/** Read use cases of the People resource: Get Person Details and Get My Own Details. */
export class PeopleService {
  constructor(
    private readonly store: PeopleStore,
    private readonly activity: ActivityTracker,
    private readonly clock: Clock,
    private readonly settings: PeopleServiceSettings,
  ) {}

  async getPerson(caller: Caller, personRef: string, options: ReadOptions): Promise<Person> {
    const id = resolveUuidRef('PEOPLE', personRef);
    const person = id === undefined ? undefined : await this.store.getPerson(id);
    if (!person) throw new NotFoundError(MESSAGES.personNotFound);
    return this.view(person, caller, options);
  }

  async getMe(caller: Caller, options: ReadOptions): Promise<Person> {
    const person = await this.store.getPerson(caller.person.id);
    if (!person) throw new NotFoundError(MESSAGES.personNotFound);
    return this.view(person, caller, options);
  }

  private view(person: PersonRecord, caller: Caller, options: ReadOptions): Person {
    return viewPerson(this.withPendingActivity(person), caller, {
      callingData: options.callingData,
      presence: true,
      flagsAsBooleans: this.settings.flagsAsBooleans,
      now: this.clock.now(),
    });
  }

  private withPendingActivity(person: PersonRecord): PersonRecord {
    const pending = this.activity.pendingFor(person.id);
    if (pending === undefined || (person.lastActivity ?? 0) >= pending) return person;
    return { ...person, lastActivity: pending };
  }
}
