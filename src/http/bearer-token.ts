import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../domain/tokens.js';

export interface BearerToken {
  token: string;
  /** What the store keeps and the rate limits count by: computed once per request. */
  hash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** undefined: not looked at yet; null: the request has no bearer token. */
    bearerToken: BearerToken | null | undefined;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Lets every part of the app read the bearer token of a request through bearerTokenOf(). */
export function readBearerTokens(app: FastifyInstance): void {
  app.decorateRequest('bearerToken', undefined);
}

/**
 * The request's `Authorization: Bearer <token>` with the token's hash, or undefined without one. The
 * rate limiter, authentication and the control API all ask; the header is parsed and hashed once.
 */
export function bearerTokenOf(request: FastifyRequest): BearerToken | undefined {
  if (request.bearerToken === undefined) {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    request.bearerToken = token === undefined ? null : { token, hash: hashToken(token) };
  }
  return request.bearerToken ?? undefined;
}
