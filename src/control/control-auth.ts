import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ForbiddenError, MESSAGES, RetryLaterError, UnauthorizedError } from '../domain/errors.js';
import { hashToken } from '../domain/tokens.js';
import { bearerTokenOf, type BearerToken } from '../http/bearer-token.js';
import { FailedAuthentications } from '../http/failed-authentications.js';

/**
 * Headers by which a proxy (reverse proxy, load balancer, CDN) tells where a request came from. A call
 * carrying any of them went through a proxy, so a loopback peer address proves nothing about it.
 */
export const PROXY_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-original-forwarded-for',
  'via',
] as const;

/** Wrong control tokens an address may send in a window before it is refused with 429. */
export const CONTROL_FAILURES_PER_WINDOW = 10;
export const CONTROL_FAILURE_WINDOW_MS = 60_000;

/**
 * Whether a bearer token is `secret`: compares the token's hash (computed once per request) with the
 * secret's, in constant time, so that neither the lengths nor a common prefix leak.
 */
export function isSecret(secret: string): (sent: BearerToken) => boolean {
  const expected = Buffer.from(hashToken(secret));
  return (sent) => timingSafeEqual(Buffer.from(sent.hash), expected);
}

/**
 * With a control token, every call in `scope` must carry exactly it, and an address that sent a wrong
 * one CONTROL_FAILURES_PER_WINDOW times is refused (429) until its window ends, right token or not.
 * Without one (a loopback server) calls carry no Authorization header: a person token is refused either
 * way, never mistaken for access. Without one, a call forwarded by a proxy on this machine is refused
 * too (any of PROXY_HEADERS): it may come from anywhere.
 */
export function requireControlToken(
  scope: FastifyInstance,
  token: string | undefined,
  now: () => number = Date.now,
): void {
  const isControlToken = token === undefined ? undefined : isSecret(token);
  // Real time, not the server's clock, which the control API itself can freeze.
  const failures = new FailedAuthentications({ now }, CONTROL_FAILURES_PER_WINDOW, CONTROL_FAILURE_WINDOW_MS);
  scope.addHook('onRequest', async (request) => {
    if (isControlToken === undefined) {
      if (request.headers.authorization !== undefined) {
        throw new UnauthorizedError(MESSAGES.controlTokenUnexpected);
      }
      if (PROXY_HEADERS.some((name) => request.headers[name] !== undefined)) {
        throw new ForbiddenError(MESSAGES.controlProxied);
      }
      return;
    }
    const blockedMs = failures.blockedFor(request.ip);
    if (blockedMs !== undefined) throw new RetryLaterError(429, MESSAGES.rateLimited, blockedMs / 1000);
    const sent = bearerTokenOf(request);
    if (sent === undefined || !isControlToken(sent)) {
      failures.record(request.ip);
      throw new UnauthorizedError(MESSAGES.controlTokenRequired);
    }
  });
}
