import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A fault-injection TCP proxy for tests: listens on 127.0.0.1:<random>, forwards every connection to
 * `target`, and can be switched between three modes at any time:
 *  - `restore()` — forward (the default);
 *  - `cut()` — close every open connection and refuse new ones (like a stopped server: ECONNRESET / refused);
 *  - `stall()` — keep connections open but drop every byte in both directions and accept new connections
 *    without ever answering (like packets dropped by a firewall or a hung host).
 * It is bounded (at most `maxConnections` open sockets) and `close()` ends everything it opened.
 */
export interface FaultProxy {
  /** The port to point the client at (127.0.0.1). */
  readonly port: number;
  /** host:port of the proxy. */
  readonly address: string;
  readonly mode: FaultMode;
  /** How many client connections were accepted so far (a test can wait for reconnects). */
  readonly accepted: number;
  /** Client connections open right now. */
  readonly open: number;
  cut(): void;
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

export type FaultMode = 'forward' | 'cut' | 'stall';

export interface FaultProxyOptions {
  target: { host?: string; port: number };
  /** Refuse connections above this many open ones (default 200). */
  maxConnections?: number;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
  /** Bytes were dropped while stalled: the protocol on this connection is out of step. */
  dropped: boolean;
}

/** A URL's host:port as a proxy target (`redis://127.0.0.1:6379` → { host, port }). */
export function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) };
}

/** `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: FaultProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const host = options.target.host ?? '127.0.0.1';
  const maxConnections = options.maxConnections ?? 200;
  const pairs = new Set<Pair>();
  let mode: FaultMode = 'forward';
  let accepted = 0;

  const destroy = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };

  const server: Server = createServer((client) => {
    if (mode === 'cut' || pairs.size >= maxConnections) {
      // A refused connection, as near as a listening socket can get: reset it at once.
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const pair: Pair = { client, dropped: false };
    pairs.add(pair);
    client.on('error', () => destroy(pair));
    client.on('close', () => destroy(pair));
    // In stall mode bytes are read and dropped; in forward mode they go upstream.
    client.on('data', (chunk) => {
      if (mode === 'forward' && pair.upstream && !pair.upstream.destroyed) pair.upstream.write(chunk);
      else pair.dropped = true;
    });
    // While stalled no upstream is opened: a client that connects during a stall never hears anything.
    if (mode === 'forward') {
      const upstream = connect({ host, port: options.target.port });
      pair.upstream = upstream;
      upstream.on('data', (chunk) => {
        if (mode === 'forward' && !client.destroyed) client.write(chunk);
        else pair.dropped = true;
      });
      upstream.on('error', () => destroy(pair));
      upstream.on('close', () => destroy(pair));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    address: `127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        destroy(pair);
      }
    },
    stall() {
      mode = 'stall';
    },
    restore() {
      mode = 'forward';
      // Connections accepted during a stall were never given an upstream, and the others lost bytes:
      // their protocol is out of step, so end them and let the client reconnect, as after a real outage.
      for (const pair of [...pairs]) {
        if (!pair.upstream || pair.dropped) destroy(pair);
      }
    },
    async close() {
      for (const pair of [...pairs]) destroy(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
