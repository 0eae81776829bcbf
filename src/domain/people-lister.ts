import type { Person } from '../schemas/person.js';
import { cursorOf, type PeopleQuery, type PeopleStore } from './people-store.js';
import { isAdminOf, type Caller } from './caller.js';
import { BadRequestError, ForbiddenError, MESSAGES } from './errors.js';
import { decodeHydraId, encodeHydraId, resolveOpaqueRef, resolveUuidRef } from './ids.js';
import { decodeCursor, encodeCursor } from './list-cursor.js';
import type { PersonPresenter } from './person-presenter.js';
import { resolveRoleRef } from './person-fields.js';

export const MAX_IDS = 85;
const MAX_PAGE = 1000;
const MAX_PAGE_WITH_CALLING_DATA = 100;
const MAX_PAGE_WITH_LOCATION = 50;
const DEFAULT_PAGE = 100;

export interface ListParams {
  email?: string;
  displayName?: string;
  id?: string;
  orgId?: string;
  roles?: string;
  locationId?: string;
  callingData: boolean;
  excludeStatus: boolean;
  max?: number;
  after?: string;
}

export interface PersonPage {
  items: Person[];
  notFoundIds?: string[];
  /** Cursor of the next page; absent on the last one. */
  next?: string;
}

/** List People: filters, scope and paging by Webex's rules (see docs/adr/0003-list-people.md). */
export class PeopleLister {
  constructor(
    private readonly store: PeopleStore,
    private readonly presenter: PersonPresenter,
  ) {}

  async list(caller: Caller, given: ListParams): Promise<PersonPage> {
    const params = withoutEmptyValues(given);
    if (params.id !== undefined) return this.listByIds(caller, params);
    const admin = caller.access !== 'none';
    if (!admin && params.email === undefined && params.displayName === undefined) {
      throw new BadRequestError(MESSAGES.listNeedsFilter);
    }
    if (!admin && (params.roles !== undefined || params.locationId !== undefined)) throw new ForbiddenError();
    const limit = pageSize(params);
    const query: PeopleQuery = { orgIds: this.scope(caller, params), limit: limit + 1 };
    if (params.email !== undefined) query.email = params.email;
    if (params.displayName !== undefined) query.displayNamePrefix = params.displayName;
    if (params.roles !== undefined) query.roles = splitList(params.roles).map(roleOf);
    if (params.locationId !== undefined) query.locationId = locationOf(params.locationId);
    if (params.after !== undefined) query.after = decodeCursor(params.after);

    const found = await this.store.listPeople(query);
    const page = found.slice(0, limit);
    const options = { callingData: params.callingData, presence: !params.excludeStatus };
    const result: PersonPage = { items: page.map((p) => this.presenter.present(p, caller, options)) };
    const last = page.at(-1);
    if (found.length > limit && last) result.next = encodeCursor(cursorOf(last));
    return result;
  }

  /** By `id=`: anyone in the directory, in the order asked, every missing ID in notFoundIds. */
  private async listByIds(caller: Caller, params: ListParams): Promise<PersonPage> {
    const refs = [...new Set(splitList(params.id ?? ''))];
    if (refs.length > MAX_IDS) {
      throw new BadRequestError(`Too many IDs in query parameter 'id': at most ${MAX_IDS} are allowed.`);
    }
    const idOf = new Map(refs.map((ref) => [ref, resolveUuidRef('PEOPLE', ref)]));
    const ids = [...idOf.values()].filter((id) => id !== undefined);
    const people = new Map((await this.store.getPeople(ids)).map((p) => [p.id, p]));
    const options = { callingData: params.callingData, presence: false, listById: true };
    const items: Person[] = [];
    const notFoundIds: string[] = [];
    const seen = new Set<string>();
    for (const ref of refs) {
      const id = idOf.get(ref);
      const person = id === undefined ? undefined : people.get(id);
      if (!person) notFoundIds.push(asSdkFingerprint(ref));
      else if (!seen.has(person.id)) {
        seen.add(person.id);
        items.push(this.presenter.present(person, caller, options));
      }
    }
    return { items, notFoundIds };
  }

  /** Which orgs a list searches. */
  private scope(caller: Caller, params: ListParams): string[] {
    const own = caller.person.orgId;
    if (params.orgId !== undefined) {
      const orgId = resolveUuidRef('ORGANIZATION', params.orgId);
      if (orgId === own) return [own];
      if (orgId === undefined || !isAdminOf(caller, orgId)) {
        throw new ForbiddenError(
          'orgId is only for admins of an organization that manages that organization.',
        );
      }
      return [orgId];
    }
    if (params.roles !== undefined || (params.email === undefined && params.displayName === undefined)) {
      return [own];
    }
    return [...caller.nearOrgs];
  }
}

/** `?displayName=` (empty) filters nothing: it is no filter at all, like every other empty value. */
function withoutEmptyValues(params: ListParams): ListParams {
  return Object.fromEntries(
    Object.entries(params).filter(([, value]) => value !== ''),
  ) as unknown as ListParams;
}

/**
 * A missing ID as the official JS SDK matches it: its batcher sends IDs as given but waits for each
 * under `inferPersonIdFromUuid(id)` — the ID itself when it is a hydra ID, else the PEOPLE hydra ID
 * built from it — and would wait forever for any other form.
 */
function asSdkFingerprint(ref: string): string {
  return decodeHydraId(ref) ? ref : encodeHydraId('PEOPLE', ref);
}

function pageSize(params: ListParams): number {
  const cap =
    params.locationId !== undefined
      ? MAX_PAGE_WITH_LOCATION
      : params.callingData
        ? MAX_PAGE_WITH_CALLING_DATA
        : MAX_PAGE;
  return Math.min(params.max ?? DEFAULT_PAGE, cap);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function roleOf(ref: string): string {
  const role = resolveRoleRef(ref);
  if (role === undefined) {
    throw new BadRequestError(`Invalid value for query parameter 'roles': "${ref}" is not a role ID.`);
  }
  return role;
}

function locationOf(ref: string): string {
  const value = resolveOpaqueRef('LOCATION', ref);
  if (value === undefined) {
    throw new BadRequestError(
      `Invalid value for query parameter 'locationId': "${ref}" is not a location ID.`,
    );
  }
  return value;
}
