import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';

export interface HealthCheckView {
  name: string;
  kind: 'http' | 'postgres' | 'redis';
  target: string;
  ok: boolean;
  latencyMs: number;
  detail: string;
}

/** An HTTPS health URL whose certificate expires soon (under 21 days; danger under 7). */
export interface CertificateNotice {
  name: string;
  daysLeft: number;
  validTo: Date;
  level: 'warning' | 'danger';
}

export interface HealthReportView {
  env: string;
  checks: HealthCheckView[];
  certificates?: CertificateNotice[];
  timeoutMs: number;
  checkedAt: Date;
}

const KIND_LABEL = { http: 'HTTP', postgres: 'Postgres', redis: 'Redis' } as const;

/** A latency bar relative to the timeout: a slow-but-passing check is visible at a glance. */
function latencyBar(ms: number, timeoutMs: number): string {
  const cells = 8;
  const filled = Math.max(1, Math.min(cells, Math.round((ms / timeoutMs) * cells)));
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

/** `/ops health`: verdict first, then one line per check with status, latency and reason. */
export function renderHealthReport(report: HealthReportView): Reply {
  const failing = report.checks.filter((c) => !c.ok);
  const slow = report.checks.filter((c) => c.ok && c.latencyMs > report.timeoutMs / 2);
  const total = report.checks.length;
  let verdict: string;
  let tone: Reply['tone'];
  if (total === 0) {
    verdict = `:grey_question: *${report.env}*: nothing to check — add \`health\` probes, \`database\` or \`redis\` to this environment in ops.yml`;
    tone = 'muted';
  } else if (failing.length === 0) {
    verdict = `:large_green_circle: *${report.env} is healthy* — ${total} of ${total} checks pass${slow.length ? ` (${slow.length} slow)` : ''}`;
    tone = slow.length ? 'warning' : 'ok';
  } else {
    verdict = `:red_circle: *${report.env}: ${failing.length} of ${total} check${total === 1 ? '' : 's'} failing* — ${failing.map((c) => escapeMrkdwn(c.name)).join(', ')}`;
    tone = 'danger';
  }
  const ordered = [...failing, ...report.checks.filter((c) => c.ok)];
  const lines = ordered.map((c) => {
    const icon = c.ok ? (c.latencyMs > report.timeoutMs / 2 ? ':large_yellow_circle:' : ':white_check_mark:') : ':x:';
    return `${icon} *${escapeMrkdwn(c.name)}* (${KIND_LABEL[c.kind]}) \`${latencyBar(c.latencyMs, report.timeoutMs)}\` ${c.latencyMs} ms — ${escapeMrkdwn(c.detail)}`;
  });
  const certificates = report.certificates ?? [];
  // An expiring certificate does not fail a check today, but a healthy report must not hide it.
  if (certificates.length && tone === 'ok') tone = 'warning';
  const blocks: KnownBlock[] = [section(verdict)];
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  if (certificates.length)
    blocks.push(
      section(
        certificates
          .map(
            (c) =>
              `${c.level === 'danger' ? ':red_circle:' : ':large_yellow_circle:'} *${escapeMrkdwn(c.name)}*: certificate ${c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`} (${c.validTo.toISOString().slice(0, 10)}) — see \`/ops tls ${report.env}\``,
          )
          .join('\n'),
      ),
    );
  blocks.push(
    context(
      `env *${report.env}* · checked in parallel, timeout ${report.timeoutMs / 1000}s each · ${report.checkedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    ),
  );
  const certText = certificates.map((c) => `; ${c.name} certificate expires in ${c.daysLeft} days`).join('');
  const text =
    (total === 0
      ? `${report.env}: nothing to check`
      : failing.length === 0
        ? `${report.env} healthy: ${total}/${total} checks pass`
        : `${report.env}: ${failing.length}/${total} checks failing (${failing.map((c) => `${c.name}: ${c.detail}`).join('; ')})`) +
    certText;
  return { text, tone, blocks };
}
