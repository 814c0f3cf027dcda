import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { formatPath, type ConfigProblem, ConfigError } from './load.js';

/** The process environment contract of DESIGN.md ("Runtime contract"). */
const runtimeEnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .default('postgres://127.0.0.1:5432/opsbot'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?(\+cluster)?:\/\//, 'expected a redis:// URL (or redis+cluster://host:port,host:port)')
    .default('redis://127.0.0.1:6379'),
  OPSBOT_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]+$/, 'letters, digits, . _ - and braces (a Redis Cluster hash tag such as {opsbot})')
    .default('opsbot'),
  OPS_CONFIG: z.string().default('./ops.yml'),
  /** SIGTERM: how long requests in flight and running jobs get to finish before jobs are cancelled. */
  OPSBOT_SHUTDOWN_GRACE: durationSchema.default(25_000),
  /** Socket Mode: replace the connection when Slack sends no ping for this long (Slack pings every few seconds). */
  SLACK_SOCKET_PING_TIMEOUT: durationSchema.default(30_000),
  /** opsbot's public URL: its incident and alert links (…/incidents/12) unfurl as cards. */
  OPSBOT_PUBLIC_URL: z.url().optional(),
  /** The audit spool's file (JSON lines); default: <os tmpdir>/opsbot-audit-spool-<prefix>.jsonl. */
  OPSBOT_AUDIT_SPOOL: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface RuntimeEnv {
  slackBotToken: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  slackApiUrl?: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  opsConfigPath: string;
  logLevel: string;
  /** From OPSBOT_SHUTDOWN_GRACE (default 25 s, inside Kubernetes' and ECS's 30 s stop timeout). */
  shutdownGraceMs?: number;
  /** From SLACK_SOCKET_PING_TIMEOUT (default 30 s, the Slack SDK's own). */
  socketPingTimeoutMs?: number;
  /** OPSBOT_PUBLIC_URL: links under it to incidents and alerts unfurl (src/core/links.ts). */
  publicUrl?: string;
  /** OPSBOT_AUDIT_SPOOL: where audit rows Postgres did not take wait (src/store/audit-spool-file.ts). */
  auditSpoolPath?: string;
}

/** What the slack-less commands (migrate, check-config, run) need is a subset; `needSlack` is false for them. */
export function readRuntimeEnv(env: NodeJS.ProcessEnv, { needSlack = true } = {}): RuntimeEnv {
  const input = { ...env };
  for (const key of Object.keys(input)) if (input[key] === '') delete input[key];
  if (!needSlack) input.SLACK_BOT_TOKEN ??= 'xoxb-not-used';
  const result = runtimeEnvSchema.safeParse(input);
  const problems: ConfigProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message.includes('received undefined') ? 'required' : issue.message,
      }));
  if (result.success && needSlack && !result.data.SLACK_APP_TOKEN && !result.data.SLACK_SIGNING_SECRET) {
    problems.push({
      path: 'SLACK_SIGNING_SECRET',
      message: 'required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    });
  }
  if (!result.success || problems.length > 0) throw new ConfigError('the environment', problems);
  const e = result.data;
  return {
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    // On a cluster every key needs the same hash tag (BullMQ's scripts span keys): see store/redis-connection.ts.
    redisPrefix:
      /^rediss?\+cluster:/.test(e.REDIS_URL) && !/\{[^}]+\}/.test(e.OPSBOT_REDIS_PREFIX)
        ? `{${e.OPSBOT_REDIS_PREFIX}}`
        : e.OPSBOT_REDIS_PREFIX,
    opsConfigPath: e.OPS_CONFIG,
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.OPSBOT_SHUTDOWN_GRACE,
    socketPingTimeoutMs: e.SLACK_SOCKET_PING_TIMEOUT,
    publicUrl: e.OPSBOT_PUBLIC_URL,
    auditSpoolPath: e.OPSBOT_AUDIT_SPOOL,
  };
}
