import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { context, escapeMrkdwn, section } from './blocks.js';
import { stamp } from './aws-common.js';
import type { Reply } from './reply.js';

/** When a queued change runs: the instance's next maintenance window, as the plan found it. */
export interface WindowView {
  /** RDS's own text, "sun:05:00-sun:05:30". */
  text: string;
  start: string;
  end: string;
  inProgress: boolean;
}

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });

/** "Sun 2026-11-29 05:00–05:30 UTC (in 6 days)". */
export function windowLine(w: WindowView, now: Date): string {
  const start = new Date(w.start);
  const end = new Date(w.end);
  const when = `${DAY.format(start)} ${stamp(start).replace(' UTC', '')}–${end.toISOString().slice(11, 16)} UTC`;
  return w.inProgress
    ? `${when} (under way now: RDS may apply it any minute)`
    : `${when} (in ${formatDistanceStrict(start, now)})`;
}

const REBOOT = 'RDS restarts the instance for it: a few minutes of downtime (Multi-AZ: a failover of about a minute)';

export function resizeEffect(
  v: { instance: string; from: string; to: string; now: boolean; window?: WindowView; pending?: string },
  planned: Date,
): string {
  const change = `RDS: ModifyDBInstance \`${v.instance}\` ${v.from} → *${v.to}*`;
  if (v.now)
    return `${change}, *applied now*. :warning: ${REBOOT}.${v.pending ? ` Changes already queued for the maintenance window (${v.pending}) are applied now too.` : ''}`;
  const when = v.window ? windowLine(v.window, planned) : 'the next maintenance window (none is set: RDS picks one)';
  return `${change}, queued for the next maintenance window: ${when}. ${REBOOT} then. Add \`--now\` to apply it immediately.`;
}

export function renderResizeDone(v: {
  env: string;
  instance: string;
  from: string;
  to: string;
  now: boolean;
  window?: WindowView;
  status: string;
  at: Date;
}): Reply {
  const id = escapeMrkdwn(v.instance);
  if (v.now)
    return {
      text: `${v.instance} is now ${v.to} (was ${v.from}) and available`,
      tone: 'ok',
      blocks: [
        section(`:white_check_mark: *\`${id}\` is now ${v.to}* (was ${v.from}) and \`${v.status}\``),
        context(`env *${v.env}* · check the app with \`/ops health ${v.env}\` and \`/ops db connections ${v.env}\``),
      ],
    };
  const when = v.window ? windowLine(v.window, v.at) : 'the next maintenance window';
  return {
    text: `${v.instance}: ${v.from} → ${v.to} is queued for ${when}`,
    tone: 'info',
    blocks: [
      section(
        `:calendar: *\`${id}\`: ${v.from} → ${v.to} is queued* for the maintenance window ${when}.\nRDS shows it as a pending modification until then; the instance keeps serving as ${v.from}.`,
      ),
      context(`env *${v.env}* · to apply it now instead (a reboot): \`/ops db resize ${v.env} ${v.to} --now\``),
    ],
  };
}

const gb = (n: number | undefined) => (n === undefined ? '?' : `${n % 1 === 0 ? n : n.toFixed(1)} GiB`);

export function storageEffect(v: {
  instance: string;
  fromGb: number;
  toGb: number;
  fromMaxGb?: number;
  maxGb?: number;
  freeGb?: number;
}): string {
  const grow =
    v.toGb > v.fromGb ? `AllocatedStorage ${v.fromGb} → *${v.toGb} GiB*` : `AllocatedStorage stays ${v.fromGb} GiB`;
  const auto =
    v.maxGb === undefined
      ? v.fromMaxGb
        ? `; autoscaling stays up to ${v.fromMaxGb} GiB`
        : '; storage autoscaling stays off (add `--max <GB>` to enable it)'
      : `; autoscaling up to *${v.maxGb} GiB* (MaxAllocatedStorage${v.fromMaxGb ? `, was ${v.fromMaxGb}` : ', was off'})`;
  return `RDS: ModifyDBInstance \`${v.instance}\` ${grow}${auto}, applied now without downtime. Free now: ${gb(v.freeGb)}. RDS then optimizes the storage (hours; the instance serves normally) and allows the next storage change after 6 hours. Storage can never be shrunk again.`;
}

export function renderStorageDone(v: {
  env: string;
  instance: string;
  fromGb: number;
  toGb: number;
  maxGb?: number;
  status: string;
  freeBeforeGb?: number;
  freeAfterGb?: number;
}): Reply {
  const expected = v.freeBeforeGb === undefined ? undefined : v.freeBeforeGb + (v.toGb - v.fromGb);
  const free =
    v.freeBeforeGb === undefined
      ? 'CloudWatch had no FreeStorageSpace before the change'
      : `free storage ${gb(v.freeBeforeGb)} before → ${gb(expected)} expected; CloudWatch now says ${gb(v.freeAfterGb)}${
          v.freeAfterGb !== undefined && expected !== undefined && v.freeAfterGb < expected - 1
            ? ' (its 5-minute datapoints catch up within minutes)'
            : ''
        }`;
  const optimizing = v.status === 'storage-optimization';
  return {
    text: `${v.instance} has ${v.toGb} GiB of storage${v.maxGb ? `, autoscaling to ${v.maxGb} GiB` : ''}`,
    tone: 'ok',
    blocks: [
      section(
        `:white_check_mark: *\`${escapeMrkdwn(v.instance)}\` has ${v.toGb} GiB of storage* (was ${v.fromGb})${v.maxGb ? `, autoscaling up to ${v.maxGb} GiB` : ''}\n${free}`,
      ),
      context(
        `env *${v.env}* · ${
          optimizing
            ? 'status `storage-optimization`: RDS is still reorganising the volume (can take hours; the instance serves normally; the next storage change is possible in 6 hours)'
            : `status \`${v.status}\``
        }`,
      ),
    ],
  };
}
