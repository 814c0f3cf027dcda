import { UserError } from '../errors.js';
import { nameStamp } from './action-follow.js';
import type { AwsSession } from './session.js';
import type { Snapshot } from './snapshots.js';
import { rds } from './sdk.js';

/** "<snapshot>-<region>-copy" would collide on a second copy; the stamp keeps copies apart (255 characters at most). */
export function copySnapshotName(snapshot: string, region: string, at: Date): string {
  const base = snapshot
    .replace(/^rds:/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-{2,}/g, '-');
  const name = `${base}-${region}-${nameStamp(at)}`;
  return (/^[a-z]/.test(name) ? name : `copy-${name}`).slice(0, 255);
}

/** The region a snapshot ARN names (arn:aws:rds:<region>:<account>:snapshot:<id>). */
export function arnRegion(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

/**
 * The KMS key for the copy: encrypted snapshots are re-encrypted with a key of
 * the TARGET region (a key ARN or alias there), so one key per region, or one
 * that is a multi-Region key.
 */
export function copyKmsKey(config: string | Record<string, string> | undefined, region: string): string | undefined {
  if (typeof config === 'string') return config;
  return config?.[region];
}

export function requireKmsKeyFor(snap: Snapshot, region: string, key: string | undefined, envName: string): void {
  if (snap.encrypted && !key)
    throw new UserError(
      `Snapshot \`${snap.id}\` is encrypted, so its copy in ${region} needs a KMS key of ${region}, and none is configured.`,
      `Set backup.copyKmsKey under environments.${envName} in ops.yml: a key ARN or alias, or one per region (\`copyKmsKey: { ${region}: "arn:aws:kms:${region}:<account>:key/<id>" }\`).`,
    );
}

/** RDS's refusals of a copy, as what to do instead. */
function copyRefusal(err: unknown, id: string, region: string): never {
  const e = err as { name?: string; message?: string };
  const detail = (e.message ?? '').split('\n')[0];
  if (e.name === 'KMSKeyNotAccessibleFault')
    throw new UserError(
      `RDS cannot use the KMS key for the copy in ${region} (${detail}).`,
      `Check backup.copyKmsKey in ops.yml names a key of ${region}, and that opsbot's role may use it (kms:CreateGrant, kms:DescribeKey).`,
    );
  if (e.name === 'DBSnapshotAlreadyExistsFault')
    throw new UserError(
      `${region} already has a snapshot \`${id}\`, so nothing was copied.`,
      'Ask again in a minute (the name carries the time).',
    );
  if (e.name === 'InvalidDBSnapshotStateFault')
    throw new UserError(
      `RDS refused to copy: the snapshot is not available (${detail}).`,
      'Follow it with `/ops backup list`, then ask again.',
    );
  throw err;
}

/**
 * CopyDBSnapshot sent in the TARGET region, the source named by its ARN: the
 * SDK (middleware-sdk-rds) presigns the cross-region request (PreSignedUrl)
 * for the ARN's region, which SDK v3 takes instead of a SourceRegion parameter.
 */
export async function copySnapshotToRegion(
  target: AwsSession,
  source: Snapshot & { arn: string },
  sourceRegion: string,
  copyId: string,
  kmsKeyId: string | undefined,
): Promise<void> {
  const region = target.region ?? '?';
  if (arnRegion(source.arn) !== sourceRegion)
    throw new Error(`snapshot ARN ${source.arn} is not in the source region ${sourceRegion}`);
  await target.call('rds:CopyDBSnapshot', async (abortSignal) => {
    try {
      return await target.clients.rds.send(
        new rds.CopyDBSnapshotCommand({
          SourceDBSnapshotIdentifier: source.arn,
          TargetDBSnapshotIdentifier: copyId,
          ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
          Tags: [
            { Key: 'created-by', Value: 'opsbot' },
            { Key: 'copied-from', Value: source.arn },
          ],
        }),
        { abortSignal },
      );
    } catch (err) {
      return copyRefusal(err, copyId, region);
    }
  });
}
