// CloudWatch Logs (AWS JSON 1.1, `Logs_20140328.<Op>`) over the simulated fleet's log lines;
// the Logs Insights queries are in logs-insights.ts.
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk.js';
import { logLine, matchesFilter } from './signals.js';

/** The values PutRetentionPolicy accepts (CloudWatch Logs API reference, PutRetentionPolicy). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Retention set by PutRetentionPolicy, per fleet (so each simulator starts from the defaults). */
const retentions = new WeakMap<Fleet, Map<string, number>>();
const retention = (f: Fleet): Map<string, number> => {
  let map = retentions.get(f);
  if (!map) retentions.set(f, (map = new Map()));
  return map;
};

export const SLOT_MS = 4000;
const MAX_SCAN_MS = 6 * 3_600_000;

/** The group a name or ARN names; ResourceNotFoundException, as AWS, for any other. */
export function groupOf(f: Fleet, input: Input | string): string {
  const raw = typeof input === 'string' ? input : (input.logGroupName ?? input.logGroupIdentifier ?? '');
  const name = String(raw).split(':log-group:').pop()!.replace(/:\*$/, '');
  if (!f.names.logGroups.includes(name))
    throw new AwsFault('ResourceNotFoundException', 'The specified log group does not exist.');
  return name;
}

export const logs: Record<string, Handler> = {
  FilterLogEvents: (input, f) => {
    const group = groupOf(f, input);
    const now = f.now();
    const end = Math.min(Number(input.endTime ?? now), now);
    const start = Math.max(Number(input.startTime ?? end - 3_600_000), end - MAX_SCAN_MS);
    const limit = Math.min(Number(input.limit ?? 10_000), 10_000);
    const after = input.nextToken
      ? Number(Buffer.from(String(input.nextToken), 'base64url').toString())
      : Math.floor(start / SLOT_MS);
    const events = [];
    let slot = after;
    for (; slot * SLOT_MS <= end && events.length < limit; slot++) {
      const line = logLine(group, slot, SLOT_MS, f.startedAt, f.eb.version);
      if (!line || line.timestamp < start || !matchesFilter(line.message, input.filterPattern)) continue;
      events.push({
        logStreamName: line.stream,
        timestamp: line.timestamp,
        message: line.message,
        ingestionTime: line.timestamp + 800,
        eventId: `${slot}${group.length}`,
      });
    }
    const more = slot * SLOT_MS <= end;
    return {
      events,
      searchedLogStreams: [],
      nextToken: more ? Buffer.from(String(slot)).toString('base64url') : undefined,
    };
  },
  DescribeLogGroups: (input, f) => ({
    logGroups: f.names.logGroups
      .filter((g) => !input.logGroupNamePrefix || g.startsWith(input.logGroupNamePrefix))
      .map((g) => ({
        logGroupName: g,
        creationTime: f.startedAt - 400 * 86_400_000,
        // Never expires until PutRetentionPolicy sets one (the demo's groups start at 30 days).
        retentionInDays: retention(f).get(g) ?? 30,
        storedBytes: 7_340_032_000,
        arn: `arn:aws:logs:${f.names.region}:${f.names.account}:log-group:${g}:*`,
      })),
  }),
  PutRetentionPolicy: (input, f) => {
    const group = groupOf(f, input);
    const days = Number(input.retentionInDays);
    if (!RETENTION_DAYS.includes(days))
      throw new AwsFault(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(input.retentionInDays)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    retention(f).set(group, days);
    return {};
  },
  DescribeLogStreams: (input, f) => {
    const group = groupOf(f, input);
    const now = f.now();
    const line = logLine(group, Math.floor(now / SLOT_MS), SLOT_MS, f.startedAt, f.eb.version)!;
    return {
      logStreams: [
        {
          logStreamName: line.stream,
          creationTime: now - 3_600_000,
          firstEventTimestamp: now - 3_600_000,
          lastEventTimestamp: line.timestamp,
          lastIngestionTime: line.timestamp + 800,
        },
      ],
    };
  },
};
