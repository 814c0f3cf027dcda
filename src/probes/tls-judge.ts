import type { TlsInspection } from './tls.js';

export type TlsLevel = 'ok' | 'warning' | 'danger';

export interface TlsFinding {
  level: TlsLevel;
  text: string;
}

export interface TlsJudgement {
  level: TlsLevel;
  /** Whole days until the certificate expires (negative: expired). */
  daysLeft?: number;
  findings: TlsFinding[];
}

/** Certificate expiry lines: a warning under 21 days, red under 7 (issue 17; the guides renew "before expiry"). */
export const CERT_WARNING_DAYS = 21;
export const CERT_CRITICAL_DAYS = 7;
/** The Invoice guide: "HSTS enabled (max-age: 1 year)", "TLS 1.2+ only". */
export const HSTS_MIN_MAX_AGE = 31_536_000;
const OLD_PROTOCOLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

const DAY_MS = 86_400_000;

export function daysUntil(date: Date, now: Date): number {
  return Math.floor((date.getTime() - now.getTime()) / DAY_MS);
}

export function expiryLevel(daysLeft: number): TlsLevel {
  if (daysLeft < CERT_CRITICAL_DAYS) return 'danger';
  if (daysLeft < CERT_WARNING_DAYS) return 'warning';
  return 'ok';
}

/** Every finding about one URL, worst first; the verdict is the worst finding, so both come from the same data. */
export function judgeTls(t: TlsInspection, now: Date): TlsJudgement {
  const findings: TlsFinding[] = [];
  if (!t.connected) {
    findings.push({ level: 'danger', text: `no TLS session: ${t.error ?? 'unknown error'}` });
    return { level: 'danger', findings };
  }
  let daysLeft: number | undefined;
  if (t.validTo) {
    daysLeft = daysUntil(t.validTo, now);
    const date = t.validTo.toISOString().slice(0, 10);
    const text =
      daysLeft < 0
        ? `certificate expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago (${date})`
        : `certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${date})`;
    findings.push({ level: expiryLevel(daysLeft), text });
  } else findings.push({ level: 'danger', text: 'the server sent no certificate' });
  findings.push(
    t.chainValid
      ? { level: 'ok', text: 'chain verifies' }
      : { level: 'danger', text: `chain does not verify: ${t.chainError ?? 'unknown reason'}` },
  );
  if (!t.hostnameMatches) findings.push({ level: 'danger', text: `certificate does not name ${t.host}` });
  if (t.protocol)
    findings.push(
      OLD_PROTOCOLS.has(t.protocol)
        ? { level: 'danger', text: `${t.protocol} negotiated: allow TLS 1.2+ only` }
        : { level: 'ok', text: `${t.protocol}` },
    );
  if (t.status === undefined) findings.push({ level: 'warning', text: `no HTTP answer: ${t.error ?? 'unknown'}` });
  else findings.push(...judgeHeaders(t));
  const order: Record<TlsLevel, number> = { danger: 0, warning: 1, ok: 2 };
  findings.sort((a, b) => order[a.level] - order[b.level]);
  return { level: findings[0]?.level ?? 'ok', daysLeft, findings };
}

function judgeHeaders(t: TlsInspection): TlsFinding[] {
  const out: TlsFinding[] = [];
  const hsts = t.headers.strictTransportSecurity;
  if (!hsts) out.push({ level: 'warning', text: 'no Strict-Transport-Security header (HSTS)' });
  else {
    const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] ?? 0);
    out.push(
      maxAge < HSTS_MIN_MAX_AGE
        ? { level: 'warning', text: `HSTS max-age ${maxAge}s is under 1 year` }
        : { level: 'ok', text: `HSTS max-age ${Math.round(maxAge / 86_400)} days` },
    );
  }
  if (t.headers.contentTypeOptions?.toLowerCase() !== 'nosniff')
    out.push({ level: 'warning', text: 'no X-Content-Type-Options: nosniff' });
  const framing = t.headers.frameOptions || /frame-ancestors/i.test(t.headers.contentSecurityPolicy ?? '');
  if (!framing) out.push({ level: 'warning', text: 'no X-Frame-Options or CSP frame-ancestors' });
  return out;
}
