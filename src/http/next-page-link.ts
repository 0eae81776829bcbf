import type { FastifyRequest } from 'fastify';

/**
 * `<url>; rel="next"`: absolute, on the scheme and host the client used (X-Forwarded-* honoured only
 * when the server is configured to trust a proxy), repeating every original parameter.
 */
export function nextPageLink(request: FastifyRequest, cursor: string): string {
  const [path = '', query = ''] = request.url.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('after');
  params.append('after', cursor);
  return `<${request.protocol}://${request.host}${path}?${params.toString()}>; rel="next"`;
}
