import { actionJob } from '../src/aws/action-job.js';
import type { CommandContext } from '../src/core/context.js';
import type { Plan } from '../src/core/command.js';
import { definePlannedJob } from '../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../src/errors.js';
import { ACTION_HARD_LIMITS } from '../src/config/schema.js';
import { requireRds } from '../src/aws/action-target.js';
import { followInstance, getInstance } from '../src/aws/snapshots.js';
import {
  checkRestoreTime,
  pointInTimeInstanceName,
  restorableWindow,
  restoreToPointInTime,
  utcMinute,
  type RestorableWindow,
} from '../src/aws/point-in-time.js';
import { renderRestoreDone } from '../views/backups.js';
import { pitrEffect, pitrJobTitle } from '../views/restore-pitr.js';

/** The plan's data and the job's: the live instance, the frozen restore time and the new instance's name. */
export interface PitrJobData {
  pointInTime: true;
  env: string;
  live: string;
  /** ISO time to restore to. */
  at: string;
  newId: string;
}

export function isPitrData(data: unknown): data is PitrJobData {
  return (data as { pointInTime?: unknown }).pointInTime === true;
}

const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** "2026-11-23T09:12:00Z", "2026-11-23 09:12" (UTC without a zone), "…+01:00", or "latest". */
export function parseRestoreTime(text: string, window: RestorableWindow): Date {
  const t = text.trim();
  if (t.toLowerCase() === 'latest') {
    checkRestoreTime(window, window.latest ?? new Date(0));
    return window.latest!;
  }
  const at = ISO.test(t)
    ? new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`)
    : undefined;
  if (!at || Number.isNaN(at.getTime()))
    throw new UserError(
      `\`${text}\` is not a time opsbot can restore to.`,
      'Write it as ISO 8601 in quotes, e.g. `--to-time "2026-11-23T09:12:00Z"` (a time without a zone is UTC), or `--to-time latest`.',
    );
  return at;
}

function rangeText(w: RestorableWindow): string {
  return `${w.earliest ? utcMinute(w.earliest) : '?'} – ${w.latest ? utcMinute(w.latest) : '?'}`;
}

export async function planPointInTime(ctx: CommandContext, toTime: string): Promise<Plan<PitrJobData>> {
  const live = requireRds(ctx.envName, ctx.env);
  const s = ctx.aws();
  const [window, like] = await Promise.all([restorableWindow(s, live), getInstance(s, live)]);
  const at = parseRestoreTime(toTime, window);
  checkRestoreTime(window, at);
  const newId = pointInTimeInstanceName(live, at);
  if (await getInstance(s, newId))
    throw new UserError(
      `An instance \`${newId}\` already exists (an earlier restore to the same minute).`,
      'Use that one, delete it in the RDS console, or pick another time.',
    );
  const iso = at.toISOString();
  return {
    command: 'restore',
    env: ctx.envName,
    args: { toTime: iso },
    summary: `Restore \`${live}\` as of ${utcMinute(at)} to a new instance \`${newId}\``,
    effects: [
      pitrEffect({ live, newId, at: utcMinute(at), range: rangeText(window), instanceClass: like?.instanceClass }),
    ],
    targets: [
      { kind: 'rds-instance', id: newId, detail: 'new' },
      { kind: 'rds-instance', id: live, detail: `live, untouched; restored as of ${iso}` },
    ],
    preconditions: [
      { what: `${iso} is within the restorable range of ${live}`, expected: true },
      { what: `instance ${newId} exists`, expected: false },
    ],
    data: { pointInTime: true, env: ctx.envName, live, at: iso, newId },
    plannedAt: ctx.services.clock().toISOString(),
  };
}

export const pitrRestoreJob = definePlannedJob<PitrJobData>({
  name: 'actions.restore-pitr',
  // Its steps are also streamed as a log in the thread of its message (chat.startStream).
  streamLog: true,
  timeoutMs: ACTION_HARD_LIMITS.restore,
  async run(ctx, data) {
    const { clients, timing, step, following } = actionJob(ctx, data.env);
    const at = new Date(data.at);
    const again = `Ask again with \`/ops restore ${data.env} --to-time "<ISO time>"\`.`;
    const window = await restorableWindow(step(), data.live);
    try {
      checkRestoreTime(window, at);
    } catch (err) {
      requireUnchanged(
        false,
        `${(err as UserError).message} It was restorable when approved; nothing was restored.`,
        again,
      );
    }
    const like = await getInstance(step(), data.live);
    if (!like) throw new UserError(`RDS has no instance \`${data.live}\`.`, 'Check rds.instance in ops.yml.');
    requireUnchanged(
      (await getInstance(step(), data.newId)) === undefined,
      `An instance \`${data.newId}\` appeared since the restore was approved; nothing was restored.`,
      again,
    );
    await ctx.progress(2, `RestoreDBInstanceToPointInTime ${utcMinute(at)} → ${data.newId}`);
    await restoreToPointInTime(step(), like, data.newId, at);
    const restored = await followInstance(clients, following(timing.restoreTimeoutMs), data.newId);
    return renderRestoreDone({
      env: data.env,
      snapshot: `${data.live} as of ${utcMinute(at)}`,
      newId: data.newId,
      live: data.live,
      endpoint: restored.endpoint!,
    });
  },
});

export function pitrExecute(data: PitrJobData) {
  return {
    job: { name: pitrRestoreJob.name, data: { ...data }, title: pitrJobTitle(data.env, utcMinute(new Date(data.at))) },
  };
}
