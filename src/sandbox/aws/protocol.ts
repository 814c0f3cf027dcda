// The three AWS wire protocols the SDK v3 clients speak to opsbot's services:
// AWS JSON 1.0 / 1.1 (X-Amz-Target, JSON body, epoch-second timestamps) and the
// Query protocol (form body, XML answer). Only what the simulator needs.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Input = Record<string, any>;

/** An AWS error: the code is what the SDK turns into the exception name. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// ---- JSON protocols ----------------------------------------------------------

/** Dates become epoch seconds, as in AWS JSON; undefined members are left out. */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value, function (this: any, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function sendJson(res: ServerResponse, version: '1.0' | '1.1', body: unknown): void {
  res.writeHead(200, { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-requestid': randomUUID() });
  res.end(toAwsJson(body));
}

export function sendJsonError(
  res: ServerResponse,
  version: '1.0' | '1.1',
  fault: AwsFault,
  queryCompatible: boolean,
): void {
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': randomUUID(),
  };
  // CloudWatch is "awsQueryCompatible": the SDK reads the Query-era code from this header.
  if (queryCompatible) headers['x-amzn-query-error'] = `${fault.code};Sender`;
  res.writeHead(fault.status, headers);
  res.end(JSON.stringify({ __type: fault.code, message: fault.message }));
}

// ---- Query protocol ----------------------------------------------------------

/**
 * `A.member.1.B=x&A.member.2.B=y&Filters.Filter.1.Name=n` → { A: [{B:x},{B:y}], Filters: [{Name:n}] }.
 * The list element name (member, Filter…) is dropped; numbers are 1-based indices.
 */
export function parseQueryForm(body: string): Input {
  const root: Input = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node: any = root;
    let i = 0;
    while (i < parts.length) {
      const name = parts[i];
      const isList = i + 2 < parts.length && /^\d+$/.test(parts[i + 2]) && !/^\d+$/.test(parts[i + 1]);
      if (isList) {
        const arr: any[] = (node[name] ??= []);
        const idx = Number(parts[i + 2]) - 1;
        if (i + 3 === parts.length) {
          arr[idx] = value;
          break;
        }
        node = arr[idx] ??= {};
        i += 3;
      } else if (i === parts.length - 1) {
        node[name] = value;
        break;
      } else {
        node = node[name] ??= {};
        i += 1;
      }
    }
  }
  return root;
}

/** List element names that are not `member` (RDS names its list elements). */
const LIST_ELEMENT: Record<string, string> = {
  DBInstances: 'DBInstance',
  DBSnapshots: 'DBSnapshot',
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBParameterGroups: 'DBParameterGroup',
  DBSecurityGroups: 'DBSecurityGroup',
  OptionGroupMemberships: 'OptionGroupMembership',
  ReadReplicaDBInstanceIdentifiers: 'ReadReplicaDBInstanceIdentifier',
  TagList: 'Tag',
  EventCategories: 'EventCategory',
  Parameters: 'Parameter',
  DBInstanceAutomatedBackups: 'DBInstanceAutomatedBackup',
};

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmlValue(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return escapeXml(String(v));
}

/** Serialises a plain object; `service` decides list element names (only RDS uses named ones). */
export function toXml(value: unknown, namedLists: boolean, parentKey = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const el = (namedLists && LIST_ELEMENT[parentKey]) || 'member';
    return value.map((item) => `<${el}>${toXml(item, namedLists, el)}</${el}>`).join('');
  }
  if (value instanceof Date || typeof value !== 'object') return xmlValue(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<${k}>${toXml(v, namedLists, k)}</${k}>`)
    .join('');
}

export function sendQuery(
  res: ServerResponse,
  action: string,
  xmlns: string,
  result: unknown,
  namedLists: boolean,
): void {
  const requestId = randomUUID();
  const inner = result === undefined ? '' : `<${action}Result>${toXml(result, namedLists)}</${action}Result>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export function sendQueryError(res: ServerResponse, fault: AwsFault): void {
  const requestId = randomUUID();
  res.writeHead(fault.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(fault.code)}</Code><Message>${escapeXml(fault.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

/** Query values arrive as strings. */
export const num = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
export const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
export const date = (v: unknown): Date | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return new Date(v * 1000);
  const n = Number(v);
  return Number.isFinite(n) && !/[-:T]/.test(String(v)) ? new Date(n * 1000) : new Date(String(v));
};
export const list = <T = any>(v: unknown): T[] =>
  Array.isArray(v) ? (v.filter((x) => x !== undefined) as T[]) : v === undefined ? [] : [v as T];
