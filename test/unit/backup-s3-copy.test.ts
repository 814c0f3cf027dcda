import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../../src/aws/clients.js';
import { UPLOAD_PART_BYTES, s3Url } from '../../src/aws/s3-objects.js';
import { copyBackupToS3, listS3Backups } from '../../src/backup/s3-copy.js';
import { parseConfig } from '../../src/config/load.js';
import { awsError } from '../support/aws-mocks.js';

const s3 = mockClient(S3Client);
const DAY = 86_400_000;
const NOW = new Date('2026-11-20T02:05:00Z');

/** A ListObjectsV2 page as the S3 API reference shows it. */
function listPage(keys: { Key: string; ageDays: number; Size?: number }[], next?: string) {
  return {
    Name: 'invoice-backups',
    Prefix: 'invoice/invoice-',
    KeyCount: keys.length,
    MaxKeys: 1000,
    IsTruncated: Boolean(next),
    NextContinuationToken: next,
    Contents: keys.map((k) => ({
      Key: k.Key,
      LastModified: new Date(NOW.getTime() - k.ageDays * DAY),
      ETag: '"0cc175b9c0f1b6a831c399e269772661"',
      Size: k.Size ?? 1234,
      StorageClass: 'STANDARD' as const,
    })),
  };
}

describe('S3 copies of pg_dump backups (aws-sdk-client-mock)', () => {
  const aws = new AwsClientFactory();
  let dir: string;
  const { config } = parseConfig(
    `environments:\n  invoice:\n    region: eu-central-1\n    database: { url: "postgres://u@h/d", backup: { dir: /var/backups/invoice, keep: 30d, s3: { bucket: invoice-backups, prefix: invoice } } }\n`,
    {},
  );
  const env = config.environments.invoice;
  const backup = env.database!.backup!;
  const location = backup.s3!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbot-s3-'));
  });
  afterAll(async () => {
    s3.restore();
    aws.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => s3.reset());

  async function dumpOf(file: string, bytes: number) {
    const path = join(dir, file);
    await writeFile(path, Buffer.alloc(bytes, 7));
    return { file, path, format: 'sql.gz' as const, bytes, durationMs: 1000 };
  }

  it('uploads a small dump with one PutObject under <prefix>/, then deletes only older copies past keep', async () => {
    const dump = await dumpOf('invoice-20261120-0200.sql.gz', 2048);
    s3.on(PutObjectCommand).resolves({ ETag: '"9b2cf535f27731c974343645a3985328"' });
    s3.on(ListObjectsV2Command).resolves(
      listPage([
        { Key: 'invoice/invoice-20261120-0200.sql.gz', ageDays: 0 },
        { Key: 'invoice/invoice-20261110-0200.sql.gz', ageDays: 10 },
        { Key: 'invoice/invoice-20261001-0200.sql.gz', ageDays: 50 },
        { Key: 'invoice/invoice-notes.txt', ageDays: 90 },
      ]),
    );
    s3.on(DeleteObjectCommand).resolves({});
    const result = await copyBackupToS3({
      aws,
      env,
      envName: 'invoice',
      backup: { ...backup, s3: location },
      dump,
      now: () => NOW,
    });
    expect(result.url).toBe('s3://invoice-backups/invoice/invoice-20261120-0200.sql.gz');
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put).toMatchObject({
      Bucket: 'invoice-backups',
      Key: 'invoice/invoice-20261120-0200.sql.gz',
      ContentLength: 2048,
    });
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({
      Bucket: 'invoice-backups',
      Prefix: 'invoice/invoice-',
    });
    // Only the 50-day-old backup: the 10-day one is within keep, the .txt is not a backup.
    expect(result.deleted.map((d) => d.file)).toEqual(['invoice-20261001-0200.sql.gz']);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'invoice/invoice-20261001-0200.sql.gz',
    ]);
    expect(result.retentionProblem).toBeUndefined();
  });

  it('streams a dump larger than one part as a multipart upload', async () => {
    const dump = await dumpOf('invoice-20261120-0201.sql.gz', UPLOAD_PART_BYTES + 1000);
    s3.on(CreateMultipartUploadCommand).resolves({
      Bucket: 'invoice-backups',
      Key: 'invoice/invoice-20261120-0201.sql.gz',
      UploadId: 'VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA',
    });
    s3.on(UploadPartCommand).resolves({ ETag: '"b54357faf0632cce46e942fa68356b38"' });
    s3.on(CompleteMultipartUploadCommand).resolves({
      Location: 'https://invoice-backups.s3.eu-central-1.amazonaws.com/invoice/invoice-20261120-0201.sql.gz',
      Bucket: 'invoice-backups',
      Key: 'invoice/invoice-20261120-0201.sql.gz',
      ETag: '"3858f62230ac3c915f300c664312c11f-2"',
    });
    s3.on(ListObjectsV2Command).resolves(listPage([{ Key: 'invoice/invoice-20261120-0201.sql.gz', ageDays: 0 }]));
    const result = await copyBackupToS3({
      aws,
      env,
      envName: 'invoice',
      backup: { ...backup, s3: location },
      dump,
      now: () => NOW,
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => p.PartNumber).sort()).toEqual([1, 2]);
    expect(parts.every((p) => p.UploadId?.startsWith('VXBsb2Fk'))).toBe(true);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    expect(result.deleted).toEqual([]);
  });

  it('AccessDenied on the upload names s3:PutObject, keeps everything, and deletes nothing', async () => {
    const dump = await dumpOf('invoice-20261120-0202.sql.gz', 100);
    s3.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const err = (await copyBackupToS3({ aws, env, envName: 'invoice', backup: { ...backup, s3: location }, dump }).then(
      () => ({ message: 'resolved', hint: '' }),
      (e: unknown) => e,
    )) as { message: string; hint?: string };
    expect(err.message).toContain('its copy to s3://invoice-backups/invoice/invoice-20261120-0202.sql.gz failed');
    expect(err.message).toContain('lacks `s3:PutObject`');
    expect(err.message).toContain(dump.path);
    expect(err.hint).toContain('No backups were deleted');
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('a refused DeleteObject leaves the copy done and says which permission retention lacks', async () => {
    const dump = await dumpOf('invoice-20261120-0203.sql.gz', 100);
    s3.on(PutObjectCommand).resolves({ ETag: '"x"' });
    s3.on(ListObjectsV2Command).resolves(
      listPage([
        { Key: 'invoice/invoice-20261120-0203.sql.gz', ageDays: 0 },
        { Key: 'invoice/invoice-20260901-0200.sql.gz', ageDays: 80 },
      ]),
    );
    s3.on(DeleteObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    const result = await copyBackupToS3({
      aws,
      env,
      envName: 'invoice',
      backup: { ...backup, s3: location },
      dump,
      now: () => NOW,
    });
    expect(result.url).toContain('invoice-20261120-0203.sql.gz');
    expect(result.deleted).toEqual([]);
    expect(result.retentionProblem).toContain('lacks `s3:DeleteObject`');
  });

  it('lists every page of copies with age and size, newest first; AccessDenied names s3:ListBucket', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce(listPage([{ Key: 'invoice/invoice-20261118-0200.sql.gz', ageDays: 2, Size: 5_000_000 }], 'token-2'))
      .resolvesOnce(listPage([{ Key: 'invoice/invoice-20261119-0200.sql.gz', ageDays: 1, Size: 6_000_000 }]));
    const session = aws.session(env);
    const copies = await listS3Backups(session, location, 'invoice', NOW);
    expect(copies.map((c) => [c.file, c.bytes, Math.round(c.ageMs / DAY)])).toEqual([
      ['invoice-20261119-0200.sql.gz', 6_000_000, 1],
      ['invoice-20261118-0200.sql.gz', 5_000_000, 2],
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)[1].args[0].input.ContinuationToken).toBe('token-2');
    expect(s3Url(location)).toBe('s3://invoice-backups/invoice/');

    s3.reset();
    s3.on(ListObjectsV2Command).rejects(awsError('AccessDenied', 'Access Denied'));
    await expect(listS3Backups(aws.session(env), location, 'invoice', NOW)).rejects.toThrow(/lacks `s3:ListBucket`/);
  });
});
