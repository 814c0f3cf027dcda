import type { OpsConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Services } from './services.js';
import type { Reply } from '../../views/reply.js';

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

export interface JobDefinition<Data = any> {
  /** Queue job name, e.g. "db.vacuum". */
  name: string;
  /** Hard limit; the job fails with "timed out after …" past it. */
  timeoutMs?: number;
  /**
   * Retrying a job that changes something could repeat a side effect, so jobs
   * are attempted once unless they say they are idempotent.
   */
  idempotent?: boolean;
  run(ctx: JobContext, data: Data): Promise<Reply>;
}

export function defineJob<Data>(definition: JobDefinition<Data>): JobDefinition<Data> {
  return definition;
}
