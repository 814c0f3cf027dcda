import { redactSecrets } from '../redact.js';
import { UserError, formatSeconds } from '../errors.js';

export interface PgErrorContext {
  envName: string;
  /** host:port of the target, never the URL (which may carry the password). */
  host: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

interface PgLikeError {
  code?: string;
  message?: string;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/**
 * Turns what pg throws into a UserError that says what to do. pg's own messages
 * can carry the user name and sometimes the URL: everything passes redaction,
 * and the URL itself is never quoted (only host:port).
 */
export function toUserError(err: unknown, ctx: PgErrorContext): unknown {
  if (err instanceof UserError) return err;
  const e = (err ?? {}) as PgLikeError;
  const message = redactSecrets(String(e.message ?? err));
  const where = `the \`${ctx.envName}\` database (${ctx.host})`;
  const urlHint = `Check environments.${ctx.envName}.database.url in ops.yml.`;
  if (
    /timeout expired|connection timeout|timeout exceeded when trying to connect/i.test(message) ||
    e.code === 'ETIMEDOUT'
  ) {
    return new UserError(
      `${capitalize(where)} unreachable after ${formatSeconds(ctx.connectTimeoutMs)}.`,
      `${urlHint} Is the host reachable from opsbot (security group, VPC)?`,
    );
  }
  if (e.code && UNREACHABLE_CODES.has(e.code)) {
    return new UserError(
      `${capitalize(where)} unreachable: ${e.code}.`,
      `${urlHint} Is the host reachable from opsbot (security group, VPC)?`,
    );
  }
  switch (e.code) {
    case '28P01':
    case '28000':
      return new UserError(`Cannot log in to ${where}: ${message}.`, urlHint);
    case '3D000':
      return new UserError(`Cannot connect to ${where}: ${message}.`, urlHint);
    case '57P03':
      return new UserError(`${capitalize(where)} is starting up or shutting down; try again in a minute.`);
    case '53300':
      return new UserError(
        `${capitalize(where)} refuses new connections: ${message}.`,
        'Connections are exhausted; an operator with a psql session can still run `/ops db kill-idle` from a terminal, or use the RDS console.',
      );
    case '57014':
      if (/user request/i.test(message))
        return new UserError(`The query on ${where} was cancelled (pg_cancel_backend).`);
      return new UserError(
        `The query took longer than the ${formatSeconds(ctx.statementTimeoutMs)} statement timeout on ${where}, so opsbot stopped it.`,
        `Try a smaller --limit, or raise environments.${ctx.envName}.database.statementTimeout.`,
      );
    case '55P03':
      return new UserError(
        `A table is locked by another session on ${where}, so opsbot did not wait.`,
        'See who holds it with `/ops db locks`.',
      );
    case '42501':
      return new UserError(
        `opsbot's database user lacks a privilege on ${where}: ${message}.`,
        'Grant it the monitoring role: `GRANT pg_monitor TO <opsbot user>;` (and pg_signal_backend to end connections).',
      );
  }
  if (/SSL|certificate/i.test(message))
    return new UserError(
      `Cannot connect to ${where}: ${message}.`,
      `${urlHint} Add or remove \`?sslmode=require\` to match the server.`,
    );
  if (/Connection terminated/i.test(message))
    return new UserError(`${capitalize(where)} closed the connection: ${message}.`);
  return err;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** host:port of a postgres URL, for error messages that must not show the credentials. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return '(unparseable URL)';
  }
}
