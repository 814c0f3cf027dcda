import type { EnvironmentConfig } from '../config/schema.js';
import { UserError, abortReason } from '../errors.js';
import { formatDuration } from '../duration.js';
import type { AwsClients } from './clients.js';
import { AwsSession, POLICY_HINT } from './session.js';

/** How long and how often a job follows an AWS action; ops.yml environments.<env>.actions overrides these. */
export const ACTION_TIMING_DEFAULTS = {
  pollIntervalMs: 15_000,
  rolloutTimeoutMs: 30 * 60_000,
  snapshotTimeoutMs: 60 * 60_000,
  restoreTimeoutMs: 90 * 60_000,
  healthGraceMs: 2 * 60_000,
} as const;

export interface ActionTiming {
  pollIntervalMs: number;
  rolloutTimeoutMs: number;
  snapshotTimeoutMs: number;
  restoreTimeoutMs: number;
  healthGraceMs: number;
}

export function actionTiming(env: EnvironmentConfig): ActionTiming {
  const a = env.actions ?? {};
  const d = ACTION_TIMING_DEFAULTS;
  return {
    pollIntervalMs: a.pollInterval ?? d.pollIntervalMs,
    rolloutTimeoutMs: a.rolloutTimeout ?? d.rolloutTimeoutMs,
    snapshotTimeoutMs: a.snapshotTimeout ?? d.snapshotTimeoutMs,
    restoreTimeoutMs: a.restoreTimeout ?? d.restoreTimeoutMs,
    healthGraceMs: a.healthGrace ?? d.healthGraceMs,
  };
}

/** Each poll is a short conversation of its own: one slow answer must not eat the whole job's budget. */
const POLL_DEADLINE_MS = 15_000;

export function pollSession(clients: AwsClients): AwsSession {
  return new AwsSession(clients, { deadlineMs: POLL_DEADLINE_MS, policyHint: POLICY_HINT });
}

/** Waits, but wakes at once when the job is cancelled or times out. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export type Step<T> = { done: true; value: T } | { done: false; percent?: number; note: string };

export interface FollowOptions {
  signal: AbortSignal;
  intervalMs: number;
  timeoutMs: number;
  /** "snapshot `x` to become available": what the timeout message says we waited for. */
  waitingFor: string;
  /** What to check by hand when opsbot stops following (AWS keeps working). */
  afterTimeout: string;
  progress(percent: number, note?: string): Promise<void>;
  /** Percent range this follow reports in (a job may have several phases). */
  range?: [number, number];
}

/** Raised when a follow runs out of time; the job shows its message, with the last state seen. */
export class FollowTimeout extends UserError {}

/**
 * Polls `check` until it reports done, reporting progress between polls.
 * Without a percent from AWS, progress creeps towards the end of the range
 * with the time spent, so the bar still moves.
 */
export async function follow<T>(options: FollowOptions, check: (elapsedMs: number) => Promise<Step<T>>): Promise<T> {
  const started = Date.now();
  const [from, to] = options.range ?? [5, 95];
  for (;;) {
    if (options.signal.aborted) throw options.signal.reason;
    const elapsed = Date.now() - started;
    const step = await check(elapsed);
    if (step.done) return step.value;
    const share = step.percent !== undefined ? step.percent / 100 : 1 - Math.exp(-elapsed / (options.timeoutMs / 3));
    await options.progress(from + (to - from) * Math.min(1, Math.max(0, share)), step.note);
    if (Date.now() - started + options.intervalMs > options.timeoutMs) {
      throw new FollowTimeout(
        `Gave up waiting for ${options.waitingFor} after ${formatDuration(Math.round((Date.now() - started) / 1000) * 1000 || options.timeoutMs)} (limit ${formatDuration(options.timeoutMs)}). Last state: ${step.note}.`,
        `AWS keeps working on it; opsbot only stopped following. ${options.afterTimeout}`,
      );
    }
    await pause(options.intervalMs, options.signal);
  }
}

/** "20261123-0912" in UTC: the stamp in opsbot's snapshot and instance names. */
export function nameStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The follow settings a job passes down: its cancel/timeout signal, its progress, the env's timing. */
export function jobFollowSettings(
  job: { signal: AbortSignal; progress(percent: number, note?: string): Promise<void> },
  timing: ActionTiming,
  timeoutMs: number,
  range?: [number, number],
) {
  return {
    signal: job.signal,
    progress: job.progress,
    intervalMs: timing.pollIntervalMs,
    timeoutMs,
    healthGraceMs: timing.healthGraceMs,
    range,
  };
}
