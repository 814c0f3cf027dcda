import type { OpsConfig } from '../config/schema.js';
import type { JobScheduling } from '../core/job.js';

export const NAG_JOB = 'checklist.nag';
/** Reminders fire a little after the deadline, so Postgres' clock agrees the run is due. */
export const NAG_MARGIN_MS = 1500;
/** The first reminder is polite; the second (and last) is broadcast to the channel. */
export const LAST_REMINDER = 2;

export interface NagJobData {
  runId: string;
  level: number;
}

/**
 * Who a reminder mentions: the owner as a role under access.roles (its users
 * and user groups), or a user (U…) or user group (S…) id written directly.
 */
export function ownerMention(owner: string | undefined, config: OpsConfig): string | undefined {
  if (!owner) return undefined;
  if (/^[UW][A-Z0-9]{2,}$/.test(owner)) return `<@${owner}>`;
  if (/^S[A-Z0-9]{2,}$/.test(owner)) return `<!subteam^${owner}>`;
  const role = config.access.roles[owner];
  if (!role) return undefined;
  const parts = [...role.users.map((u) => `<@${u}>`), ...role.usergroups.map((g) => `<!subteam^${g}>`)];
  return parts.length ? parts.join(' ') : undefined;
}

/** A delayed reminder job; when it fires, Postgres decides whether it is still needed (done runs are left alone). */
export async function scheduleReminder(
  jobs: JobScheduling,
  data: NagJobData,
  title: string,
  delayMs: number,
): Promise<void> {
  await jobs.enqueue(
    NAG_JOB,
    { data: { ...data }, meta: { title: `Remind about ${title}`, requestedBy: 'opsbot' } },
    { idempotent: true, delayMs: Math.max(0, delayMs) + NAG_MARGIN_MS },
  );
}
