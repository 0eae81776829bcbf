import assert from 'node:assert/strict';
import http from 'node:http';
import type { AppSettings } from '../../src/app.js';
import type { DirectoryFile, DirectoryPersonEntry } from '../../src/directory/directory-file-schema.js';
import type { PersonRecord } from '../../src/domain/model.js';
import type { TestServer } from './test-server.js';

// Shared by list-people, pagination, write-people, request-bodies and atomic-writes tests: raw HTTP
// (node:http, so Host, Content-Type and Content-Length are exactly what a test says), the documented
// error body, hydra IDs, and a model of what a caller may see of a person, written from
// docs/people-api.md Part A ("Who sees what", "Presence status", "Lists") rather than from src/.

export type Json = Record<string, unknown>;

export const NOW = Date.parse('2026-01-15T12:00:00.000Z');

/**
 * Server settings for these tests: no load shedding. On a busy machine (several test processes on
 * few CPUs) the event-loop-delay check answers 503 at random, which is not what these tests test.
 */
export const TEST_SETTINGS: Partial<AppSettings> = { maxEventLoopDelayMs: 0 };

/** Messages Rollcall keeps in its one table of stable texts. */
export const MESSAGES = {
  unauthorized: 'The request requires a valid access token set in the Authorization request header.',
  forbidden: 'The request is understood, but it has been refused or access is not allowed.',
  personNotFound: 'Person not found.',
  listNeedsFilter: 'Email, displayName, or id list should be specified.',
  fullAdminGrant: 'Only a full administrator may grant the full administrator role.',
  fullAdminTarget: 'Only a full administrator may change or delete a full administrator.',
  invalidJson: 'The request body is not valid JSON.',
  tooLarge: 'The request body is too large.',
  unsupportedMediaType: 'Unsupported media type: the request body must be JSON (application/json).',
  emailTaken: (email: string) => `A person with the email address ${email} already exists.`,
  missingField: (field: string) => `Missing required field '${field}' in the request body.`,
} as const;

export type HydraType = 'PEOPLE' | 'ORGANIZATION' | 'ROLE' | 'LICENSE' | 'LOCATION';

/** Unpadded URL-safe base64 of `ciscospark://us/<TYPE>/<id>` (the documented ID format). */
export function hydra(type: HydraType, id: string): string {
  return Buffer.from(`ciscospark://us/${type}/${id}`, 'utf8').toString('base64url');
}

/** The same ID in padded, standard-alphabet base64 (also accepted on input). */
export function paddedHydra(type: HydraType, id: string): string {
  return Buffer.from(`ciscospark://us/${type}/${id}`, 'utf8').toString('base64');
}

/** The inner value of a hydra ID of `type`; fails the test for anything else. */
export function unhydra(type: HydraType, value: unknown): string {
  assert.equal(typeof value, 'string');
  assert.match(value as string, /^[A-Za-z0-9_-]+$/, 'a hydra ID is unpadded URL-safe base64');
  const decoded = Buffer.from(value as string, 'base64url').toString('utf8');
  const prefix = `ciscospark://us/${type}/`;
  assert.ok(decoded.startsWith(prefix), `${decoded} is not a ${type} ID`);
  return decoded.slice(prefix.length);
}

/**
 * How an ID not found by `?id=` comes back in notFoundIds: as the official JS SDK waits for it
 * (`inferPersonIdFromUuid`): unchanged when it already decodes to a `ciscospark://` URI, else the
 * PEOPLE hydra ID built from it.
 */
