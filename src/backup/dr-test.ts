import { redactSecrets } from '../redact.js';
import { UserError, isUserError } from '../errors.js';
import type { Services } from '../core/services.js';
import type { TableCheck } from '../store/backup-verifications.js';
import type { DrTest } from '../store/dr-tests.js';
import { DR_DEFAULTS } from '../config/dr-schema.js';
import { parseDuration } from '../duration.js';
import { actionTiming, jobFollowSettings, pollSession } from '../aws/action-follow.js';
import { requireRds } from '../aws/action-target.js';
import {
  deleteScratchInstance,
  followInstance,
  getInstance,
  listSnapshots,
  newInstanceName,
  restoreToNewInstance,
} from '../aws/snapshots.js';
import { checkRestoreTime, restorableWindow, restoreToPointInTime, utcMinute } from '../aws/point-in-time.js';
import { compareWithLive, type CompareJob } from './compare-live.js';
import { drObjectiveLine, drPassed, drSpan, type DrLine, type DrReportView } from '../../views/dr-test.js';

export type DrMethod = 'snapshot' | 'point-in-time';

export interface DrTestJob extends CompareJob {
  services: Services;
  method?: DrMethod;
  jobId?: string;
  requestedBy?: string;
}

/** The environment's targets (dr: in ops.yml), else the SoleMate guide's: RTO 15 min, RPO 5 min, from a snapshot. */
export function drTargets(env: CompareJob['env']): { rtoMs: number; rpoMs: number; method: DrMethod } {
  return {
    rtoMs: env.dr?.rto ?? parseDuration(DR_DEFAULTS.rto)!,
    rpoMs: env.dr?.rpo ?? parseDuration(DR_DEFAULTS.rpo)!,
    method: env.dr?.method ?? DR_DEFAULTS.method,
  };
}

interface Run {
  method: DrMethod;
  source: string;
  tempId?: string;
  rtoMs?: number;
  rpoMs?: number;
  checks: TableCheck[];
  cleanup?: string;
  lines: DrLine[];
}

function failureText(err: unknown): string {
  if (isUserError(err)) return err.message + (err.hint ? ` ${err.hint}` : '');
  return `unexpected error: ${redactSecrets((err as Error).message)}`;
}

/**
 * The SoleMate and Expo guides' DR test as one job: restore the latest snapshot
 * (or the latest restorable time) to a temporary instance, wait until it is
 * available (achieved RTO), log in and compare row counts with live, take the
 * age of what was restored as the achieved RPO, delete the temporary instance
 * whatever happened, and record the result.
 */
export async function runDrTest(job: DrTestJob): Promise<{ test: DrTest; view: DrReportView }> {
  const clock = job.services.clock;
  const startedAt = clock();
  const targets = drTargets(job.env);
  const run: Run = { method: job.method ?? targets.method, source: '(none)', checks: [], lines: [] };
  try {
    await restoreAndCheck(job, run, startedAt);
  } catch (err) {
    if (job.signal.aborted || !isUserError(err)) {
      run.lines.push({ ok: false, text: job.signal.aborted ? 'stopped: cancelled' : failureText(err) });
      await record(job, run, startedAt, targets).catch(() => undefined);
      throw err;
    }
    run.lines.push({ ok: false, text: failureText(err) });
  }
  run.lines.push(drObjectiveLine('RTO', run.rtoMs, targets.rtoMs, 'restore requested → available'));
  run.lines.push(
    drObjectiveLine(
      'RPO',
      run.rpoMs,
      targets.rpoMs,
      run.method === 'snapshot' ? 'age of the snapshot' : 'behind the latest restorable time',
    ),
  );
  if (run.cleanup) run.lines.push({ ok: !run.cleanup.startsWith('could not'), text: run.cleanup });
  const test = await record(job, run, startedAt, targets);
  return {
    test,
    view: {
      env: job.envName,
      method: run.method,
      source: run.source,
      tempInstance: run.tempId,
      startedAt,
      rtoMs: run.rtoMs,
      rpoMs: run.rpoMs,
      rtoTargetMs: targets.rtoMs,
      rpoTargetMs: targets.rpoMs,
      lines: run.lines,
      passed: test.passed,
    },
  };
}

