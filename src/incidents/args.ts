export { SEVERITIES, isSeverity } from '../core/severity.js';
export type { Severity } from '../core/severity.js';

/** Slack channel names: lower case, digits, - and _, at most 80 characters. */
export function incidentChannelName(
  prefix: string,
  declaredAt: Date,
  title: string,
  timeZone: string,
  suffix?: number,
): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(declaredAt);
  const day = ['year', 'month', 'day'].map((t) => parts.find((p) => p.type === t)?.value ?? '').join('');
  const tail = suffix && suffix > 1 ? `-${suffix}` : '';
  const base = `${prefix}-${day}-`;
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.min(40, 80 - base.length - tail.length))
    .replace(/-+$/g, '');
  return `${base}${slug || 'incident'}${tail}`;
}
