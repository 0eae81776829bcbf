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
  let closing = false;

  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  // On every request: callbacks, not promises.
  app.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    const socket = request.raw.socket;
    const left = (inFlight.get(socket) ?? 1) - 1;
    inFlight.set(socket, left);
    if (closing && left === 0) socket.end();
    done();
  });

  // Called by server.close(): end idle connections after their pending writes instead of destroying them.
  app.server.closeIdleConnections = () => {
    for (const [socket, requests] of inFlight) if (requests === 0) socket.end();
  };
  app.addHook('preClose', async () => {
    closing = true;
    setTimeout(() => app.server.closeAllConnections(), graceMs).unref();
  });
}
