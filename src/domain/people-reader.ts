import type { Person } from '../schemas/person.js';
import type { PeopleStore } from './people-store.js';
import type { Caller } from './caller.js';
import { MESSAGES, NotFoundError } from './errors.js';
import { resolveUuidRef } from './ids.js';
import type { PersonPresenter } from './person-presenter.js';

export interface ReadOptions {
  callingData: boolean;
}

export interface ReaderSettings {
  /**
   * The store answers with the same record object for the same person until the person changes, so
   * the formatting of a person read one by one may be kept with the record (see person-view.ts).
   */
  rememberFormatting: boolean;
}

/** Get Person Details and Get My Own Details. */
export class PeopleReader {
  constructor(
    private readonly store: PeopleStore,
    private readonly presenter: PersonPresenter,
    private readonly settings: ReaderSettings,
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
      rememberFormatting: this.settings.rememberFormatting,
    });
  }
}
