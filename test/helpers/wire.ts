import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import type { TestServer } from './test-server.js';

// What the tests expect on the wire, written from the documentation rather than from src/: hydra IDs,
// timestamps, tracking IDs, the stable messages and the error body. The one copy of each for all tests.

export type Json = Record<string, unknown>;

export type HydraType = 'PEOPLE' | 'ORGANIZATION' | 'ROLE' | 'LICENSE' | 'LOCATION' | 'ROOM';

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

/** ISO-8601 UTC, always with milliseconds. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A tracking ID the server made up itself. */
export const GENERATED_TRACKING_ID = /^ROLLCALL_[0-9A-F-]{36}$/;

/** Messages Rollcall keeps in its one table of stable texts. */
export const MESSAGES = {
  unauthorized: 'The request requires a valid access token set in the Authorization request header.',
  forbidden: 'The request is understood, but it has been refused or access is not allowed.',
  personNotFound: 'Person not found.',
  resourceNotFound: 'The requested resource could not be found.',
  methodNotAllowed: 'The requested method is not supported for this resource.',
  internal: 'Something went wrong on the server. If the issue persists, contact the server administrator.',
  badCallingData: "Invalid value for query parameter 'callingData': must be true or false.",
  listNeedsFilter: 'Email, displayName, or id list should be specified.',
  fullAdminGrant: 'Only a full administrator may grant the full administrator role.',
  fullAdminTarget: 'Only a full administrator may change or delete a full administrator.',
  invalidJson: 'The request body is not valid JSON.',
  tooLarge: 'The request body is too large.',
  unsupportedMediaType: 'Unsupported media type: the request body must be JSON (application/json).',
  emailTaken: (email: string) => `A person with the email address ${email} already exists.`,
  missingField: (field: string) => `Missing required field '${field}' in the request body.`,
} as const;

export interface JsonResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** One request over HTTP; the body is read and parsed as JSON. */
export async function call(
  server: TestServer,
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<JsonResponse> {
  const res = await server.request(path, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** GET that must answer 200 with JSON; returns the body. */
export async function getOk(server: TestServer, path: string, token: string): Promise<unknown> {
  const res = await call(server, path, { token });
  assert.equal(res.status, 200, `GET ${path}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return res.body;
}

/** The documented error body: `{message, errors: [{description}], trackingId}`. */
export function errorBody(message: string, trackingId: string, description: string = message): Json {
  return { message, errors: [{ description }], trackingId };
}

/** A response as either HTTP client of the tests reads it (fetch's Headers, or node:http's). */
export interface AnyResponse {
  status: number;
  headers: Headers | IncomingHttpHeaders;
  body: unknown;
}

function header(res: AnyResponse, name: string): string | undefined {
  const value = res.headers instanceof Headers ? res.headers.get(name) : res.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Asserts a complete error response: status, JSON content type, a trackingid header equal to the
 * body's trackingId, and exactly `{message, errors: [{description}], trackingId}`. A RegExp is
 * matched, then the whole body is compared with the text it matched. The description is the message
 * unless given. Returns the tracking ID.
 */
export function assertError(
  res: AnyResponse,
  status: number,
  message: string | RegExp,
  where = '',
  description: string | RegExp = message,
): string {
  assert.equal(res.status, status, `${where}: ${JSON.stringify(res.body)}`);
  assert.match(header(res, 'content-type') ?? '', /^application\/json; charset=utf-8$/i, where);
  const trackingId = header(res, 'trackingid');
  assert.ok(trackingId, `${where}: trackingid header missing`);
  const body = res.body as { message?: unknown; errors?: { description?: unknown }[] } | undefined;
  const matched = (expected: string | RegExp, actual: unknown): unknown => {
    if (typeof expected === 'string') return expected;
    assert.equal(typeof actual, 'string', where);
    assert.match(actual as string, expected, where);
    return actual;
  };
  assert.deepEqual(
    res.body,
    {
      message: matched(message, body?.message),
      errors: [{ description: matched(description, body?.errors?.[0]?.description) }],
      trackingId,
    },
    `${where}: error body`,
  );
  return trackingId;
}
