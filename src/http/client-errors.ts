import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, MESSAGES } from '../domain/errors.js';
import { sendError, writeErrorToSocket } from './error-handler.js';
import { trackingIdGiven } from './tracking-id.js';

// Answers that Fastify and Node would otherwise write themselves, with their own bodies and without a
// trackingid: requests the router cannot take (bad percent-encoding), and connections whose HTTP
// cannot be read (malformed, headers too large, not received in time). Every one gets the Webex error
// body and a `trackingid` header.

export const CLIENT_ERROR_MESSAGES = {
  malformed: 'The request could not be understood by the server due to malformed syntax.',
  headersTooLarge: 'The request headers are too large.',
  timeout: 'The request was not received in time.',
  badUrl: 'The request URL is not valid: it has a malformed percent-encoding.',
  urlTooLong: 'The request URL is too long.',
} as const;

/** How long a connection answered this way may stay open for the client to read the answer. */
const LINGER_MS = 1000;

/** Fastify's `frameworkErrors`: the router's own rejections, through the one error writer. */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // No onRequest hook ran for these requests: the tracking ID header is set here.
  reply.header('trackingid', request.id);
  const answer =
    error.code === 'FST_ERR_BAD_URL'
      ? new ApiError(400, CLIENT_ERROR_MESSAGES.badUrl)
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiError(414, CLIENT_ERROR_MESSAGES.urlTooLong)
        : new ApiError(500, MESSAGES.internal);
  if (answer.status === 500) request.log.error({ err: error }, 'request failed');
  void sendError(request, reply, answer);
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError` event): writes the Webex error as a whole
 * HTTP/1.1 response and closes the connection, unless part of a response was already sent on it
 * (another one would corrupt it) or the client is gone. A request that timed out while its body was
 * arriving keeps the tracking ID it was given.
 */
export function answerClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inTransit = responseInTransit(socket);
  if (!socket.writable || inTransit?.headersSent === true) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 408
      ? CLIENT_ERROR_MESSAGES.timeout
      : status === 431
        ? CLIENT_ERROR_MESSAGES.headersTooLarge
        : CLIENT_ERROR_MESSAGES.malformed;
  const trackingId = trackingIdGiven(inTransit?.req);
  this.log.debug({ err: error, trackingId }, `client error ${status}`);
  closeWithError(socket, new ApiError(status, message), trackingId);
}

/** Writes the answer, stops reading what else the client sends, and closes after a short linger. */
export function closeWithError(socket: Socket, error: ApiError, trackingId: string): void {
  writeErrorToSocket(socket, error, trackingId);
  // Closing at once with unread bytes would reset the connection and could lose the answer.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * The response Node has assigned to the connection's current request, if any. `_httpMessage` is
 * Node's own field, which its default clientError handling reads for the same decision.
 */
function responseInTransit(socket: Socket): ServerResponse | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}
