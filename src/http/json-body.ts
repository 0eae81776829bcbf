import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/errors.js';

const UNSUPPORTED_MEDIA_TYPE = 'Unsupported media type: the request body must be JSON (application/json).';

/**
 * Request bodies are JSON only: any other content type with a body is a 415. An empty body is no body
 * at all, whatever its content type (the Python SDK sends `Content-Type: application/json` on GET and
 * DELETE).
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, body as string, done);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    if ((body as Buffer).length === 0) done(null, undefined);
    else done(new ApiError(415, UNSUPPORTED_MEDIA_TYPE), undefined);
  });
}
