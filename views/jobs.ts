import type { JobSummary } from '../src/core/job.js';
import { formatDistanceStrict } from 'date-fns/formatDistanceStrict';
import { actions, button, context, header, section, escapeMrkdwn } from './blocks.js';

/** Buttons whose value is an /ops command run it through the same router as typed text. */
export const RUN_COMMAND_ACTION = 'ops.run';
import { progressBar } from './progress.js';
import type { Reply } from './reply.js';
import { takeWithMore } from './limits.js';
import { dataTable, type TableCell } from './table.js';

export type JobView = JobSummary;

function who(job: JobView): string {
  return job.requestedBy?.startsWith('U') || job.requestedBy?.startsWith('W')
    ? `<@${job.requestedBy}>`
    : (job.requestedBy ?? 'someone');
}

function meta(job: JobView): string {
  return [`job \`${job.id}\``, job.env ? `env *${job.env}*` : undefined, `requested by ${who(job)}`]
    .filter(Boolean)
    .join(' · ');
}

/** The message a job keeps updating while it runs. */
export function renderJobProgress(job: JobView): Reply {
  const state = job.state === 'waiting' || job.state === 'delayed' ? 'queued' : 'running';
  const bar = progressBar(job.percent, 20);
  return {
    text: `${job.title}: ${state} ${Math.round(job.percent)}%`,
    tone: 'info',
    blocks: [
      section(`:hourglass_flowing_sand: *${escapeMrkdwn(job.title)}* — ${state}`),
      section(`\`${bar}\`${job.note ? `\n${escapeMrkdwn(job.note)}` : ''}`),
      context(meta(job)),
      actions('job-controls', button('Cancel', RUN_COMMAND_ACTION, `jobs cancel ${job.id}`, 'danger')),
    ],
  };
}

/** Posted before the job is queued, so the worker has a message to update from its first step. */
export function renderJobQueued(title: string, requestedBy: string, env?: string): Reply {
  return {
    text: `${title}: queued`,
    tone: 'info',
    blocks: [
      section(`:hourglass_flowing_sand: *${escapeMrkdwn(title)}* — queued`),
      context([env ? `env *${env}*` : undefined, `requested by <@${requestedBy}>`].filter(Boolean).join(' · ')),
    ],
  };
}

/** Wraps the job's own result with who asked and how long it took. */
export function renderJobDone(job: JobView, result: Reply, durationMs: number): Reply {
  return {
    ...result,
    text: `${job.title}: done in ${formatMs(durationMs)}. ${result.text}`,
    tone: result.tone ?? 'ok',
    blocks: [...result.blocks, context(`:white_check_mark: ${meta(job)} · done in ${formatMs(durationMs)}`)],
  };
}

export function renderJobFailed(job: JobView, reason: string, durationMs?: number): Reply {
  const cancelled = job.state === 'cancelled';
  const icon = cancelled ? ':no_entry_sign:' : ':x:';
  const verb = cancelled ? 'cancelled' : 'failed';
  return {
    text: `${job.title}: ${verb}: ${reason}`,
    tone: cancelled ? 'muted' : 'danger',
    blocks: [
      section(`${icon} *${escapeMrkdwn(job.title)}* — ${verb}`),
      section(escapeMrkdwn(reason)),
      context(meta(job) + (durationMs !== undefined ? ` · after ${formatMs(durationMs)}` : '')),
    ],
  };
}

export interface JobListView {
  active: JobView[];
  queued: JobView[];
  failed: JobView[];
  now: Date;
}

function whoCell(job: JobView): TableCell {
  return job.requestedBy?.startsWith('U') || job.requestedBy?.startsWith('W')
    ? [{ user: job.requestedBy }]
    : (job.requestedBy ?? 'someone');
}

export function renderJobList(list: JobListView): Reply {
  const row = (job: JobView): TableCell[] => {
    const age = formatDistanceStrict(job.startedAt ?? job.createdAt, list.now);
    if (job.state === 'active') return ['running', job.id, job.title, progressBar(job.percent), age, whoCell(job)];
    if (job.state === 'failed')
      return [
        'failed',
        job.id,
        job.title,
        job.failedReason ?? 'failed',
        `${formatDistanceStrict(job.finishedAt ?? job.createdAt, list.now)} ago`,
        whoCell(job),
      ];
    return ['queued', job.id, job.title, '', `${age} ago`, whoCell(job)];
  };
  const more: string[] = [];
  const group = (title: string, jobs: JobView[]): TableCell[][] => {
    const { shown, more: hidden } = takeWithMore(jobs, 15);
    if (hidden) more.push(`${title}: ${hidden}`);
    return shown.map(row);
  };
  const rows = [
    ...group('running', list.active),
    ...group('queued', list.queued),
    ...group('recently failed', list.failed),
  ];
  const busy = list.active.length + list.queued.length;
  const counts = `*Running* ${list.active.length} · *Queued* ${list.queued.length} · *Recently failed* ${list.failed.length}${list.failed.length ? '' : ' (no failures in the last day)'}`;
  return {
    text: `${list.active.length} running, ${list.queued.length} queued, ${list.failed.length} recently failed`,
    tone: list.failed.length > 0 ? 'warning' : 'ok',
    blocks: [
      header(
        busy === 0 ? 'Jobs: nothing running' : `Jobs: ${list.active.length} running, ${list.queued.length} queued`,
      ),
      section(counts),
      ...(rows.length
        ? dataTable(
            [
              { header: 'state' },
              { header: 'job' },
              { header: 'title' },
              { header: 'progress / reason', wrap: true },
              { header: 'age' },
              { header: 'requested by' },
            ],
            rows,
          )
        : []),
      context(['Cancel one with `/ops jobs cancel <id>`', ...more].join(' · ')),
    ],
  };
}

export function renderJobCancelled(id: string, title: string, how: 'removed' | 'signalled'): Reply {
  const what = `Job \`${id}\` (${escapeMrkdwn(title)})`;
  const text =
    how === 'removed'
      ? `${what} was removed from the queue before it started.`
      : `${what} was asked to stop; its message will say when it has.`;
  return { text, tone: 'muted', blocks: [section(`:no_entry_sign: ${text}`)] };
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
