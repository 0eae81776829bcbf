import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_TRACKING_ID = /^[\x21-\x7e]{1,200}$/;

/** The client's `trackingid` header when it sent a sane one, else `ROLLCALL_<UUID>`. */
export function trackingIdOf(request: IncomingMessage): string {
  const sent = request.headers.trackingid;
  if (typeof sent === 'string' && SAFE_TRACKING_ID.test(sent)) return sent;
  return `ROLLCALL_${randomUUID().toUpperCase()}`;
}
