import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ForbiddenError, MESSAGES, UnauthorizedError } from '../domain/errors.js';
import { hashToken } from '../domain/tokens.js';
import { bearerTokenOf, type BearerToken } from '../http/bearer-token.js';

/**
 * Whether a bearer token is `secret`: compares the token's hash (computed once per request) with the
 * secret's, in constant time, so that neither the lengths nor a common prefix leak.
 */
export function isSecret(secret: string): (sent: BearerToken) => boolean {
  const expected = Buffer.from(hashToken(secret));
  return (sent) => timingSafeEqual(Buffer.from(sent.hash), expected);
}

/**
 * With a control token, every call in `scope` must carry exactly it. Without one (a loopback server)
 * calls carry no Authorization header: a person token is refused either way, never mistaken for access.
 * Without one, a call forwarded by a proxy on this machine is refused too: it may come from anywhere.
 */
export function requireControlToken(scope: FastifyInstance, token: string | undefined): void {
  const isControlToken = token === undefined ? undefined : isSecret(token);
  scope.addHook('onRequest', async (request) => {
    if (isControlToken === undefined) {
      if (request.headers.authorization !== undefined) {
        throw new UnauthorizedError(MESSAGES.controlTokenUnexpected);
      }
      if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) {
        throw new ForbiddenError(MESSAGES.controlProxied);
      }
      return;
    }
    const sent = bearerTokenOf(request);
    if (sent === undefined || !isControlToken(sent))
      throw new UnauthorizedError(MESSAGES.controlTokenRequired);
  });
}
