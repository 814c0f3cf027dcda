import { TimeoutError } from '../errors.js';
import { AwsError, type AwsSession } from './session.js';
import { logs } from './sdk.js';

export interface LogLine {
  at: Date;
  group: string;
  stream?: string;
  message: string;
}

export interface LogGroupResult {
  group: string;
  lines: LogLine[];
  /** More matching events existed than were fetched in the time we had. */
  truncated: boolean;
}

/**
 * Matching events of one group in a window, oldest first. FilterLogEvents pages
 * from the start of the window, so a few pages are read and the newest `keep` kept.
 */
export async function filterLogGroup(
  s: AwsSession,
  group: string,
  opts: { pattern?: string; start: Date; end: Date; keep: number; maxPages?: number },
): Promise<LogGroupResult> {
  const lines: LogLine[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      const out = await s.call('logs:FilterLogEvents', (abortSignal) =>
        s.clients.logs.send(
          new logs.FilterLogEventsCommand({
            logGroupName: group,
            filterPattern: opts.pattern || undefined,
            startTime: opts.start.getTime(),
            endTime: opts.end.getTime(),
            limit: 1000,
            nextToken,
          }),
          { abortSignal },
        ),
      );
      for (const e of out.events ?? []) {
        lines.push({
          at: new Date(e.timestamp ?? e.ingestionTime ?? 0),
          group,
          stream: e.logStreamName,
          message: (e.message ?? '').replace(/\s+$/, ''),
        });
      }
      nextToken = out.nextToken;
      pages++;
    } while (nextToken && pages < (opts.maxPages ?? 5));
  } catch (err) {
    // Out of time after some pages: what was read is still worth showing.
    if (err instanceof TimeoutError && pages > 0) return finish(lines, opts.keep, group, true);
    if (err instanceof AwsError && err.kind === 'not-found') {
      throw new AwsError(
        `log group \`${group}\` does not exist${s.region ? ` in ${s.region}` : ''}. Check \`logs.groups\` in ops.yml.`,
        'not-found',
        err.action,
      );
    }
    if (err instanceof AwsError && /InvalidParameter/i.test(err.message) && opts.pattern) {
      throw new AwsError(
        `CloudWatch Logs did not accept the filter pattern \`${opts.pattern}\`. Quote phrases ("connection refused"), or use JSON syntax like { $.level = "error" }.`,
        'other',
        err.action,
      );
    }
    throw err;
  }
  return finish(lines, opts.keep, group, Boolean(nextToken));
}

function finish(lines: LogLine[], keep: number, group: string, more: boolean): LogGroupResult {
  lines.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { group, lines: lines.slice(-keep), truncated: more || lines.length > keep };
}
