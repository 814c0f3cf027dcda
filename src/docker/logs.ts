import { isErrorLine, matchesPattern } from '../log-filter.js';
import type { DockerEngine } from './engine.js';
import { SERVICE_LABEL } from './engine.js';
import { inspectContainer, projectContainers } from './services.js';

export interface LogLine {
  container: string;
  stream: 'stdout' | 'stderr';
  time?: Date;
  text: string;
}

export interface LogQuery {
  /** Only lines after this time (docker logs --since). */
  since?: Date;
  /** At most this many lines per container, newest kept (docker logs --tail); default 200. */
  tail?: number;
  /** Keep only lines isErrorLine recognises. */
  errors?: boolean;
  /** Case-insensitive substring. */
  pattern?: string;
  /** At most this many lines in the answer, newest kept; default 500. */
  limit?: number;
}

export interface LogResult {
  lines: LogLine[];
  /** Lines dropped by `limit` after filtering. */
  dropped: number;
}

/** Logs of one service (every container of it), or of the whole project, merged by time. */
export async function serviceLogs(
  engine: DockerEngine,
  service: string | undefined,
  query: LogQuery = {},
): Promise<LogResult> {
  const containers = await projectContainers(engine, service);
  const perContainer = await Promise.all(
    containers.map(async (info) => {
      const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
      const tty = (await inspectContainer(engine, info.Id)).Config.Tty;
      const raw = await engine.call(
        `reading the logs of ${info.Labels[SERVICE_LABEL] ?? name}`,
        (docker, abortSignal) =>
          docker.getContainer(info.Id).logs({
            follow: false,
            stdout: true,
            stderr: true,
            timestamps: true,
            tail: query.tail ?? 200,
            since: query.since ? Math.floor(query.since.getTime() / 1000) : undefined,
            abortSignal,
          }),
      );
      return parseLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)), name, tty);
    }),
  );
  const sinceMs = query.since?.getTime();
  const kept = perContainer
    .flat()
    .filter((l) => sinceMs === undefined || !l.time || l.time.getTime() >= sinceMs)
    .filter((l) => !query.errors || isErrorLine(l.text))
    .filter((l) => matchesPattern(l.text, query.pattern))
    .sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0));
  const limit = query.limit ?? 500;
  return { lines: kept.slice(-limit), dropped: Math.max(0, kept.length - limit) };
}

/**
 * The Engine multiplexes stdout and stderr of a container without a TTY into
 * frames: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, 4 bytes length
 * (big-endian), then the payload. With a TTY the output is one raw stream.
 */
export function demultiplex(raw: Buffer, tty: boolean): { stream: 'stdout' | 'stderr'; text: string }[] {
  if (tty) return [{ stream: 'stdout', text: raw.toString('utf8') }];
  const out: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const kind = raw[at];
    const size = raw.readUInt32BE(at + 4);
    const payload = raw.subarray(at + 8, at + 8 + size).toString('utf8');
    out.push({ stream: kind === 2 ? 'stderr' : 'stdout', text: payload });
    at += 8 + size;
  }
  return out;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ?/;

export function parseLogs(raw: Buffer, container: string, tty: boolean): LogLine[] {
  const lines: LogLine[] = [];
  for (const frame of demultiplex(raw, tty)) {
    for (const line of frame.text.split('\n')) {
      if (!line.trim()) continue;
      const stamp = TIMESTAMP.exec(line);
      lines.push({
        container,
        stream: frame.stream,
        time: stamp ? new Date(stamp[1]) : undefined,
        text: (stamp ? line.slice(stamp[0].length) : line).replace(/\r$/, ''),
      });
    }
  }
  return lines;
}
