import type { OpsConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';
import type { Reply } from './reply.js';

export interface JobContext {
  jobId: string;
  config: OpsConfig;
  log: Logger;
  services: Services;
  /** Aborted when the job is cancelled (/ops jobs cancel) or times out. */
  signal: AbortSignal;
  /** Reports progress 0–100 with a short note; updates the Slack message, throttled. */
  progress(percent: number, note?: string): Promise<void>;
}

export interface JobDefinition<Data = unknown> {
  /** Queue job name, e.g. "db.vacuum". */
  name: string;
  /** Hard limit; the job fails with "timed out after …" past it. */
  timeoutMs?: number;
  /**
   * Retrying a job that changes something could repeat a side effect, so jobs
   * are attempted once unless they say they are idempotent.
   */
  idempotent?: boolean;
  /** Also stream each step as a line of a log in the thread of the job's message (a restore, a DR test). */
  streamLog?: boolean;
  run(ctx: JobContext, data: Data): Promise<Reply>;
}

export function defineJob<Data>(definition: JobDefinition<Data>): JobDefinition<Data> {
  return definition;
}

/** What a job looks like in /ops jobs and in its progress message. */
export interface JobSummary {
  id: string;
  title: string;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'cancelled';
  percent: number;
  note?: string;
  requestedBy?: string;
  env?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  failedReason?: string;
}

export interface JobMeta {
  title: string;
  requestedBy: string;
  env?: string;
  commandText?: string;
  /** Where the progress message lives, when the job came from Slack. */
  message?: { channel: string; ts: string };
  /** A channel the outcome is posted in when no message started the job (a schedule's run). */
  announce?: string;
}

/** What is stored for one job. Secrets never go in here: handlers look them up from config by env name. */
export interface JobEnvelope {
  data: Record<string, unknown>;
  meta: JobMeta;
}

/** Puts work on the job queue (the BullMQ queue implements it). */
export interface JobScheduling {
  /** `idempotent` jobs may be retried; `delayMs` runs it later (expiry, reminders). */
  enqueue(
    name: string,
    envelope: JobEnvelope,
    options?: { idempotent?: boolean; delayMs?: number },
  ): Promise<{ id?: string }>;
  /** A recurring job (cron pattern in a time zone); upserting the same id again changes it, never doubles it. */
  upsertSchedule(id: string, when: { pattern: string; tz: string }, name: string, envelope: JobEnvelope): Promise<void>;
  scheduleIds(): Promise<string[]>;
  removeSchedule(id: string): Promise<void>;
}

/** /ops jobs and /ops jobs cancel. */
export interface JobControl {
  list(now?: Date): Promise<{ active: JobSummary[]; queued: JobSummary[]; failed: JobSummary[] }>;
  cancel(id: string, by: string): Promise<{ title: string; how: 'removed' | 'signalled' }>;
}

/** The job handlers by name (the router's registry holds them). */
export interface JobCatalog {
  job(name: string): JobDefinition | undefined;
  jobs(): JobDefinition[];
}
