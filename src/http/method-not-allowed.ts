import type { FastifyInstance, HTTPMethods } from 'fastify';
import type {} from '@fastify/swagger'; // FastifySchema.hide
import { MethodNotAllowedError } from '../domain/errors.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A known path asked with a method it does not support answers 405 with an `Allow` header. */
export function rejectOtherMethods(app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const allow =
    allowed.includes('GET') && !allowed.includes('HEAD') ? [...allowed, 'HEAD' as const] : allowed;
  app.route({
    method: METHODS.filter((m) => !allow.includes(m)),
    url,
    // A catch-all, not an operation: left out of the OpenAPI document.
    schema: { hide: true },
    handler: async () => {
      throw new MethodNotAllowedError(allow);
    },
  });
}
