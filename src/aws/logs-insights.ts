import type { AwsClients } from './clients.js';
import { follow, pollSession } from './action-follow.js';
import { AwsError } from './session.js';
import { logs } from './sdk.js';

/**
 * The SoleMate guide's three Logs Insights queries ("Log Analysis Queries"), without their console-only
 * `SOURCE` line: the API takes the log groups separately (the environment's `logs.groups`).
 */
export const BUILTIN_QUERIES: Record<string, string> = {
  errors: 'fields @timestamp, @message, @logStream | filter @message like /ERROR/ | sort @timestamp desc | limit 100',
  'response-times':
    'filter @message like /response_time/ | stats avg(response_time), max(response_time), min(response_time) by bin(5m)',
  security:
    'filter @message like /SECURITY/ or @message like /AUTH_FAILED/ | fields @timestamp, @message, client_ip, user_id | sort @timestamp desc',
};

export interface InsightsResult {
  status: string;
  /** Columns in the order the query returned them, without the internal @ptr. */
  fields: string[];
  rows: Record<string, string>[];
  recordsScanned?: number;
  bytesScanned?: number;
  recordsMatched?: number;
}

export interface InsightsRun {
  groups: string[];
  query: string;
  start: Date;
  end: Date;
  signal: AbortSignal;
  timeoutMs: number;
  intervalMs: number;
  progress(percent: number, note?: string): Promise<void>;
}

/**
 * StartQuery, then GetQueryResults until Complete (progress from the records scanned), StopQuery when the job is
 * cancelled or runs out of time, so no query keeps scanning (and billing) after opsbot stopped waiting.
 */
export async function runInsightsQuery(clients: AwsClients, run: InsightsRun): Promise<InsightsResult> {
  const start = await pollSession(clients).call('logs:StartQuery', (abortSignal) =>
    clients.logs.send(
      new logs.StartQueryCommand({
        logGroupNames: run.groups,
        queryString: run.query,
        startTime: Math.floor(run.start.getTime() / 1000),
        endTime: Math.floor(run.end.getTime() / 1000),
        limit: 1000,
      }),
      { abortSignal },
    ),
  );
  const queryId = start.queryId;
  if (!queryId) throw new AwsError('CloudWatch Logs StartQuery returned no query id.', 'other', 'logs:StartQuery');
  try {
    return await follow(
      {
        signal: run.signal,
        intervalMs: run.intervalMs,
        timeoutMs: run.timeoutMs,
        waitingFor: 'the Logs Insights query',
        afterTimeout: 'opsbot stopped the query; narrow it (a shorter --since, a filter first) and try again.',
        progress: run.progress,
      },
      async () => {
        const out = await pollSession(clients).call('logs:GetQueryResults', (abortSignal) =>
          clients.logs.send(new logs.GetQueryResultsCommand({ queryId }), { abortSignal }),
        );
        const status = out.status ?? 'Unknown';
        const stats = out.statistics;
        if (status === 'Failed' || status === 'Cancelled' || status === 'Timeout')
          throw new AwsError(
            `The Logs Insights query ended ${status}${status === 'Timeout' ? ' (Insights stops queries after 60 minutes)' : ''}.`,
            'other',
            'logs:GetQueryResults',
          );
        if (status !== 'Complete')
          return {
            done: false,
            note: `${status}${stats?.recordsScanned ? ` · ${Math.round(stats.recordsScanned).toLocaleString('en-US')} records scanned` : ''}`,
          };
        const fields: string[] = [];
        const rows = (out.results ?? []).map((row) => {
          const record: Record<string, string> = {};
          for (const f of row) {
            if (!f.field || f.field === '@ptr') continue;
            if (!fields.includes(f.field)) fields.push(f.field);
            record[f.field] = f.value ?? '';
          }
          return record;
        });
        return {
          done: true,
          value: {
            status,
            fields,
            rows,
            recordsScanned: stats?.recordsScanned,
            bytesScanned: stats?.bytesScanned,
            recordsMatched: stats?.recordsMatched,
          },
        };
      },
    );
  } catch (err) {
    // Cancelled, timed out or failed while running: stop the query; a failure to stop must not hide why.
    await pollSession(clients)
      .call('logs:StopQuery', (abortSignal) =>
        clients.logs.send(new logs.StopQueryCommand({ queryId }), { abortSignal }),
      )
      .catch(() => undefined);
    throw err;
  }
}
