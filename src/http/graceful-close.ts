import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Makes `app.close()` graceful for clients: in-flight requests finish and their responses are sent
 * whole; keep-alive connections are told `Connection: close` and ended once idle, instead of being
 * destroyed with unsent data (what Node's closeIdleConnections does) or held open until the client
 * leaves. After `graceMs` whatever is left is closed hard.
 */
export function closeConnectionsGracefully(app: FastifyInstance, graceMs: number): void {
  const inFlight = new Map<Socket, number>();
  const unanswered = new Set<ServerResponse>();
  let closing = false;

  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  // Node's own events, ahead of Fastify's handler, rather than three Fastify hooks on every request.
  app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    if (closing) response.setHeader('connection', 'close');
    else unanswered.add(response);
    response.once('close', () => {
      unanswered.delete(response);
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (closing && left === 0) socket.end();
    });
  });

  // Called by server.close(): end idle connections after their pending writes instead of destroying them.
  app.server.closeIdleConnections = () => {
    for (const [socket, requests] of inFlight) if (requests === 0) socket.end();
  };
  app.addHook('preClose', async () => {
    closing = true;
    // Answers still to come tell their clients that the connection ends with them.
    for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close');
    unanswered.clear();
    setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
  });
}
