import { randomUUID } from 'node:crypto';
import type { PersonCreateBody, PersonUpdateBody } from '../schemas/person-input.js';
import type { Person } from '../schemas/person.js';
import type { PeopleStore } from './people-store.js';
import type { AuthService } from './auth-service.js';
import { canWriteIn, type Caller } from './caller.js';
import type { Clock } from './clock.js';
import { BadRequestError, ForbiddenError, MESSAGES, NotFoundError } from './errors.js';
import { resolveUuidRef } from './ids.js';
import type { PersonRecord } from './model.js';
import type { PersonPresenter } from './person-presenter.js';
import { writableFieldsOf } from './person-input.js';
import { isFullAdmin } from './roles.js';

export interface WriteOptions {
  callingData: boolean;
  minResponse: boolean;
}

export type WriteResult = Person | { id: string };

/** Create, Update and Delete a Person: full or user admins of the person's org (or a managing org). */
export class PeopleWriter {
  constructor(
    private readonly store: PeopleStore,
    private readonly presenter: PersonPresenter,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {}

  async create(caller: Caller, body: PersonCreateBody, options: WriteOptions): Promise<WriteResult> {
    requireWriter(caller);
    const orgId = body.orgId === undefined ? caller.person.orgId : resolveUuidRef('ORGANIZATION', body.orgId);
    if (orgId === undefined)
      throw new BadRequestError(
        `Invalid field 'orgId' in the request body: "${body.orgId}" is not an organization ID.`,
      );
    if (!canWriteIn(caller, orgId)) throw new ForbiddenError();
    const fields = writableFieldsOf(body, body.emails);
    requireFullAdminFor(caller, undefined, fields.roles);
    const now = this.clock.now();
    const person: PersonRecord = {
      id: randomUUID(),
      orgId,
      type: 'person',
      ...fields,
      // A new person is invited and has not signed in yet.
      sipAddresses: [],
      invitePending: true,
      loginEnabled: true,
      statusSharing: true,
      created: now,
      lastModified: now,
    };
    await this.store.createPerson(person);
    return this.result(person, caller, options);
  }

  async update(
    caller: Caller,
    personRef: string,
    body: PersonUpdateBody,
    options: WriteOptions,
  ): Promise<WriteResult> {
    requireWriter(caller);
    const existing = await this.findWritable(caller, personRef);
    const fields = writableFieldsOf(body, body.emails ?? existing.emails);
    requireFullAdminFor(caller, existing, fields.roles);
    // Full replacement of the writable fields; identity, creation, presence, sipAddresses, timezone,
    // xmppFederationJid and invitePending are read-only here and keep their values.
    const person: PersonRecord = {
      id: existing.id,
      orgId: existing.orgId,
      type: existing.type,
      ...fields,
      invitePending: existing.invitePending,
      loginEnabled:
        body.loginEnabled === undefined
          ? existing.loginEnabled
          : body.loginEnabled === true || body.loginEnabled === 'true',
      statusSharing: existing.statusSharing,
      sipAddresses: existing.sipAddresses,
      created: existing.created,
      lastModified: this.clock.now(),
    };
    for (const key of ['timezone', 'xmppFederationJid', 'presenceState', 'lastActivity'] as const) {
      if (existing[key] !== undefined) Object.assign(person, { [key]: existing[key] });
    }
    if (!(await this.store.updatePerson(person))) throw new NotFoundError(MESSAGES.personNotFound);
    this.auth.forgetPerson(person.id);
    return this.result(person, caller, options);
  }

  async delete(caller: Caller, personRef: string): Promise<void> {
    requireWriter(caller);
    const existing = await this.findWritable(caller, personRef);
    requireFullAdminFor(caller, existing, []);
    if (!(await this.store.deletePerson(existing.id))) throw new NotFoundError(MESSAGES.personNotFound);
    this.auth.forgetPerson(existing.id);
  }

  private async findWritable(caller: Caller, personRef: string): Promise<PersonRecord> {
    const id = resolveUuidRef('PEOPLE', personRef);
    const existing = id === undefined ? undefined : await this.store.getPerson(id);
    if (!existing) throw new NotFoundError(MESSAGES.personNotFound);
    if (!canWriteIn(caller, existing.orgId)) throw new ForbiddenError();
    return existing;
  }

  private result(person: PersonRecord, caller: Caller, options: WriteOptions): WriteResult {
    const view = this.presenter.present(person, caller, { callingData: options.callingData, presence: true });
    return options.minResponse ? { id: view.id } : view;
  }
}

/** Read-only admins, device admins and users may not write. */
function requireWriter(caller: Caller): void {
  if (caller.access !== 'write') throw new ForbiddenError();
}

/**
 * The full admin role is a full admin's to give and take (Webex: user admins cannot): only a full admin
 * may grant it, or change or delete a person who holds it (which would take it away or take the account).
 */
function requireFullAdminFor(
  caller: Caller,
  existing: PersonRecord | undefined,
  roles: readonly string[],
): void {
  if (isFullAdmin(caller.person.roles)) return;
  if (existing && isFullAdmin(existing.roles)) throw new ForbiddenError(MESSAGES.fullAdminTarget);
  if (isFullAdmin(roles)) throw new ForbiddenError(MESSAGES.fullAdminGrant);
}
