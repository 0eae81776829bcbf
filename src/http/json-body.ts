import type { FastifyInstance } from 'fastify';

/**
 * Request bodies are JSON only: any other content type is a 415. An empty body with a JSON content
 * type is no body at all (the Python SDK sends `Content-Type: application/json` on GET and DELETE).
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
}
