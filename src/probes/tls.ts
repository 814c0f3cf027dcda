import { request } from 'node:https';
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import { redactSecrets } from '../redact.js';

/** What `openssl s_client` and `curl -I` show about one HTTPS URL (the Invoice and ESN guides' checks). */
export interface TlsInspection {
  name: string;
  url: string;
  host: string;
  port: number;
  /** False when no TLS session was made (refused, timed out, handshake failed); `error` says why. */
  connected: boolean;
  error?: string;
  protocol?: string;
  cipher?: string;
  subject?: string;
  issuer?: string;
  validFrom?: Date;
  validTo?: Date;
  /** The chain verifies against the trusted CAs; otherwise `chainError` is OpenSSL's reason. */
  chainValid: boolean;
  chainError?: string;
  /** The certificate names this host (its SAN or CN). */
  hostnameMatches: boolean;
  /** The HEAD answer's status and security headers (lower-case names), when the server answered. */
  status?: number;
  headers: SecurityHeaders;
  latencyMs: number;
}

export interface SecurityHeaders {
  strictTransportSecurity?: string;
  contentTypeOptions?: string;
  frameOptions?: string;
  contentSecurityPolicy?: string;
  referrerPolicy?: string;
}

export interface TlsInspectOptions {
  timeoutMs: number;
  /** Extra trusted CAs (PEM), for a private CA; by default Node's bundled roots. */
  ca?: string;
}

/**
 * One HEAD request over a fresh TLS connection: the certificate, chain verdict and protocol come from
 * the socket, the security headers from the answer. Never throws: failures come back in `error`.
 */
export function inspectTls(name: string, url: string, options: TlsInspectOptions): Promise<TlsInspection> {
  const started = performance.now();
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 443);
  const base: TlsInspection = {
    name,
    url: redactSecrets(url),
    host,
    port,
    connected: false,
    chainValid: false,
    hostnameMatches: false,
    headers: {},
    latencyMs: 0,
  };
  if (parsed.protocol !== 'https:') return Promise.resolve({ ...base, error: 'not an https:// URL' });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (extra: Partial<TlsInspection>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...base, ...extra, latencyMs: Math.round(performance.now() - started) });
    };
    const req = request({
      host,
      port,
      path: `${parsed.pathname}${parsed.search}`,
      method: 'HEAD',
      servername: isIp(host) ? undefined : host,
      headers: { 'user-agent': 'opsbot-tls' },
      // Verification is judged, not enforced: an invalid chain is a finding to report, not a failure to connect.
      rejectUnauthorized: false,
      ca: options.ca,
      agent: false,
    });
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => Object.assign(base, describeSocket(socket as TLSSocket, host)));
    });
    req.on('response', (res) => {
      const h = res.headers;
      const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);
      finish({
        status: res.statusCode,
        headers: {
          strictTransportSecurity: one(h['strict-transport-security']),
          contentTypeOptions: one(h['x-content-type-options']),
          frameOptions: one(h['x-frame-options']),
          contentSecurityPolicy: one(h['content-security-policy']),
          referrerPolicy: one(h['referrer-policy']),
        },
      });
      res.resume();
    });
    req.on('error', (err: Error & { code?: string }) => {
      // A TLS session that was made and then dropped still has a certificate to report.
      const reason = err.code && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message;
      finish({ error: redactSecrets(reason) });
    });
    const timer = setTimeout(
      () => finish({ error: `no answer after ${(options.timeoutMs / 1000).toFixed(1).replace(/\.0$/, '')}s` }),
      options.timeoutMs,
    );
    timer.unref();
    req.end();
  });
}

function describeSocket(socket: TLSSocket, host: string): Partial<TlsInspection> {
  const cert = socket.getPeerCertificate(false) as PeerCertificate | Record<string, never>;
  const has = 'valid_to' in cert && Boolean(cert.valid_to);
  const identity = has && !isIp(host) ? checkServerIdentity(host, cert as PeerCertificate) : undefined;
  return {
    connected: true,
    protocol: socket.getProtocol() ?? undefined,
    cipher: socket.getCipher()?.name,
    subject: has ? distinguishedName(cert.subject) : undefined,
    issuer: has ? distinguishedName(cert.issuer) : undefined,
    validFrom: has ? new Date(cert.valid_from) : undefined,
    validTo: has ? new Date(cert.valid_to) : undefined,
    chainValid: socket.authorized,
    chainError: socket.authorized ? undefined : String(socket.authorizationError ?? 'not verified'),
    hostnameMatches: has && (isIp(host) ? ipInCert(host, cert as PeerCertificate) : identity === undefined),
  };
}

function distinguishedName(dn: PeerCertificate['subject'] | undefined): string | undefined {
  if (!dn) return undefined;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const cn = pick(dn.CN);
  const org = pick(dn.O);
  // As openssl prints the issuer of a Let's Encrypt certificate: "R3 (Let's Encrypt)".
  return cn && org ? `${cn} (${org})` : (cn ?? org);
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function ipInCert(ip: string, cert: PeerCertificate): boolean {
  return (cert.subjectaltname ?? '').split(/,\s*/).some((entry) => entry === `IP Address:${ip}`);
}
