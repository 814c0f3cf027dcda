import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  certPem: string;
  keyPem: string;
}

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, valid `days` days from now (openssl on PATH). */
export function makeSelfSigned(days: number, commonName = 'opsbot-test'): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-days',
        String(days),
        '-nodes',
        '-subj',
        `/O=Opsbot Test CA/CN=${commonName}`,
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestHttpsServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 answering every request with `handler` (default: 200 {"status":"ok"}). */
export async function startHttpsServer(
  cert: SelfSigned,
  handler: (res: ServerResponse) => void = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  },
): Promise<TestHttpsServer> {
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => handler(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/health`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
