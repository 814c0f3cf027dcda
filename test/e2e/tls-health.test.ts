import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { makeSelfSigned, startHttpsServer, type TestHttpsServer } from '../support/tls-server.js';

describe('/ops tls and the certificate line of /ops health', () => {
  let app: TestApp;
  let site: TestHttpsServer;
  let invoice: Server;
  beforeAll(async () => {
    invoice = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"degraded","timestamp":"2024-01-15T12:00:00.000Z"}');
    });
    await new Promise<void>((r) => invoice.listen(0, '127.0.0.1', r));
    const invoicePort = (invoice.address() as AddressInfo).port;
    site = await startHttpsServer(makeSelfSigned(3), (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"degraded"}');
    });
    app = await TestApp.start({
      configYaml: `
probes: { timeout: 2s }
environments:
  prod:
    health:
      - { name: api, url: "${site.url}", expectJson: { status: ok } }
      - { name: invoice, url: "http://127.0.0.1:${invoicePort}/health", expectJson: { status: ok } }
  staging: {}
`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await site?.close();
    invoice?.close();
  });

  it('reports the certificate expiring in 3 days, its self-signed chain, the TLS version and missing HSTS', async () => {
    const reply = await app.ask('tls prod');
    const text = replyText(reply);
    expect(reply.attachments?.[0].color).toBe('#E01E5A');
    expect(text).toMatch(/1 of 1 HTTPS site need action\* — api \(certificate expires in [23] days/);
    expect(text).toContain('chain does not verify: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(text).toContain('TLSv1.3');
    expect(text).toContain('no Strict-Transport-Security header (HSTS)');
    expect(text).toContain('issuer opsbot-test (Opsbot Test CA)');
  });

  it('says when there is nothing to inspect', async () => {
    expect(replyText(await app.ask('tls staging'))).toContain('no `health` URLs in ops.yml');
  });

  it('shows the expiring certificate in /ops health and fails a body without status ok', async () => {
    const text = replyText(await app.ask('health prod'));
    expect(text).toMatch(/\*api\*: certificate expires in [23] days/);
    // fetch refuses the self-signed chain before any body is read: the health check itself fails.
    expect(text).toContain(':x: *api*');
    expect(text).toContain('*invoice* (HTTP)');
    expect(text).toContain('HTTP 200, but \\"status\\" is \\"degraded\\", expected \\"ok\\"');
  });
});
