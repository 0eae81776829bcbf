import assert from 'node:assert/strict';
import http from 'node:http';
import type { AppSettings } from '../../src/app.js';
import type { DirectoryFile } from '../../src/directory/directory-file-schema.js';
import type { PersonRecord } from '../../src/domain/model.js';
import type { TestServer } from './test-server.js';
import { derivedStatus, expectedPerson, type PersonEntry, type ViewOptions } from './visibility-oracle.js';
import { iso, type Json } from './wire.js';

export type { PersonEntry, ViewOptions } from './visibility-oracle.js';

// Shared by list-people, pagination, write-people, request-bodies and atomic-writes tests: raw HTTP
// (node:http, so Host, Content-Type and Content-Length are exactly what a test says), and a directory
// whose expected views come from the visibility oracle (visibility-oracle.ts) with the presence that
// the test's own requests make.

export const NOW = Date.parse('2026-01-15T12:00:00.000Z');

/**
 * Server settings for these tests: no load shedding. On a busy machine (several test processes on
 * few CPUs) the event-loop-delay check answers 503 at random, which is not what these tests test.
 */
export const TEST_SETTINGS: Partial<AppSettings> = { maxEventLoopDelayMs: 0 };

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
    const seeded = target.presence?.lastActivity;
    const tracked = this.activity.get(target.id);
    const times = [seeded === undefined ? undefined : Date.parse(seeded), tracked].filter(
      (t): t is number => t !== undefined,
    );
    const last = times.length > 0 ? Math.max(...times) : undefined;
    return expectedPerson({
      orgs: this.file.orgs,
      caller,
      target,
      presence: {
        status: derivedStatus(target, last, now),
        ...(last !== undefined && { lastActivity: iso(last) }),
      },
      loadedAt: this.loadedAt,
      options,
    });
  }

  /** A list body: `people` in the list order, as `caller` sees them. */
  list(people: PersonEntry[], caller: PersonEntry, now: number, options: ViewOptions = {}): Json {
    return { items: sortPeople(people).map((p) => this.view(p, caller, now, options)) };
  }
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
