import type { FastifyRequest } from 'fastify';
import { linkHost, linkProtocol } from './host-header.js';

/**
 * `<url>; rel="next"`: absolute, on the scheme and host the client used (X-Forwarded-* honoured only
 * when the server is configured to trust a proxy, and only when valid: see host-header.ts), repeating
 * every original parameter.
 */
export function nextPageLink(request: FastifyRequest, cursor: string): string {
  const [path = '', query = ''] = request.url.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('after');
  params.append('after', cursor);
  return `<${linkProtocol(request)}://${linkHost(request)}${path}?${params.toString()}>; rel="next"`;
}
