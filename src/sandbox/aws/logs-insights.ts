// CloudWatch Logs Insights (StartQuery, GetQueryResults, StopQuery) over the simulated log lines:
// a query runs for a moment (Running, with records scanned so far), then is Complete with rows
// computed from the very lines FilterLogEvents returns. The query language's common subset:
// fields/display, filter (like /re/, =, !=, <, >, and/or/not), stats (count/avg/sum/min/max by bin()/field),
// sort, limit — enough for the SoleMate guide's built-in queries (src/aws/logs-insights.ts).
import { randomUUID } from 'node:crypto';
import { AwsFault, type Input } from './protocol.js';
import type { Fleet } from './fleet.js';
import type { Handler } from './beanstalk.js';
import { logLine } from './signals.js';
import { groupOf, SLOT_MS } from './logs.js';

/** How long a query stays Running (scaled by the fleet's timeScale, as every simulated action). */
const RUNNING_MS = 2000;
/** The simulator scans at most a day of lines per group (the demo's line rate makes longer ranges slow). */
const MAX_SCAN_MS = 24 * 3_600_000;

type LogRecord = Record<string, string>;
type Row = { field: string; value: string }[];

interface Query {
  groups: string[];
  query: string;
  start: number;
  end: number;
  limit: number;
  status: 'Running' | 'Complete' | 'Cancelled' | 'Failed';
  results: Row[];
  stats: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

const queries = new WeakMap<Fleet, Map<string, Query>>();
const queriesOf = (f: Fleet): Map<string, Query> => {
  let map = queries.get(f);
  if (!map) queries.set(f, (map = new Map()));
  return map;
};

/** Insights' timestamp format: "2024-01-15 10:23:45.123" (UTC). */
const stamp = (t: number) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');

/** A line as Insights sees it: the system fields plus the fields it discovers in the message. */
function recordOf(f: Fleet, group: string, slot: number): LogRecord | undefined {
  const line = logLine(group, slot, SLOT_MS, f.startedAt, f.eb.version);
  if (!line) return undefined;
  const rec: LogRecord = {
    '@timestamp': stamp(line.timestamp),
    '@message': line.message,
    '@logStream': line.stream,
    '@log': `${f.names.account}:${group}`,
    '@ptr': Buffer.from(`${group}/${slot}`).toString('base64url'),
  };
  const request = / (\d{3}) (\d+)ms$/.exec(line.message);
  if (request) [rec.status, rec.response_time] = [request[1], request[2]];
  for (const m of line.message.matchAll(/\b([a-z_]+)=(\S+)/g)) rec[m[1]] = m[2];
  return rec;
}

/** Splits on `|` outside /regexes/ and "strings". */
function commands(query: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of query) {
    if (quote) quote = ch === quote ? undefined : quote;
    else if (ch === '/' || ch === '"' || ch === "'") quote = ch;
    else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  return [...out, cur.trim()].filter(Boolean);
}

function atom(rec: LogRecord, text: string): boolean {
  const neg = /^not\s+/i.test(text);
  const expr = text.replace(/^not\s+/i, '').trim();
  const like = /^(\S+)\s+(not\s+)?(?:like|=~)\s+(?:\/(.*)\/|"(.*)")$/i.exec(expr);
  if (like) {
    const [, field, not, re, str] = like;
    const value = rec[field] ?? '';
    // Structured lines carry their keys: /response_time/ matches a line that has that field.
    let hit =
      re !== undefined ? new RegExp(re).test(value) || (field === '@message' && re in rec) : value.includes(str);
    if (not) hit = !hit;
    return neg ? !hit : hit;
  }
  const cmp = /^(\S+)\s*(!=|>=|<=|=|>|<)\s*"?([^"]*)"?$/.exec(expr);
  if (!cmp) return !neg; // beyond the subset: keep the line
  const [, field, op, raw] = cmp;
  const [a, b] = [rec[field], raw];
  const num = Number(a) - Number(b);
  const ok =
    a !== undefined && { '=': a === b, '!=': a !== b, '>': num > 0, '<': num < 0, '>=': num >= 0, '<=': num <= 0 }[op]!;
  return neg ? !ok : ok;
}

const matches = (rec: LogRecord, expr: string) =>
  expr.split(/\s+or\s+/i).some((any) => any.split(/\s+and\s+/i).every((all) => atom(rec, all.trim())));

const BIN_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function stats(records: LogRecord[], spec: string): LogRecord[] {
  const [aggText, byText] = spec.split(/\s+by\s+/i);
  const aggs = aggText.split(/,(?![^(]*\))/).map((a) => {
    const [, fn, arg, alias] = /^\s*(\w+)\(([^)]*)\)\s*(?:as\s+(\S+))?\s*$/i.exec(a) ?? [];
    if (!fn) throw new AwsFault('MalformedQueryException', `unexpected symbol in stats: ${a.trim()}`);
    return { fn: fn.toLowerCase(), arg: arg.trim(), name: alias ?? a.trim() };
  });
  const groupers = (byText ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((g) => {
      const bin = /^bin\((\d+)([smhd])\)$/.exec(g);
      const ms = bin ? Number(bin[1]) * BIN_UNITS[bin[2]] : 0;
      const value = (r: LogRecord) =>
        bin ? stamp(Math.floor(Date.parse(r['@timestamp'] + 'Z') / ms) * ms) : (r[g] ?? '');
      return { name: g, value };
    });
  const groups = new Map<string, LogRecord[]>();
  for (const r of records) {
    const key = JSON.stringify(groupers.map((g) => g.value(r)));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, rows]) => {
      const out: LogRecord = {};
      (JSON.parse(key) as string[]).forEach((v, i) => (out[groupers[i].name] = v));
      for (const a of aggs) {
        const values = rows.map((r) => Number(r[a.arg])).filter((v) => Number.isFinite(v));
        const sum = values.reduce((x, y) => x + y, 0);
        const v =
          a.fn === 'count'
            ? a.arg === '*' || a.arg === ''
              ? rows.length
              : values.length
            : values.length === 0
              ? undefined
              : { avg: sum / values.length, sum, min: Math.min(...values), max: Math.max(...values) }[a.fn];
        if (v !== undefined) out[a.name] = String(Math.round(v * 1000) / 1000);
      }
      return out;
    });
}

