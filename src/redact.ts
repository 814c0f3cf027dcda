/**
 * Secret redaction for everything that leaves the process: Slack replies, log
 * lines, job data shown in /ops jobs. Patterns cover what opsbot handles:
 * passwords in connection URLs, Slack tokens, AWS keys, bearer tokens.
 */
const PATTERNS: [RegExp, string][] = [
  // scheme://user:password@host → scheme://user:***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/\s]+)@/gi, '$1:***@'],
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, 'xox*-***'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-***'],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1***'],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***'],
  [/\b(password|passwd|pwd|secret|token)=([^&\s]+)/gi, '$1=***'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deep-redacts every string in a JSON-like value (job data, log objects). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
