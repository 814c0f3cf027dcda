import { open, stat } from 'node:fs/promises';
import { isErrorLine, matchesPattern } from '../log-filter.js';
import { withTimeout } from '../errors.js';
import { Pm2Error, type Pm2Daemon } from './daemon.js';
import { findProcess, listProcesses, type Pm2Process } from './processes.js';

export interface Pm2LogLine {
  process: string;
  /** out: the process's stdout log file; err: its stderr log file. */
  stream: 'out' | 'err';
  /** When pm2 writes timestamps (`time: true` or log_date_format); else undefined. */
  time?: Date;
  text: string;
}

export interface Pm2LogQuery {
  since?: Date;
  /** Newest lines kept per file before filtering, like `pm2 logs --lines`; default 200. */
  lines?: number;
  /** The err file, plus lines of the out file that isErrorLine recognises (`pm2 logs --err`, guide 003). */
  errors?: boolean;
  pattern?: string;
  /** Bytes read from the end of each file; default 512 KiB. */
  maxBytes?: number;
}

export interface Pm2LogResult {
  lines: Pm2LogLine[];
  /** Lines without a timestamp cannot be filtered by `since`; true when some were kept for that reason. */
  undated: boolean;
}

/** Recent lines from pm2's own log files of one process (or of all the environment's processes). */
export async function processLogs(
  daemon: Pm2Daemon,
  name: string | undefined,
  query: Pm2LogQuery = {},
): Promise<Pm2LogResult> {
  const procs = name ? await findProcess(daemon, name) : await listProcesses(daemon);
  const files = uniqueFiles(procs);
  const read = await withTimeout('pm2 log files', daemon.timeoutMs, () =>
    Promise.all(files.map((f) => readLogFile(f.process, f.stream, f.path, query))),
  );
  const lines = read
    .flat()
    .filter((l) => !query.errors || l.stream === 'err' || isErrorLine(l.text))
    .filter((l) => matchesPattern(l.text, query.pattern));
  const undated = Boolean(query.since) && lines.some((l) => !l.time);
  return { lines: lines.sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0)), undated };
}

function uniqueFiles(procs: Pm2Process[]): { process: string; stream: 'out' | 'err'; path: string }[] {
  const seen = new Map<string, { process: string; stream: 'out' | 'err'; path: string }>();
  for (const p of procs) {
    if (p.outLog && p.outLog !== '/dev/null') seen.set(p.outLog, { process: p.name, stream: 'out', path: p.outLog });
    if (p.errLog && p.errLog !== '/dev/null') seen.set(p.errLog, { process: p.name, stream: 'err', path: p.errLog });
  }
  return [...seen.values()];
}

// pm2's log_date_format default is "YYYY-MM-DDTHH:mm:ss" (time: true), followed by ": ".
const STAMP = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?):? /;

export async function readLogFile(
  process: string,
  stream: 'out' | 'err',
  path: string,
  query: Pm2LogQuery,
): Promise<Pm2LogLine[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return []; // pm2 creates the file on the first write
  }
  // A file last written before `since` has nothing newer.
  if (query.since && info.mtime < query.since) return [];
  const maxBytes = query.maxBytes ?? 512 * 1024;
  const start = Math.max(0, info.size - maxBytes);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new Pm2Error(
      'permission',
      `opsbot cannot read pm2’s log file ${path}: ${(err as NodeJS.ErrnoException).code}.`,
      'Run opsbot as the user that runs pm2, or let its group read PM2_HOME/logs.',
    );
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(info.size - start), 0, info.size - start, start);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1); // drop the partial first line
    const lines = text.split('\n').filter((l) => l.trim());
    return lines
      .slice(-(query.lines ?? 200))
      .map((line) => {
        const stamp = STAMP.exec(line);
        const time = stamp ? new Date(stamp[1]) : undefined;
        return {
          process,
          stream,
          time: time && !isNaN(time.getTime()) ? time : undefined,
          text: stamp ? line.slice(stamp[0].length) : line,
        };
      })
      .filter((l) => !query.since || !l.time || l.time >= query.since!);
  } finally {
    await handle.close();
  }
}
