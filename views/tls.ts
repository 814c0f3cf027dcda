import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';
import type { TlsInspection } from '../src/probes/tls.js';
import type { TlsJudgement, TlsLevel } from '../src/probes/tls-judge.js';

export interface TlsReportView {
  env: string;
  sites: { inspection: TlsInspection; judgement: TlsJudgement }[];
  /** Health URLs that are plain http:// (nothing to inspect, worth saying). */
  plainHttp: string[];
  timeoutMs: number;
  checkedAt: Date;
}

const ICON: Record<TlsLevel, string> = {
  ok: ':white_check_mark:',
  warning: ':large_yellow_circle:',
  danger: ':red_circle:',
};

/** A bar of the certificate's remaining life against 90 days (a Let's Encrypt certificate's whole life). */
function lifeBar(daysLeft: number | undefined): string {
  if (daysLeft === undefined) return '';
  const cells = 9;
  const filled = Math.max(0, Math.min(cells, Math.ceil((daysLeft / 90) * cells)));
  return ` \`${'█'.repeat(filled)}${'░'.repeat(cells - filled)}\``;
}

/** `/ops tls`: the worst site first, then each site's certificate, chain, protocol and headers. */
export function renderTlsReport(report: TlsReportView): Reply {
  const { sites } = report;
  if (sites.length === 0) {
    const why = report.plainHttp.length
      ? `its health URLs are plain http:// (${report.plainHttp.map(escapeMrkdwn).join(', ')})`
      : 'it has no `health` URLs in ops.yml';
    return {
      text: `${report.env}: no HTTPS URL to inspect`,
      tone: 'muted',
      blocks: [section(`:grey_question: *${report.env}*: nothing to inspect — ${why}`)],
    };
  }
  const order: Record<TlsLevel, number> = { danger: 0, warning: 1, ok: 2 };
  const ordered = [...sites].sort((a, b) => order[a.judgement.level] - order[b.judgement.level]);
  const bad = ordered.filter((s) => s.judgement.level === 'danger');
  const warn = ordered.filter((s) => s.judgement.level === 'warning');
  const headline = (s: (typeof sites)[number]) =>
    `${escapeMrkdwn(s.inspection.name)} (${s.judgement.findings.find((f) => f.level === s.judgement.level)?.text})`;
  let verdict: string;
  let tone: Reply['tone'];
  if (bad.length) {
    verdict = `:red_circle: *${report.env}: ${bad.length} of ${sites.length} HTTPS site${sites.length === 1 ? '' : 's'} need action* — ${bad.map(headline).join('; ')}`;
    tone = 'danger';
  } else if (warn.length) {
    verdict = `:large_yellow_circle: *${report.env}: ${warn.length} of ${sites.length} HTTPS site${sites.length === 1 ? '' : 's'} with warnings* — ${warn.map(headline).join('; ')}`;
    tone = 'warning';
  } else {
    verdict = `:large_green_circle: *${report.env}: TLS is in order on ${sites.length} site${sites.length === 1 ? '' : 's'}*`;
    tone = 'ok';
  }
  const blocks: KnownBlock[] = [section(verdict)];
  for (const { inspection: t, judgement: j } of ordered.slice(0, 20)) {
    const facts = [
      t.issuer ? `issuer ${escapeMrkdwn(t.issuer)}` : undefined,
      t.protocol,
      t.cipher,
      t.status !== undefined ? `HEAD ${t.status}` : undefined,
      `${t.latencyMs} ms`,
    ].filter(Boolean);
    const lines = j.findings.map((f) => `${ICON[f.level]} ${escapeMrkdwn(f.text)}`);
    blocks.push(
      section(
        `${ICON[j.level]} *${escapeMrkdwn(t.name)}* <${t.url}|${escapeMrkdwn(t.host)}:${t.port}>${lifeBar(j.daysLeft)}\n${lines.join('\n')}`,
      ),
      context(facts.join(' · ')),
    );
  }
  blocks.push(
    context(
      `env *${report.env}* · warning under 21 days, red under 7 · timeout ${report.timeoutMs / 1000}s each · ${report.checkedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    ),
  );
  const text = bad.length
    ? `${report.env}: TLS needs action on ${bad.map(headline).join('; ')}`
    : warn.length
      ? `${report.env}: TLS warnings on ${warn.map(headline).join('; ')}`
      : `${report.env}: TLS in order on ${sites.length} site(s)`;
  return { text, tone, blocks };
}
