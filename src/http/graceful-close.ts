import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../domain/errors.js';
import { CLIENT_ERROR_MESSAGES, closeWithError } from './client-errors.js';
import { trackingIdGiven } from './tracking-id.js';

/** While closing, a request whose body makes no progress for this long is answered 408. */
const STALLED_UPLOAD_MS = 1000;
/** A connection ended by the server is destroyed after this if the client does not close its side. */
const LINGER_MS = 2000;

/**
 * Makes `app.close()` graceful for clients: in-flight requests finish and their responses are sent
 * whole; keep-alive connections are told `Connection: close` and ended once idle, instead of being
 * destroyed with unsent data (what Node's closeIdleConnections does) or held open until the client
 * leaves. After `graceMs` whatever is left is closed hard.
 *
 * A request that reaches a connection the server has begun to close (ended while idle, or with a
 * request already in flight whose answer closes it) is never executed and never answered: the client
 * sees the connection close without an answer, and its request had no effect (RFC 9112 §9.6: no
 * further requests after a "close"). Without this, a request in transit when an idle connection was
 * ended was executed and committed, and its answer lost.
 *
 * An upload still arriving when closing starts may finish; one that stalls is answered 408 (Node's
 * own request timeout no longer runs once the server closes).
 */
export function closeConnectionsGracefully(app: FastifyInstance, graceMs: number): void {
  const inFlight = new Map<Socket, number>();
  const unanswered = new Map<ServerResponse, IncomingMessage>();
  const refused = new WeakSet<IncomingMessage>();
  let closing = false;

  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  // Node's own events, ahead of Fastify's handler, rather than three Fastify hooks on every request.
  app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const requests = inFlight.get(socket) ?? 0;
    if (closing && (socket.writableEnded || requests > 0)) {
      refused.add(request);
      return;
    }
    inFlight.set(socket, requests + 1);
    if (closing) response.setHeader('connection', 'close');
    else unanswered.set(response, request);
    response.once('close', () => {
      unanswered.delete(response);
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (closing && left === 0) endSoon(socket);
    });
  });
  // The first onRequest hook: a refused request goes no further (no route, no body, no answer).
  app.addHook('onRequest', (request, reply, done) => {
    if (closing && refused.has(request.raw)) reply.hijack();
    done();
  });

  // Called by server.close(): end idle connections after their pending writes instead of destroying them.
  app.server.closeIdleConnections = () => {
    for (const [socket, requests] of inFlight) if (requests === 0) endSoon(socket);
  };
  app.addHook('preClose', async () => {
    closing = true;
    for (const [response, request] of unanswered) {
      // Answers still to come tell their clients that the connection ends with them.
      if (!response.headersSent) response.setHeader('connection', 'close');
      if (!request.complete) watchUpload(request, response);
    }
    unanswered.clear();
    setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
  });
}

function endSoon(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Answers 408 once the request body makes no progress for STALLED_UPLOAD_MS. */
function watchUpload(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  let bytesRead = socket.bytesRead;
  const timer = setInterval(() => {
    if (request.complete || response.headersSent || socket.destroyed) {
      clearInterval(timer);
    } else if (socket.bytesRead === bytesRead) {
      clearInterval(timer);
      closeWithError(socket, new ApiError(408, CLIENT_ERROR_MESSAGES.timeout), trackingIdGiven(request));
    } else {
      bytesRead = socket.bytesRead;
    }
  }, STALLED_UPLOAD_MS);
  timer.unref();
  response.once('close', () => clearInterval(timer));
}
