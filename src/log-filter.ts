/**
 * The `--errors` filter shared by the Docker and pm2 log adapters, as the
 * guides filter: a JSON line whose `level` is error or worse (names, or pino's
 * numbers: 50 error, 60 fatal), a logfmt `level=error`, or a plain line with
 * an upper-case ERROR / FATAL / PANIC word.
 */
const ERROR_LEVELS = new Set(['error', 'err', 'fatal', 'critical', 'crit', 'alert', 'emerg', 'emergency', 'panic']);
const PLAIN_ERROR = /\b(ERROR|FATAL|PANIC|CRITICAL)\b/;
const LOGFMT_LEVEL = /(?:^|\s)level=("?)(\w+)\1(?:\s|$)/i;

export function isErrorLine(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const level = jsonLevel(trimmed);
    if (level !== undefined) return level;
  }
  const logfmt = LOGFMT_LEVEL.exec(trimmed);
  if (logfmt) return ERROR_LEVELS.has(logfmt[2].toLowerCase());
  return PLAIN_ERROR.test(trimmed);
}

/** true/false when the line is JSON with a level field; undefined when it is not JSON or has none. */
function jsonLevel(line: string): boolean | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const level = (parsed as Record<string, unknown>).level ?? (parsed as Record<string, unknown>).severity;
  if (typeof level === 'number') return level >= 50;
  if (typeof level === 'string') return ERROR_LEVELS.has(level.toLowerCase());
  return undefined;
}

/** Case-insensitive substring match; an empty pattern matches everything. */
export function matchesPattern(text: string, pattern: string | undefined): boolean {
  return !pattern || text.toLowerCase().includes(pattern.toLowerCase());
}