export function sdkFingerprint(ref: string): string {
  return Buffer.from(ref, 'base64').toString('utf8').includes('ciscospark://')
    ? ref
    : Buffer.from(`ciscospark://us/PEOPLE/${ref}`, 'utf8').toString('base64url');
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `n`-th UUID of a family, e.g. uuid(0xa, 3) → 0000000a-0000-4000-8000-000000000003. */
export function uuid(family: number, n: number): string {
  return `${family.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Makes directory people with the IDs uuid(family, 1), uuid(family, 2), … in the order made, one email,
 * and the given dates.
 */
export function personMaker(family: number, dates: { created: string; lastModified: string }) {
  let n = 0;
  return (
    orgId: string,
    displayName: string,
    email: string,
    extra: Partial<PersonEntry> = {},
  ): PersonEntry => ({
    id: uuid(family, ++n),
    orgId,
    emails: [email],
    displayName,
    ...dates,
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------------
// HTTP

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  text: string;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface SendOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is; with no content-type header unless one is given. */
  body?: string | Buffer;
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sends the body in chunks, without Content-Length. */
  chunked?: boolean;
  agent?: http.Agent;
}

/** One request over real HTTP to `base` (e.g. server.url); the whole body is read. */
export function send(base: string, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  let payload = options.body;
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined && options.chunked !== true) {
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          text,
          body: text === '' ? undefined : (JSON.parse(text) as unknown),
        });
      });
    });
    // A server may answer (413) before it has read the whole body and close the connection; the
    // answer is what counts, so a write error after it is ignored.
    let answered = false;
    request.on('response', () => (answered = true));
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (options.chunked === true && payload !== undefined) {
      request.write(payload);
      request.end();
    } else {
      request.end(payload);
    }
  });
}

/** Every value of a response header, however many times it was sent. */
export function headerValues(reply: Reply, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    if (reply.rawHeaders[i]?.toLowerCase() === name) values.push(reply.rawHeaders[i + 1] ?? '');
  }
  return values;
}

export function assertJson(reply: Reply, where = ''): void {
  assert.match(String(reply.headers['content-type']), /^application\/json; charset=utf-8$/i, where);
}

/** 200 with JSON; returns the body. */
export function ok(reply: Reply, where = ''): unknown {
  assert.equal(reply.status, 200, `${where}: ${reply.text}`);
  assertJson(reply, where);
  return reply.body;
}

/**
 * A complete error response: status, JSON, a trackingid header equal to the body's trackingId and
 * exactly `{message, errors: [{description}], trackingId}`. A RegExp is matched, then the whole body
 * is compared with the text it matched. The description is the message unless given.
 */
export function assertError(
  reply: Reply,
  status: number,
  message: string | RegExp,
  where = '',
  description: string | RegExp = message,
): void {
  assert.equal(reply.status, status, `${where}: ${reply.text}`);
  assertJson(reply, where);
  const trackingId = reply.headers.trackingid;
  assert.equal(typeof trackingId, 'string', `${where}: trackingid header`);
  const body = reply.body as { message?: unknown; errors?: { description?: unknown }[] } | undefined;
  const matched = (expected: string | RegExp, actual: unknown): unknown => {
    if (typeof expected === 'string') return expected;
    assert.equal(typeof actual, 'string', where);
    assert.match(actual as string, expected, where);
    return actual;
  };
  assert.deepEqual(
    reply.body,
    {
      message: matched(message, body?.message),
      errors: [{ description: matched(description, body?.errors?.[0]?.description) }],
      trackingId,
    },
    `${where}: error body`,
  );
}

/** The query string of a `Link: <url>; rel="next"` header, parsed; fails unless there is exactly one. */
export function nextLink(reply: Reply): URL | undefined {
  const values = headerValues(reply, 'link');
  if (values.length === 0) return undefined;
  assert.equal(values.length, 1, `one Link header: ${values.join(' | ')}`);
  const match = /^<([^<>]+)>; rel="next"$/.exec(values[0] ?? '');
  assert.ok(match, `one link with rel="next": ${values[0]}`);
  return new URL(match[1] as string);
}

/** Path and query of a next link, to send to the test server. */
export function pathOf(link: URL): string {
  return `${link.pathname}${link.search}`;
}

// ---------------------------------------------------------------------------------------------------
// Directory and visibility model

export type PersonEntry = DirectoryPersonEntry & { id: string; displayName: string };

export const ADMIN_ROLES = ['id_full_admin', 'id_user_admin', 'id_readonly_admin'];
export const WRITER_ROLES = ['id_full_admin', 'id_user_admin'];
const ACTIVE_WINDOW_MS = 10 * 60 * 1000;

export interface ViewOptions {
  callingData?: boolean;
  listById?: boolean;
  excludeStatus?: boolean;
}

/**
 * A directory file and what each caller may see of each person in it. Requests made through `call`
 * with `as` count as activity of that person (Part A: a request with a person's own token is
 * activity), so presence stays predictable as a test goes on.
 */
export class DirectoryModel {
  private readonly activity = new Map<string, number>();

  constructor(
    readonly file: { orgs: DirectoryFile['orgs']; people: PersonEntry[] },
    /** The server clock when the directory was loaded: the default created/lastModified. */
    readonly loadedAt: number = NOW,
  ) {}

  byEmail(email: string): PersonEntry {
    const found = this.file.people.find((p) => p.emails[0] === email);
    assert.ok(found, `no fixture ${email}`);
    return found;
  }

  inOrg(orgId: string): PersonEntry[] {
    return this.file.people.filter((p) => p.orgId === orgId);
  }

  /** The caller's org and the orgs it manages. */
  nearOrgs(caller: PersonEntry): Set<string> {
    const org = this.file.orgs.find((o) => o.id === caller.orgId);
    return new Set([caller.orgId, ...(org?.manages ?? [])]);
  }

  isAdminOf(caller: PersonEntry, orgId: string): boolean {
    const admin = (caller.roles ?? []).some((r) => ADMIN_ROLES.includes(r));
    return admin && this.nearOrgs(caller).has(orgId);
  }

  touch(person: PersonEntry, at: number): void {
    this.activity.set(person.id, Math.max(this.activity.get(person.id) ?? at, at));
  }

  /** A request as `as` (with their first token); counts as their activity unless answered 401. */
  async call(
    server: TestServer,
    method: string,
    path: string,
    as: PersonEntry,
    options: Omit<SendOptions, 'token'> = {},
  ): Promise<Reply> {
    const token = tokenOf(as);
    const at = server.clock.now();
    const reply = await send(server.url, method, path, { ...options, token });
    if (reply.status !== 401) this.touch(as, at);
    return reply;
  }

  /** What `caller` sees of `target` at server time `now`. */
  view(target: PersonEntry, caller: PersonEntry, now: number, options: ViewOptions = {}): Json {
    const admin = this.isAdminOf(caller, target.orgId);
    const self = caller.id === target.id;
    const calling = options.callingData === true && admin;
    const created = target.created ?? iso(this.loadedAt);
    const view: Json = {
      id: hydra('PEOPLE', target.id),
      emails: target.emails,
      displayName: target.displayName,
      orgId: hydra('ORGANIZATION', target.orgId),
      created,
      lastModified: target.lastModified ?? created,
      type: target.type ?? 'person',
    };
    const callingUser = target.extension !== undefined || target.locationId !== undefined;
    const phones = (target.phoneNumbers ?? []).filter(
      (n) => calling || (n.type !== 'work_extension' && !(callingUser && n.type === 'work')),
    );
    if (phones.length > 0) view.phoneNumbers = phones;
    if (calling && target.extension !== undefined) view.extension = target.extension;
    if (calling && target.locationId !== undefined) view.locationId = hydra('LOCATION', target.locationId);
    for (const key of [
      'nickName',
      'firstName',
      'lastName',
      'avatar',
      'department',
      'manager',
      'title',
      'timezone',
      'xmppFederationJid',
    ] as const) {
      if (target[key] !== undefined) view[key] = target[key];
    }
    if (target.managerId !== undefined) view.managerId = hydra('PEOPLE', target.managerId);
    for (const key of ['addresses', 'siteUrls', 'sipAddresses'] as const) {
      if ((target[key] ?? []).length > 0) view[key] = target[key];
    }
    if ((admin || self) && options.listById !== true) {
      if ((target.roles ?? []).length > 0) view.roles = (target.roles ?? []).map((r) => hydra('ROLE', r));
      if ((target.licenses ?? []).length > 0) {
        view.licenses = (target.licenses ?? []).map((l) => hydra('LICENSE', l));
      }
    }
    const presence =
      options.excludeStatus !== true &&
      options.listById !== true &&
      this.nearOrgs(caller).has(target.orgId) &&
      caller.presence?.sharing !== false &&
      target.presence?.sharing !== false;
    if (presence) {
      const seeded = target.presence?.lastActivity;
      const tracked = this.activity.get(target.id);
      const times = [seeded === undefined ? undefined : Date.parse(seeded), tracked].filter(
        (t): t is number => t !== undefined,
      );
      const last = times.length > 0 ? Math.max(...times) : undefined;
      if (last !== undefined) view.lastActivity = iso(last);
      view.status =
        target.presence?.state ??
        (last === undefined
          ? target.type === 'bot'
            ? 'unknown'
            : 'pending'
          : now - last <= ACTIVE_WINDOW_MS
            ? 'active'
            : 'inactive');
    }
    if (options.listById === true) view.userName = target.emails[0];
    if (admin) {
      view.invitePending = String(flag(target.invitePending, false));
      view.loginEnabled = String(flag(target.loginEnabled, true));
    }
    return view;
  }

  /** A list body: `people` in the list order, as `caller` sees them. */
  list(people: PersonEntry[], caller: PersonEntry, now: number, options: ViewOptions = {}): Json {
    return { items: sortPeople(people).map((p) => this.view(p, caller, now, options)) };
  }
}

function flag(value: boolean | 'true' | 'false' | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value === true || value === 'true';
}

export function tokenOf(person: PersonEntry): string {
  const token = person.tokens?.[0];
  assert.ok(typeof token === 'string', `${person.displayName} has no token`);
  return token;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** List order: display name case-insensitively, then ID (the server's stable sort key). */
export function sortPeople<T extends { displayName: string; id: string }>(people: readonly T[]): T[] {
  return [...people].sort(
    (a, b) => compare(a.displayName.toLowerCase(), b.displayName.toLowerCase()) || compare(a.id, b.id),
  );
}

/** Everyone in the store, without presence activity (which requests themselves move). */
export async function peopleSnapshot(server: TestServer): Promise<Omit<PersonRecord, 'lastActivity'>[]> {
  const { people } = await server.store.readDirectory();
  return people.map((person) => {
    const copy: Partial<PersonRecord> = { ...person };
    delete copy.lastActivity;
    return copy as Omit<PersonRecord, 'lastActivity'>;
  });
}
