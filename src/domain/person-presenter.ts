import type { Person } from '../schemas/person.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { Caller } from './caller.js';
import type { Clock } from './clock.js';
import type { PersonRecord } from './model.js';
import { viewPerson, type ViewOptions } from './person-view.js';

export interface PresenterSettings {
  flagsAsBooleans: boolean;
}

/** Turns stored people into what a caller sees, with activity not yet flushed and the current time. */
export class PersonPresenter {
  constructor(
    private readonly activity: ActivityTracker,
    private readonly clock: Clock,
    private readonly settings: PresenterSettings,
  ) {}

  present(
    person: PersonRecord,
    caller: Caller,
    options: Pick<ViewOptions, 'callingData' | 'presence'> &
      Partial<Pick<ViewOptions, 'listById' | 'rememberFormatting'>>,
  ): Person {
    return viewPerson(person, caller, {
      listById: false,
      rememberFormatting: false,
      ...options,
      flagsAsBooleans: this.settings.flagsAsBooleans,
      now: this.clock.now(),
      lastActivity: this.activity.pendingFor(person.id),
    });
  }
}
