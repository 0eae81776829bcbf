import type { FastifyInstance, HTTPMethods } from 'fastify';
import { MethodNotAllowedError } from '../domain/errors.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A known path asked with a method it does not support answers 405 with an `Allow` header. */
export function rejectOtherMethods(app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const allow =
    allowed.includes('GET') && !allowed.includes('HEAD') ? [...allowed, 'HEAD' as const] : allowed;
  app.route({
    method: METHODS.filter((m) => !allow.includes(m)),
    url,
    handler: async () => {
      throw new MethodNotAllowedError(allow);
    },
  });
}
