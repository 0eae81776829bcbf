import type { ServerOptions } from 'node:http';

/** The head of a request (request line and headers) must arrive within this, or sooner with a shorter request timeout. */
export const HEADERS_TIMEOUT_MS = 10_000;

/**
 * Node's own limits on slow clients: the whole request within `requestTimeoutMs` and its head within
 * HEADERS_TIMEOUT_MS, else Node raises a clientError that client-errors.ts answers with a 408. Node
 * looks for such requests every `connectionsCheckingInterval` ms (30 s by default, far too coarse for
 * short timeouts); here at most every second.
 */
export function requestTimeouts(requestTimeoutMs: number): ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
  };
}
