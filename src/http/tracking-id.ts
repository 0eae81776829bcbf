import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_TRACKING_ID = /^[\x21-\x7e]{1,200}$/;

/** The tracking ID given to each request, for answers written outside Fastify (see client-errors.ts). */
const given = new WeakMap<IncomingMessage, string>();

/** The client's `trackingid` header when it sent a sane one, else a new one (see newTrackingId). */
export function trackingIdOf(request: IncomingMessage): string {
  const sent = request.headers.trackingid;
  const id = typeof sent === 'string' && SAFE_TRACKING_ID.test(sent) ? sent : newTrackingId();
  given.set(request, id);
  return id;
}

/** The tracking ID trackingIdOf gave `request`, or a new one if it gave none. */
export function trackingIdGiven(request: IncomingMessage | undefined): string {
  return (request && given.get(request)) ?? newTrackingId();
}

/** `ROLLCALL_<UUID>`: the tracking ID of an answer to a request that did not bring its own. */
export function newTrackingId(): string {
  return `ROLLCALL_${randomUUID().toUpperCase()}`;
}
