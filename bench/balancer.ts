// A TCP balancer for the benchmark of several instances: listens on 127.0.0.1, hands each new
// connection to the next backend in turn (round-robin per connection) and pipes bytes both ways. No
// HTTP parsing, so it costs the same whether one or two backends are behind it.
//
//   node --import tsx bench/balancer.ts <port> [<port>…]
//
// Prints `Balancer listening on http://127.0.0.1:PORT` once it accepts connections.
import net from 'node:net';

const backends = process.argv.slice(2).map(Number);
if (backends.length === 0 || backends.some((port) => !Number.isInteger(port) || port <= 0)) {
  console.error('usage: balancer.ts <backend port> [<backend port>…]');
  process.exit(2);
}

let next = 0;
const server = net.createServer((client) => {
  const port = backends[next++ % backends.length] as number;
  const backend = net.connect({ host: '127.0.0.1', port });
  client.setNoDelay(true);
  backend.setNoDelay(true);
  client.pipe(backend).pipe(client);
  const close = () => {
    client.destroy();
    backend.destroy();
  };
  client.once('error', close).once('close', close);
  backend.once('error', close).once('close', close);
});

server.listen({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address() as net.AddressInfo;
  console.log(`Balancer listening on http://127.0.0.1:${address.port} (backends ${backends.join(', ')})`);
});

const stop = () => {
  server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
