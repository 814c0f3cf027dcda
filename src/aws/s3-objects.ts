import { createReadStream } from 'node:fs';
import type { AwsSession } from './session.js';
import { s3, s3Storage } from './sdk.js';

/** Where copies go: `s3://<bucket>/<prefix><file>` (a non-empty prefix gets a trailing "/"). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export interface S3ObjectInfo {
  key: string;
  /** The key without the location's prefix. */
  name: string;
  bytes: number;
  modifiedAt: Date;
}

/** Parts of a multipart upload: at most queueSize × partSize (16 MB) is held in memory at a time. */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
const UPLOAD_QUEUE = 2;
/** ListObjectsV2 answers at most 1,000 keys a page; ten pages are plenty for one environment's backups. */
const MAX_LIST_PAGES = 10;

export function keyPrefix(location: S3Location): string {
  return location.prefix && !location.prefix.endsWith('/') ? `${location.prefix}/` : location.prefix;
}

export function s3Url(location: S3Location, name = ''): string {
  return `s3://${location.bucket}/${keyPrefix(location)}${name}`;
}

/**
 * Streams a file to S3 (lib-storage: one PutObject for small files, else a
 * multipart upload of 8 MB parts, two at a time), never reading it whole.
 * The session's deadline bounds the whole upload; when it passes (or the job
 * is cancelled) the upload is aborted and its parts removed.
 */
export async function uploadFile(
  session: AwsSession,
  location: S3Location,
  path: string,
  name: string,
  bytes: number,
  cancel?: AbortSignal,
): Promise<{ key: string }> {
  const key = `${keyPrefix(location)}${name}`;
  await session.call('s3:PutObject', async (deadline) => {
    const abortSignal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
    const upload = new s3Storage.Upload({
      client: session.clients.s3,
      params: { Bucket: location.bucket, Key: key, Body: createReadStream(path), ContentLength: bytes },
      partSize: UPLOAD_PART_BYTES,
      queueSize: UPLOAD_QUEUE,
      leavePartsOnError: false,
    });
    const stop = () => void upload.abort().catch(() => undefined);
    abortSignal.addEventListener('abort', stop, { once: true });
    try {
      if (abortSignal.aborted) throw abortSignal.reason;
      return await upload.done();
    } finally {
      abortSignal.removeEventListener('abort', stop);
    }
  });
  return { key };
}

/** The objects under the location whose names start with `startsWith`, newest first. */
export async function listObjects(
  session: AwsSession,
  location: S3Location,
  startsWith: string,
): Promise<S3ObjectInfo[]> {
  const prefix = keyPrefix(location);
  const objects: S3ObjectInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    // ListObjectsV2 is authorised by s3:ListBucket on the bucket.
    const out = await session.call('s3:ListBucket', (abortSignal) =>
      session.clients.s3.send(
        new s3.ListObjectsV2Command({
          Bucket: location.bucket,
          Prefix: `${prefix}${startsWith}`,
          ContinuationToken: token,
        }),
        { abortSignal },
      ),
    );
    for (const o of out.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      objects.push({
        key: o.Key,
        name: o.Key.slice(prefix.length),
        bytes: o.Size ?? 0,
        modifiedAt: o.LastModified ?? new Date(0),
      });
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
    if (!token) break;
  }
  return objects.sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || b.name.localeCompare(a.name));
}

export async function deleteObject(session: AwsSession, location: S3Location, key: string): Promise<void> {
  await session.call('s3:DeleteObject', (abortSignal) =>
    session.clients.s3.send(new s3.DeleteObjectCommand({ Bucket: location.bucket, Key: key }), { abortSignal }),
  );
}
