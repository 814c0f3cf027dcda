import { createPublicKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { withTimeout } from '../errors.js';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

/** Fetches a PEM certificate; injectable so tests run offline with a certificate they made. */
export type CertificateFetcher = (url: string) => Promise<string>;

export type Verdict = { ok: true; message: SnsMessage } | { ok: false; reason: string };

const NOTIFICATION_KEYS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_KEYS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const CACHE_LIMIT = 50;

/** True for https://sns.<region>.amazonaws.com[.cn]/… URLs: the only place SNS certificates and confirmations live. */
export function isSnsUrl(raw: string | undefined, { pem = false } = {}): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return (
      u.protocol === 'https:' &&
      SNS_HOST.test(u.hostname) &&
      !u.port &&
      !u.username &&
      (!pem || u.pathname.endsWith('.pem'))
    );
  } catch {
    return false;
  }
}

/** The documented "Key\nValue\n" string for each signed field, in order; Subject only when present. */
export function stringToSign(m: Record<string, unknown>): string {
  const keys = m.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  return keys
    .filter((k) => m[k] !== undefined && m[k] !== null)
    .map((k) => `${k}\n${String(m[k])}\n`)
    .join('');
}

export async function fetchCertificateOverHttps(url: string): Promise<string> {
  return withTimeout('SNS signing certificate', 5000, async (signal) => {
    const res = await fetch(url, { signal, redirect: 'error' });
    if (!res.ok) throw new Error(`certificate fetch answered HTTP ${res.status}`);
    return res.text();
  });
}

/**
 * Verifies SNS message signatures (SignatureVersion 1 = SHA1withRSA, 2 =
 * SHA256withRSA) against the certificate at SigningCertURL, which must be an
 * SNS host. Public keys are cached per URL (certificates rotate rarely).
 */
export class SnsVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();

  constructor(private readonly fetchCert: CertificateFetcher = fetchCertificateOverHttps) {}

  async verify(body: unknown): Promise<Verdict> {
    if (!body || typeof body !== 'object') return { ok: false, reason: 'not a JSON object' };
    const m = body as Record<string, unknown>;
    if (!['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'].includes(String(m.Type)))
      return { ok: false, reason: `unknown Type ${String(m.Type)}` };
    for (const k of ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'Signature', 'SigningCertURL']) {
      if (typeof m[k] !== 'string') return { ok: false, reason: `missing ${k}` };
    }
    const algorithm = m.SignatureVersion === '1' ? 'RSA-SHA1' : m.SignatureVersion === '2' ? 'RSA-SHA256' : undefined;
    if (!algorithm) return { ok: false, reason: `unsupported SignatureVersion ${String(m.SignatureVersion)}` };
    const certUrl = String(m.SigningCertURL);
    if (!isSnsUrl(certUrl, { pem: true }))
      return {
        ok: false,
        reason: `SigningCertURL is not an https sns.<region>.amazonaws.com .pem URL: ${certUrl.slice(0, 200)}`,
      };
    let key: KeyObject;
    try {
      key = await this.publicKey(certUrl);
    } catch (err) {
      return { ok: false, reason: `could not load the signing certificate: ${(err as Error).message}` };
    }
    const verifier = createVerify(algorithm);
    verifier.update(stringToSign(m), 'utf8');
    if (!verifier.verify(key, String(m.Signature), 'base64')) return { ok: false, reason: 'signature does not match' };
    return { ok: true, message: m as unknown as SnsMessage };
  }

  private publicKey(url: string): Promise<KeyObject> {
    let key = this.keys.get(url);
    if (!key) {
      key = this.fetchCert(url).then((pem) => {
        const cert = new X509Certificate(pem);
        if (Date.parse(cert.validTo) < Date.now()) throw new Error('certificate expired');
        return createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }));
      });
      // A failed fetch is not cached, so the next message tries again.
      key.catch(() => this.keys.delete(url));
      if (this.keys.size >= CACHE_LIMIT) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(url, key);
    }
    return key;
  }
}
