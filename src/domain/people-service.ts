import type { Person } from '../schemas/person.js';
import type { PeopleStore } from './people-store.js';
import type { Caller } from './caller.js';
import { MESSAGES, NotFoundError } from './errors.js';
import { resolveUuidRef } from './ids.js';
import type { PersonPresenter } from './person-presenter.js';

export interface ReadOptions {
  callingData: boolean;
}

/** Get Person Details and Get My Own Details. */
export class PeopleService {
  constructor(
    private readonly store: PeopleStore,
    private readonly presenter: PersonPresenter,
  ) {}

  async getPerson(caller: Caller, personRef: string, options: ReadOptions): Promise<Person> {
    const id = resolveUuidRef('PEOPLE', personRef);
    return this.present(id === undefined ? undefined : id, caller, options);
  }

  async getMe(caller: Caller, options: ReadOptions): Promise<Person> {
    return this.present(caller.person.id, caller, options);
  }

  private async present(id: string | undefined, caller: Caller, options: ReadOptions): Promise<Person> {
    const person = id === undefined ? undefined : await this.store.getPerson(id);
    if (!person) throw new NotFoundError(MESSAGES.personNotFound);
    return this.presenter.present(person, caller, {
      callingData: options.callingData,
      presence: true,
      rememberFormatting: this.store.keepsPeople === true,
    });
  }
}
