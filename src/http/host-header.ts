import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../domain/errors.js';

// The Host header names the server in the pagination Link header, so only a host name or address with
// an optional port is taken (RFC 9112 §3.2: a missing, repeated or invalid Host is a 400).

export const HOST_MESSAGES = {
  missing: 'The request has no Host header.',
  invalid: 'The Host header must be a host name or an IP address, with an optional port.',
} as const;

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

/** `host[:port]`: a DNS name, an IPv4 address or a bracketed IPv6 address; a port of 0 to 65535. */
export function isValidHost(value: string): boolean {
  if (value.length > 261) return false;
  const colon = value.lastIndexOf(':');
  const hasPort = colon > value.lastIndexOf(']');
  const name = hasPort ? value.slice(0, colon) : value;
  if (hasPort && !/^\d{1,5}$/.test(value.slice(colon + 1))) return false;
  if (hasPort && Number(value.slice(colon + 1)) > 65535) return false;
  return name.length <= 253 && (NAME.test(name) || IPV6.test(name));
}

/**
 * Refuses, with a 400 before anything else happens, an HTTP/1.1 request without a Host header (Node's
 * own check, which answers with an empty body, is turned off for this) and any request with more than
 * one Host header or an invalid one. An HTTP/1.0 request may come without one.
 */
export function requireValidHost(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    if (host === undefined) {
      done(request.raw.httpVersion === '1.0' ? undefined : new BadRequestError(HOST_MESSAGES.missing));
      return;
    }
    done(
      isValidHost(host) && hostHeaders(request) === 1
        ? undefined
        : new BadRequestError(HOST_MESSAGES.invalid),
    );
  });
}

function hostHeaders(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]?.length === 4 && raw[i]?.toLowerCase() === 'host') count++;
  return count;
}

/**
 * The `host[:port]` for links back to this server: the one the client used (X-Forwarded-Host when a
 * proxy is trusted) when it is valid, else the address the connection came in on.
 */
export function linkHost(request: FastifyRequest): string {
  const host = request.host;
  if (isValidHost(host)) return host;
  const { localAddress, localPort } = request.raw.socket;
  if (localAddress === undefined) return 'localhost';
  const address = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  return `${address.includes(':') ? `[${address}]` : address}:${localPort ?? ''}`;
}

/** `http` or `https`: the scheme the client used (X-Forwarded-Proto when a proxy is trusted). */
export function linkProtocol(request: FastifyRequest): 'http' | 'https' {
  return request.protocol === 'https' ? 'https' : 'http';
}