async function restoreAndCheck(job: DrTestJob, run: Run, startedAt: Date): Promise<void> {
  const clock = job.services.clock;
  const instance = requireRds(job.envName, job.env);
  const clients = job.services.aws.forEnv(job.env);
  const timing = actionTiming(job.env);
  const step = () => pollSession(clients);
  await job.progress(2, 'finding what to restore');
  const like = await getInstance(step(), instance);
  if (!like) throw new UserError(`RDS has no instance \`${instance}\`.`, 'Check rds.instance in ops.yml.');
  const tempId = newInstanceName(instance, 'drtest', startedAt);
  let requestedAt: Date;
  if (run.method === 'snapshot') {
    const latest = (await listSnapshots(step(), instance)).find((s) => s.status === 'available');
    if (!latest)
      throw new UserError(`\`${instance}\` has no available snapshot to restore.`, 'Take one with `/ops backup`.');
    run.source = latest.id;
    run.rpoMs = latest.createdAt ? startedAt.getTime() - latest.createdAt.getTime() : undefined;
    await job.progress(4, `RestoreDBInstanceFromDBSnapshot ${latest.id} → ${tempId}`);
    requestedAt = clock();
    await restoreToNewInstance(step(), latest.id, tempId, like);
  } else {
    const window = await restorableWindow(step(), instance);
    checkRestoreTime(window, window.latest ?? new Date(0));
    const at = window.latest!;
    run.source = at.toISOString();
    run.rpoMs = startedAt.getTime() - at.getTime();
    await job.progress(4, `RestoreDBInstanceToPointInTime ${utcMinute(at)} → ${tempId}`);
    requestedAt = clock();
    await restoreToPointInTime(step(), like, tempId, at);
  }
  run.tempId = tempId;
  run.cleanup = `temporary instance ${tempId}: not deleted yet — delete it in the RDS console`;
  try {
    const restored = await followInstance(
      clients,
      jobFollowSettings(job, timing, timing.restoreTimeoutMs, [5, 75]),
      tempId,
    );
    run.rtoMs = clock().getTime() - requestedAt.getTime();
    const endpoint = `${restored.endpoint!.address}:${restored.endpoint!.port}`;
    run.lines.push({ ok: true, text: `${tempId} available at ${endpoint} after ${drSpan(run.rtoMs)}` });
    await checkCopy(job, run, restored.endpoint!);
  } finally {
    await job.progress(92, `deleting ${tempId}`).catch(() => undefined);
    try {
      await deleteScratchInstance(pollSession(clients), tempId);
      run.cleanup = `deleting temporary instance ${tempId} (no final snapshot)`;
    } catch (err) {
      run.cleanup = `could not delete temporary instance ${tempId}: ${failureText(err)} — delete it in the RDS console`;
    }
  }
}

/** Logs in to the copy with the live database's credentials and compares row counts of the largest tables. */
async function checkCopy(job: DrTestJob, run: Run, endpoint: { address: string; port: number }): Promise<void> {
  if (!job.env.database) {
    run.lines.push({
      ok: false,
      text: `no data checks: set environments.${job.envName}.database.url so opsbot can log in to the copy`,
    });
    return;
  }
  await job.progress(78, 'connecting to the copy and counting rows');
  const url = new URL(job.env.database.url);
  url.hostname = endpoint.address;
  url.port = String(endpoint.port);
  try {
    run.checks = await compareWithLive(job, url.toString());
  } catch (err) {
    if (job.signal.aborted || !isUserError(err)) throw err;
    run.lines.push({ ok: false, text: failureText(err) });
    return;
  }
  run.lines.push({ ok: true, text: `connected to the copy; ${run.checks.length} table(s) compared with live` });
  for (const c of run.checks)
    run.lines.push({
      ok: c.ok,
      text: `${c.table}: ${c.restored ?? '—'} restored${c.live !== null ? ` / ${c.live} live` : ''}${c.note ? ` (${c.note})` : ''}`,
    });
}

function record(job: DrTestJob, run: Run, startedAt: Date, targets: { rtoMs: number; rpoMs: number }): Promise<DrTest> {
  const passed = drPassed(run.lines);
  const failed = run.lines.filter((l) => !l.ok);
  return job.services.drTests.record({
    env: job.envName,
    method: run.method,
    source: run.source,
    tempInstance: run.tempId,
    passed,
    summary: passed
      ? `RTO ${drSpan(run.rtoMs ?? 0)}, RPO ${drSpan(run.rpoMs ?? 0)}`
      : failed.map((l) => l.text).join('; '),
    rtoMs: run.rtoMs,
    rpoMs: run.rpoMs,
    rtoTargetMs: targets.rtoMs,
    rpoTargetMs: targets.rpoMs,
    checks: run.checks,
    cleanup: run.cleanup,
    startedAt,
    finishedAt: job.services.clock(),
    jobId: job.jobId,
    requestedBy: job.requestedBy,
  });
}
