import { context, escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import type { Reply } from './reply.js';
import type { TargetGroupView, TargetView } from '../src/aws/targets.js';

export interface TargetsReportView {
  env: string;
  loadBalancer: string;
  groups: TargetGroupView[];
  checkedAt: Date;
  tookMs: number;
  notes: string[];
}

/** What each DescribeTargetHealth reason code usually means, after the SoleMate guide's 502 checklist. */
const ADVICE: Record<string, string> = {
  'Target.FailedHealthChecks': 'the health check fails: review the app’s health endpoint and its logs',
  'Target.ResponseCodeMismatch': 'the health check answers an unexpected status: check the matcher and the path',
  'Target.Timeout': 'the health check times out: check security groups between the ALB and the tasks',
  'Elb.InternalError': 'the load balancer could not check: usually transient; retry, then ask AWS support',
  'Target.NotRegistered': 'not registered in the group',
  'Target.DeregistrationInProgress': 'draining while it is deregistered',
  'Target.NotInUse': 'its Availability Zone is not enabled on the load balancer',
  'Target.InvalidState': 'the instance is stopped or terminated',
  'Elb.InitialHealthChecking': 'still in its first health checks',
};

const ICON: Record<string, string> = {
  healthy: ':white_check_mark:',
  initial: ':hourglass_flowing_sand:',
  draining: ':arrow_down_small:',
  unused: ':white_circle:',
  unhealthy: ':x:',
  unavailable: ':x:',
};

function targetLine(t: TargetView): string {
  const where = `${escapeMrkdwn(t.id)}${t.port ? `:${t.port}` : ''}${t.zone ? ` (${t.zone})` : ''}`;
  const why = t.reason ? ` — \`${t.reason}\`${ADVICE[t.reason] ? `: ${ADVICE[t.reason]}` : ''}` : '';
  const detail = t.description && t.state !== 'healthy' ? ` _${escapeMrkdwn(t.description)}_` : '';
  return `${ICON[t.state] ?? ':grey_question:'} ${where} *${t.state}*${why}${detail}`;
}

/** `/ops targets`: the SoleMate guide's first step for 502s — which targets the ALB considers unhealthy and why. */
export function renderTargets(r: TargetsReportView): Reply {
  const counts = r.groups.map((g) => {
    const targets = g.targets.ok ? g.targets.value : [];
    return { g, total: targets.length, healthy: targets.filter((t) => t.state === 'healthy').length };
  });
  const empty = counts.filter((c) => c.g.targets.ok && c.healthy === 0);
  const partial = counts.filter((c) => c.healthy > 0 && c.healthy < c.total);
  const unread = r.groups.filter((g) => !g.targets.ok);
  let verdict: string;
  let tone: Reply['tone'];
  if (r.groups.length === 0) {
    verdict = `:grey_question: *${r.env}*: the load balancer has no target groups`;
    tone = 'muted';
  } else if (empty.length) {
    verdict = `:red_circle: *${r.env}: no healthy target in ${empty.map((c) => escapeMrkdwn(c.g.name)).join(', ')}* — requests to ${empty.length === 1 ? 'it' : 'them'} get 502/503`;
    tone = 'danger';
  } else if (partial.length || unread.length) {
    verdict = `:large_yellow_circle: *${r.env}:* ${[
      ...partial.map((c) => `${escapeMrkdwn(c.g.name)} ${c.healthy} of ${c.total} healthy`),
      ...unread.map((g) => `${escapeMrkdwn(g.name)} not read`),
    ].join(', ')}`;
    tone = 'warning';
  } else {
    verdict = `:large_green_circle: *${r.env}: every target is healthy* (${counts.reduce((n, c) => n + c.total, 0)} in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'})`;
    tone = 'ok';
  }
  const blocks: KnownBlock[] = [section(verdict)];
  for (const c of counts.slice(0, 12)) {
    const g = c.g;
    const head = `*${escapeMrkdwn(g.name)}* ${g.protocol ?? ''}${g.port ? `:${g.port}` : ''} · ${c.healthy}/${c.total} healthy${g.healthCheck ? ` · check ${escapeMrkdwn(g.healthCheck)}` : ''}`;
    if (!g.targets.ok) blocks.push(section(`${head}\n:warning: ${escapeMrkdwn(g.targets.error)}`));
    else {
      // Unhealthy first: they are why someone typed the command.
      const order = (t: TargetView) => (t.state === 'healthy' ? 2 : t.state === 'initial' ? 1 : 0);
      const lines = [...g.targets.value].sort((a, b) => order(a) - order(b)).map(targetLine);
      const shown = lines.slice(0, 15);
      if (lines.length > shown.length) shown.push(`… and ${lines.length - shown.length} more`);
      blocks.push(section(`${head}\n${shown.join('\n') || '_no registered targets_'}`));
    }
  }
  blocks.push(
    context(
      [
        `env *${r.env}* · ${escapeMrkdwn(r.loadBalancer.replace(/^arn:aws:elasticloadbalancing:[^:]+:\d+:loadbalancer\//, ''))}`,
        `${r.tookMs} ms`,
        r.checkedAt.toISOString().replace(/\.\d+Z$/, 'Z'),
        ...r.notes,
      ].join(' · '),
    ),
  );
  const text = verdict.replace(/[*_]|:[a-z_]+: /g, '');
  return { text, tone, blocks };
}
