import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A local round-robin TCP load balancer for tests: listens on 127.0.0.1:<random> and hands each new
 * connection to the next backend in turn (0, 1, 2, 0, …), byte for byte. Only connections alternate, so a
 * client must open a new one per request (`Connection: close`, or `agent: false`) for requests to alternate.
 * `routed` records, per accepted connection, the index of the backend it went to, so a test can show that
 * its requests really reached different replicas. `close()` ends every connection it opened.
 */
export interface RoundRobinProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for an HTTP backend. */
  readonly url: string;
  /** The backend index of every connection accepted so far, in order. */
  readonly routed: readonly number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: { host?: string; port: number }[]): Promise<RoundRobinProxy> {
  if (backends.length === 0) throw new Error('a round-robin proxy needs at least one backend');
  const sockets = new Set<Socket>();
  const routed: number[] = [];
  let next = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  const server: Server = createServer((client) => {
    const index = next;
    next = (next + 1) % backends.length;
    routed.push(index);
    const backend = backends[index];
    const upstream = connect({ host: backend.host ?? '127.0.0.1', port: backend.port });
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    // Either side ending or failing ends the pair, as a real TCP balancer would.
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    routed,
    async close() {
      for (const socket of [...sockets]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
