import { unlink } from 'node:fs/promises';
import { listBackups, type BackupFile } from './backup-files.js';

export interface RetentionRequest {
  dir: string;
  envName: string;
  keepMs: number;
  /** The backup that just succeeded: nothing is deleted without one, and never it. */
  newest: string;
  now?: Date;
}

/**
 * Deletes this environment's backups older than `keep` (guide 001's
 * `find -mtime +30 -delete`), only after a newer backup succeeded: the caller
 * passes that file, which must exist and be newer than everything deleted.
 * Returns what it deleted.
 */
export async function applyRetention(req: RetentionRequest): Promise<BackupFile[]> {
  const now = req.now ?? new Date();
  const files = await listBackups(req.dir, req.envName, now);
  const newest = files.find((f) => f.path === req.newest || f.file === req.newest);
  if (!newest) return [];
  const doomed = files.filter(
    (f) => f !== newest && f.ageMs > req.keepMs && f.modifiedAt.getTime() < newest.modifiedAt.getTime(),
  );
  const deleted: BackupFile[] = [];
  for (const f of doomed) {
    try {
      await unlink(f.path);
      deleted.push(f);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return deleted;
}
