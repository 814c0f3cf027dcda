import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectTls } from '../../src/probes/tls.js';
import { judgeTls } from '../../src/probes/tls-judge.js';
import { checkJson } from '../../src/probes/http.js';
import { makeSelfSigned, startHttpsServer, type SelfSigned, type TestHttpsServer } from '../support/tls-server.js';

describe('inspectTls against a local HTTPS server', () => {
  let expiring: SelfSigned;
  let fresh: SelfSigned;
  let bare: TestHttpsServer;
  let hardened: TestHttpsServer;
  beforeAll(async () => {
    expiring = makeSelfSigned(3);
    fresh = makeSelfSigned(90);
    bare = await startHttpsServer(expiring);
    hardened = await startHttpsServer(fresh, (res) => {
      res.writeHead(200, {
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      res.end();
    });
  });
  afterAll(async () => {
    await bare?.close();
    await hardened?.close();
  });

  it('reports a self-signed certificate expiring in 3 days as red, with issuer, protocol and missing headers', async () => {
    const t = await inspectTls('api', bare.url, { timeoutMs: 2000 });
    expect(t.connected).toBe(true);
    expect(t.issuer).toBe('opsbot-test (Opsbot Test CA)');
    expect(t.protocol).toBe('TLSv1.3');
    expect(t.chainValid).toBe(false);
    expect(t.chainError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(t.hostnameMatches).toBe(true);
    expect(t.status).toBe(200);
    const j = judgeTls(t, new Date());
    expect(j.level).toBe('danger');
    expect([2, 3]).toContain(j.daysLeft);
    const texts = j.findings.map((f) => `${f.level}: ${f.text}`);
    expect(texts[0]).toMatch(/^danger: certificate expires in [23] days/);
    expect(texts).toContain('danger: chain does not verify: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(texts).toContain('warning: no Strict-Transport-Security header (HSTS)');
    expect(texts).toContain('warning: no X-Content-Type-Options: nosniff');
  });

  it('passes a trusted chain with a year of HSTS and the headers; warns under 21 days', async () => {
    const t = await inspectTls('web', hardened.url, { timeoutMs: 2000, ca: fresh.certPem });
    expect(t.chainValid).toBe(true);
    const j = judgeTls(t, new Date());
    expect(j.level).toBe('ok');
    expect(j.findings.map((f) => f.text)).toContain('HSTS max-age 365 days');
    const later = judgeTls(t, new Date(Date.now() + 75 * 86_400_000));
    expect(later.level).toBe('warning');
    expect(later.findings[0].text).toMatch(/^certificate expires in 1[45] days/);
  });

  it('gives up at the timeout and when nothing listens, never throwing', async () => {
    const refused = await inspectTls('gone', 'https://127.0.0.1:1/health', { timeoutMs: 2000 });
    expect(refused.connected).toBe(false);
    expect(refused.error).toContain('ECONNREFUSED');
    expect(judgeTls(refused, new Date()).findings[0].text).toMatch(/^no TLS session: /);
    // Accepts the connection and never sends a ServerHello: the handshake hangs until the timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as AddressInfo;
      const hung = await inspectTls('hung', `https://127.0.0.1:${port}/health`, { timeoutMs: 300 });
      expect(hung.connected).toBe(false);
      expect(hung.error).toBe('no answer after 0.3s');
    } finally {
      silent.close();
    }
  });
});

describe('checkJson (expectJson: { status: ok }, the Invoice guide)', () => {
  it('accepts matching fields and explains a mismatch', () => {
    expect(checkJson('{"status":"ok","db":{"up":true}}', { status: 'ok', 'db.up': true })).toBeUndefined();
    expect(checkJson('{"status":"degraded"}', { status: 'ok' })).toBe('"status" is "degraded", expected "ok"');
    expect(checkJson('{}', { status: 'ok' })).toBe('the body has no "status" (expected "ok")');
    expect(checkJson('<html>', { status: 'ok' })).toBe('the body is not JSON (expected status="ok")');
  });
});
