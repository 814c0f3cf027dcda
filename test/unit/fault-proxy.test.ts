import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { waitUntil } from '../support/wait.js';

/** An echo server as the proxy's target. */
let echo: Server;
let proxy: FaultProxy;

function client(): { socket: Socket; received: () => string; closed: () => boolean } {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  let data = '';
  let closed = false;
  socket.on('data', (c) => (data += c.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  return { socket, received: () => data, closed: () => closed };
}

beforeAll(async () => {
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({ target: { port: (echo.address() as AddressInfo).port } });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

describe('fault proxy', () => {
  it('forwards, cuts (closes and refuses), stalls (drops bytes) and restores', async () => {
    const a = client();
    a.socket.write('hello');
    await waitUntil('the echo through the proxy', () => a.received() === 'hello');

    proxy.cut();
    await waitUntil('the open connection to be closed', () => a.closed());
    const refused = client();
    await waitUntil('a new connection to be refused', () => refused.closed());

    proxy.restore();
    const b = client();
    b.socket.write('again');
    await waitUntil('forwarding after restore', () => b.received() === 'again');

    proxy.stall();
    b.socket.write('lost');
    const c = client();
    c.socket.write('unheard');
    await waitUntil('both connections to be held open', () => proxy.open === 2);
    // Nothing comes back while stalled: give the echo a round trip that works (a direct one) to bound the check.
    const direct = connect({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
    let directData = '';
    direct.on('data', (d) => (directData += d.toString()));
    direct.write('ping');
    await waitUntil('a direct round trip', () => directData === 'ping');
    direct.destroy();
    expect(b.received()).toBe('again');
    expect(c.received()).toBe('');

    proxy.restore();
    await waitUntil('connections that lost bytes to be ended', () => b.closed() && c.closed());
    const d = client();
    d.socket.write('back');
    await waitUntil('forwarding after the stall', () => d.received() === 'back');
    d.socket.destroy();
  });
});
