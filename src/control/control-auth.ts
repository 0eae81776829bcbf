import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ForbiddenError, MESSAGES, UnauthorizedError } from '../domain/errors.js';
import { bearerTokenOf } from '../http/bearer-token.js';

/** Compares in constant time (over hashes, so that the lengths leak nothing either). */
export function sameSecret(sent: string, secret: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(secret));
}

/**
 * With a control token, every call in `scope` must carry exactly it. Without one (a loopback server)
 * calls carry no Authorization header: a person token is refused either way, never mistaken for access.
 * Without one, a call forwarded by a proxy on this machine is refused too: it may come from anywhere.
 */
export function requireControlToken(scope: FastifyInstance, token: string | undefined): void {
  scope.addHook('onRequest', async (request) => {
    if (token === undefined) {
      if (request.headers.authorization !== undefined) {
        throw new UnauthorizedError(MESSAGES.controlTokenUnexpected);
      }
      if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) {
        throw new ForbiddenError(MESSAGES.controlProxied);
      }
      return;
    }
    const sent = bearerTokenOf(request)?.token;
    if (sent === undefined || !sameSecret(sent, token))
      throw new UnauthorizedError(MESSAGES.controlTokenRequired);
  });
}
