import assert from 'node:assert/strict';
import type { TestServer } from './test-server.js';

// What the tests expect on the wire, written from the documentation rather than from src/: hydra IDs,
// timestamps, tracking IDs and the error body.

export type Json = Record<string, unknown>;

/** Unpadded URL-safe base64 of `ciscospark://us/<TYPE>/<id>` (the documented ID format). */
export function hydra(type: 'PEOPLE' | 'ORGANIZATION' | 'ROLE' | 'LICENSE' | 'LOCATION', id: string): string {
  return Buffer.from(`ciscospark://us/${type}/${id}`, 'utf8').toString('base64url');
}

/** ISO-8601 UTC, always with milliseconds. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A tracking ID the server made up itself. */
export const GENERATED_TRACKING_ID = /^ROLLCALL_[0-9A-F-]{36}$/;

export const MESSAGES = {
  unauthorized: 'The request requires a valid access token set in the Authorization request header.',
  personNotFound: 'Person not found.',
  resourceNotFound: 'The requested resource could not be found.',
  methodNotAllowed: 'The requested method is not supported for this resource.',
  internal: 'Something went wrong on the server. If the issue persists, contact the server administrator.',
  badCallingData: "Invalid value for query parameter 'callingData': must be true or false.",
};

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

/**
 * Asserts a complete error response: status, JSON content type, a trackingid header equal to the
 * body's trackingId, and the exact body. Returns the tracking ID.
 */
export function assertError(res: JsonResponse, status: number, message: string, where = ''): string {
  const trackingId = res.headers.get('trackingid');
  assert.ok(trackingId, `${where}: trackingid header missing`);
  assert.equal(res.status, status, `${where}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, where);
  assert.deepEqual(res.body, errorBody(message, trackingId), where);
  return trackingId;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
