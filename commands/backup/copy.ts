import { z } from 'zod';
import { actionJob } from '../../src/aws/action-job.js';
import { defineCommand } from '../../src/core/command.js';
import { definePlannedJob } from '../../src/core/planned-job.js';
import { UserError, requireUnchanged } from '../../src/errors.js';
import { ACTION_HARD_LIMITS } from '../../src/config/schema.js';
import { requireRds } from '../../src/aws/action-target.js';
import { pollSession } from '../../src/aws/action-follow.js';
import { followSnapshot, getSnapshot } from '../../src/aws/snapshots.js';
import {
  arnRegion,
  copyKmsKey,
  copySnapshotName,
  copySnapshotToRegion,
  requireKmsKeyFor,
} from '../../src/aws/snapshot-copy.js';
import { copyEffect, copyJobTitle, renderCopyDone } from '../../views/backup-copy.js';

/** Plan and job data: the source snapshot as it was, the target region, the copy's name and key. */
export interface CopyJobData {
  env: string;
  snapshot: string;
  snapshotArn: string;
  snapshotCreatedAt?: string;
  sourceRegion: string;
  region: string;
  copyId: string;
  kmsKeyId?: string;
}

export const backupCopyJob = definePlannedJob<CopyJobData>({
  name: 'actions.backup-copy',
  timeoutMs: ACTION_HARD_LIMITS.snapshot,
  async run(ctx, data) {
    const { timing, step, following } = actionJob(ctx, data.env);
    const again = `Ask again with \`/ops backup copy ${data.env} <snapshot> --to ${data.region}\`.`;
    const snap = await getSnapshot(step(), data.snapshot);
    requireUnchanged(
      snap?.status === 'available',
      `Snapshot \`${data.snapshot}\` is ${snap ? `now ${snap.status}` : 'gone'}, not available as when the copy was approved; nothing was copied.`,
      again,
    );
    requireUnchanged(
      !data.snapshotCreatedAt || snap!.createdAt?.toISOString() === data.snapshotCreatedAt,
      `Snapshot \`${data.snapshot}\` was taken again since the copy was approved; nothing was copied.`,
      again,
    );
    const target = ctx.services.aws.forRegion(data.region);
    requireUnchanged(
      (await getSnapshot(pollSession(target), data.copyId)) === undefined,
      `${data.region} already has a snapshot \`${data.copyId}\`; nothing was copied.`,
      again,
    );
    await ctx.progress(2, `CopyDBSnapshot ${data.sourceRegion} → ${data.region} as ${data.copyId}`);
    await copySnapshotToRegion(
      pollSession(target),
      { ...snap!, arn: data.snapshotArn },
      data.sourceRegion,
      data.copyId,
      data.kmsKeyId,
    );
    const copy = await followSnapshot(target, following(timing.snapshotTimeoutMs), data.copyId);
    return renderCopyDone({ env: data.env, region: data.region, copy, source: data.snapshot });
  },
});

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const backupCopy = defineCommand({
  name: 'backup copy',
  summary:
    'Copy an RDS snapshot to another region (CopyDBSnapshot, KMS key from backup.copyKmsKey when encrypted) and follow it until available',
  usage: '[env] <snapshot> --to <region>',
  examples: ['backup copy prod opsbot-prod-20261123-0912 --to us-west-2'],
  // Data leaves the region: a second person agrees (data residency), as the guide's DR copy is deliberate.
  risk: 'dangerous',
  positionals: ['snapshot'],
  args: z.object({
    snapshot: z.string().min(1),
    to: z.string().regex(REGION, 'must be an AWS region such as us-west-2'),
  }),
  jobs: [backupCopyJob],
  async plan(ctx, { snapshot, to }) {
    requireRds(ctx.envName, ctx.env);
    const s = ctx.aws();
    const sourceRegion = s.region;
    if (!sourceRegion)
      throw new UserError(
        `opsbot does not know the region of \`${ctx.envName}\`, so it cannot name the copy's source.`,
        `Set region under environments.${ctx.envName} in ops.yml.`,
      );
    if (to === sourceRegion)
      throw new UserError(
        `\`${snapshot}\` is already in ${to}; a DR copy goes to another region.`,
        `Pick another region, e.g. \`--to ${sourceRegion === 'us-west-2' ? 'us-east-1' : 'us-west-2'}\`.`,
      );
    const snap = await getSnapshot(s, snapshot);
    if (!snap)
      throw new UserError(
        `RDS has no snapshot \`${snapshot}\` in ${sourceRegion}.`,
        `See the snapshots with \`/ops backup list ${ctx.envName}\`.`,
      );
    if (snap.status !== 'available')
      throw new UserError(
        `Snapshot \`${snapshot}\` is ${snap.status}, not available: only an available snapshot can be copied.`,
        `Follow it with \`/ops backup list ${ctx.envName}\`, then ask again.`,
      );
    const arn = snap.arn;
    if (!arn || arnRegion(arn) !== sourceRegion)
      throw new UserError(`RDS gave no ARN in ${sourceRegion} for snapshot \`${snapshot}\`, so it cannot be copied.`);
    const kmsKeyId = snap.encrypted ? copyKmsKey(ctx.env.backup?.copyKmsKey, to) : undefined;
    requireKmsKeyFor(snap, to, kmsKeyId, ctx.envName);
    const copyId = copySnapshotName(snap.id, to, ctx.services.clock());
    const createdAt = snap.createdAt?.toISOString();
    return {
      command: 'backup copy',
      env: ctx.envName,
      args: { snapshot, to },
      summary: `Copy snapshot \`${snap.id}\` from ${sourceRegion} to ${to} as \`${copyId}\``,
      effects: [
        copyEffect({
          snapshot: snap.id,
          fromRegion: sourceRegion,
          toRegion: to,
          copyId,
          encrypted: snap.encrypted === true,
          kmsKey: kmsKeyId,
        }),
      ],
      targets: [
        { kind: 'rds-snapshot', id: snap.id, detail: `${sourceRegion}, source, untouched` },
        { kind: 'rds-snapshot', id: copyId, detail: `${to}, new` },
      ],
      preconditions: [
        { what: `snapshot ${snap.id} is`, expected: 'available' },
        ...(createdAt ? [{ what: `snapshot ${snap.id} taken at`, expected: createdAt }] : []),
        { what: `snapshot ${copyId} exists in ${to}`, expected: false },
      ],
      data: {
        env: ctx.envName,
        snapshot: snap.id,
        snapshotArn: arn,
        snapshotCreatedAt: createdAt,
        sourceRegion,
        region: to,
        copyId,
        kmsKeyId,
      },
      plannedAt: ctx.services.clock().toISOString(),
    };
  },
  async execute(_ctx, { data }) {
    return {
      job: { name: backupCopyJob.name, data: { ...data }, title: copyJobTitle(data.env, data.snapshot, data.region) },
    };
  },
});