function run(f: Fleet, q: Query): void {
  let records: LogRecord[] = [];
  const from = Math.max(q.start, q.end - MAX_SCAN_MS);
  for (const group of q.groups)
    for (let slot = Math.ceil(from / SLOT_MS); slot * SLOT_MS <= q.end; slot++) {
      const rec = recordOf(f, group, slot);
      if (!rec) continue;
      q.stats.recordsScanned++;
      q.stats.bytesScanned += rec['@message'].length;
      records.push(rec);
    }
  let fields = ['@timestamp', '@message', '@logStream', '@log'];
  let limit = q.limit;
  let sorted = false;
  for (const cmd of commands(q.query)) {
    const [, verb, rest] = /^(\w+)\s*([\s\S]*)$/.exec(cmd) ?? [];
    switch (verb?.toLowerCase()) {
      case 'fields':
      case 'display':
        fields = rest.split(',').map((s) => s.trim());
        break;
      case 'filter':
        records = records.filter((r) => matches(r, rest));
        q.stats.recordsMatched = records.length;
        break;
      case 'stats':
        q.stats.recordsMatched = records.length;
        records = stats(records, rest);
        fields = Object.keys(records[0] ?? {});
        sorted = true;
        break;
      case 'sort': {
        const [field, dir] = rest.split(/\s+/);
        const sign = dir?.toLowerCase() === 'asc' ? 1 : -1;
        records.sort((a, b) => sign * ((a[field] ?? '') < (b[field] ?? '') ? -1 : 1));
        sorted = true;
        break;
      }
      case 'limit':
        limit = Math.min(limit, Number(rest) || limit);
        break;
    }
  }
  if (!sorted) records.sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? 1 : -1));
  if (!q.query.includes('filter')) q.stats.recordsMatched = q.stats.recordsScanned;
  q.results = records
    .slice(0, limit)
    .map((r) => [
      ...fields.filter((k) => r[k] !== undefined).map((field) => ({ field, value: r[field] })),
      ...(r['@ptr'] ? [{ field: '@ptr', value: r['@ptr'] }] : []),
    ]);
}

function queryOf(f: Fleet, input: Input): Query {
  const q = queriesOf(f).get(String(input.queryId ?? ''));
  if (!q) throw new AwsFault('ResourceNotFoundException', `Query does not exist: ${String(input.queryId)}`);
  return q;
}

export const insights: Record<string, Handler> = {
  StartQuery: (input, f) => {
    const names: string[] = [
      ...(input.logGroupName ? [input.logGroupName] : []),
      ...(input.logGroupNames ?? []),
      ...(input.logGroupIdentifiers ?? []),
    ];
    if (names.length === 0)
      throw new AwsFault('InvalidParameterException', 'Either logGroupName, logGroupNames or logGroupIdentifiers.');
    const groups = names.map((n) => groupOf(f, String(n)));
    if (!input.queryString) throw new AwsFault('InvalidParameterException', 'queryString is required.');
    const [start, end] = [Number(input.startTime) * 1000, Math.min(Number(input.endTime) * 1000, f.now())];
    if (!(end >= start)) throw new AwsFault('InvalidParameterException', 'End time should not be before start time.');
    const queryId = randomUUID();
    const q: Query = {
      groups,
      query: String(input.queryString),
      start,
      end,
      limit: Math.min(Number(input.limit ?? 1000), 10_000),
      status: 'Running',
      results: [],
      stats: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
    };
    queriesOf(f).set(queryId, q);
    f.after(RUNNING_MS, () => {
      if (q.status !== 'Running') return;
      try {
        run(f, q);
        q.status = 'Complete';
      } catch {
        q.status = 'Failed';
      }
    });
    return { queryId };
  },
  GetQueryResults: (input, f) => {
    const q = queryOf(f, input);
    const done = q.status === 'Complete';
    // While Running, about half the range's lines scanned so far (the bot shows it as progress).
    const partial = Math.round((q.groups.length * Math.min(q.end - q.start, MAX_SCAN_MS)) / SLOT_MS / 2);
    return {
      queryLanguage: 'CWLI',
      status: q.status,
      results: done ? q.results : [],
      statistics: done ? q.stats : { recordsMatched: 0, recordsScanned: partial, bytesScanned: partial * 90 },
    };
  },
  StopQuery: (input, f) => {
    const q = queryOf(f, input);
    if (q.status !== 'Running') return { success: false };
    q.status = 'Cancelled';
    return { success: true };
  },
};
