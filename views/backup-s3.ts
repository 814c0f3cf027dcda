import type { S3Backup, S3CopyResult } from '../src/backup/s3-copy.js';
import { escapeMrkdwn, section, type KnownBlock } from './blocks.js';
import { TONE_ICON, plural } from './aws-common.js';
import { formatAge, formatBytes, tableSections } from './db-format.js';
import type { Tone } from './reply.js';

/** The S3 part of `/ops backup list`: the copies, or why they could not be listed. */
export interface S3CopiesView {
  url: string;
  copies?: S3Backup[];
  error?: string;
  /** The newest local file: it should have a copy. */
  newestLocal?: string;
}

const SHOWN = 15;

export function s3CopiesBlocks(view: S3CopiesView): { tone: Tone; line: string; blocks: KnownBlock[] } {
  const where = escapeMrkdwn(view.url);
  if (!view.copies) {
    const line = `S3 copies in ${view.url} could not be listed: ${view.error ?? 'unknown error'}`;
    return { tone: 'warning', line, blocks: [section(`${TONE_ICON.warning} ${escapeMrkdwn(line)}`)] };
  }
  const copies = view.copies;
  const missing = view.newestLocal && !copies.some((c) => c.file === view.newestLocal);
  const tone: Tone = missing ? 'warning' : copies.length ? 'ok' : 'info';
  const line = missing
    ? `the newest backup ${view.newestLocal} has no copy in ${view.url} (the copy failed or is still running)`
    : copies.length
      ? `${plural(copies.length, 'copy', 'copies')} in ${view.url}, newest ${formatAge(copies[0].ageMs)} old`
      : `no copies in ${view.url} yet`;
  const blocks: KnownBlock[] = [section(`${TONE_ICON[tone]} *S3:* ${escapeMrkdwn(line)}`)];
  if (copies.length)
    blocks.push(
      ...tableSections(
        ['S3 OBJECT', 'SIZE', 'AGE'],
        copies.slice(0, SHOWN).map((c) => [c.file, formatBytes(c.bytes), formatAge(c.ageMs)]),
        ['l', 'r', 'r'],
      ),
    );
  if (copies.length > SHOWN) blocks.push(section(`_newest ${SHOWN} of ${copies.length} shown, under ${where}_`));
  return { tone, line, blocks };
}

/** The S3 copy and S3 retention lines of a finished backup. */
export function s3CopyDoneBlocks(copy: S3CopyResult, keepMs: number): { tone: Tone; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    section(`:cloud: Copied to \`${escapeMrkdwn(copy.url)}\` in ${formatAge(copy.durationMs)}`),
  ];
  if (copy.retentionProblem) {
    blocks.push(
      section(
        `${TONE_ICON.warning} S3 retention did not finish: ${escapeMrkdwn(copy.retentionProblem)}${copy.deleted.length ? ` (deleted ${plural(copy.deleted.length, 'copy', 'copies')} before that)` : ''}`,
      ),
    );
    return { tone: 'warning', blocks };
  }
  blocks.push(
    section(
      copy.deleted.length
        ? `S3 retention (keep ${formatAge(keepMs)}) deleted ${plural(copy.deleted.length, 'older copy', 'older copies')}: ${copy.deleted.map((d) => `\`${escapeMrkdwn(d.file)}\` (${formatAge(d.ageMs)} old)`).join(', ')}`
        : `S3 retention (keep ${formatAge(keepMs)}): nothing old enough to delete`,
    ),
  );
  return { tone: 'ok', blocks };
}
