import { z } from 'zod';
import { durationSchema } from '../duration.js';
import { ON_DEMAND, normalizeSchedule } from './schedule.js';

/**
 * Self-hosted parts of an environment (issue 15): a Docker Engine with a
 * compose project, a pm2 daemon, and pg_dump backups into a folder. Each
 * default names the guide in shared/seeds it comes from.
 */
export const SELF_HOSTED_DEFAULTS = {
  /** Docker's own default socket; guide 001 (ESN) runs `docker-compose` against the local engine. */
  dockerHost: 'unix:///var/run/docker.sock',
  /** Guide 001: `pg_dump | gzip > backup_$DATE.sql.gz`. */
  backupFormat: 'sql.gz',
  /** Guide 001: `find $BACKUP_DIR -mtime +30 -delete` ("Keep only last 30 days"). */
  backupKeep: '30d',
  /** Guides 001 ("Daily backup at 2 AM", `0 2 * * *`) and 003 ("Daily at 2:00 AM UTC"). */
  backupSchedule: '0 2 * * *',
  /** Longest a single pg_dump may run before it is stopped and its partial file removed. */
  backupTimeout: '2h',
  /** Longest the S3 copy of one backup may take before it is aborted (its uploaded parts removed). */
  s3Timeout: '1h',
  /** Every call to the Docker Engine or pm2 gives up after this long (the guides' health checks use 3 s; the engine is slower). */
  callTimeout: '10s',
} as const;

const DOCKER_HOST_RE = /^(unix:\/\/\/.+|tcp:\/\/[^/\s]+|https?:\/\/[^/\s]+)$/;

export const dockerTargetSchema = z.strictObject({
  host: z
    .string()
    .regex(DOCKER_HOST_RE, 'expected unix:///path/to/docker.sock, tcp://host:2375 or http(s)://host:port')
    .prefault(SELF_HOSTED_DEFAULTS.dockerHost),
  /** The compose project: the com.docker.compose.project label (docker-compose's -p, default its folder name). */
  project: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'compose project names are lower-case letters, digits, - and _'),
  timeout: durationSchema.prefault(SELF_HOSTED_DEFAULTS.callTimeout),
});

export const pm2TargetSchema = z.strictObject({
  /** The daemon's PM2_HOME (its rpc.sock and logs); default $PM2_HOME, else ~/.pm2 of the user opsbot runs as. */
  home: z.string().min(1).optional(),
  /** The processes that belong to this environment; default every process of the daemon. */
  processes: z.array(z.string().min(1)).min(1).optional(),
  timeout: durationSchema.prefault(SELF_HOSTED_DEFAULTS.callTimeout),
});

export const backupFormatSchema = z.enum(['sql', 'sql.gz', 'custom']);
export type BackupFormat = z.output<typeof backupFormatSchema>;

export const databaseBackupSchema = z.strictObject({
  /** Folder on the machine opsbot's worker runs on; files are named <env>-<yyyyMMdd-HHmm>.<ext>. */
  dir: z.string().regex(/^\//, 'expected an absolute folder path such as /var/backups/esn'),
  format: backupFormatSchema.prefault(SELF_HOSTED_DEFAULTS.backupFormat),
  /** Files older than this are deleted, only after a newer backup succeeded. */
  keep: durationSchema.prefault(SELF_HOSTED_DEFAULTS.backupKeep),
  /** Cron pattern (in the config's timezone), or "none" for on-demand only. */
  schedule: z
    .string()
    .prefault(SELF_HOSTED_DEFAULTS.backupSchedule)
    .superRefine((s, ctx) => {
      if (ON_DEMAND.has(s.trim())) return;
      const check = normalizeSchedule(s);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
    }),
  timeout: durationSchema.prefault(SELF_HOSTED_DEFAULTS.backupTimeout),
  /** Guide 003: `aws s3 cp backup_*.sql.gz s3://invoice-backups/$(date +%Y%m%d)/`. */
  s3: z
    .strictObject({
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
      /** Keys are <prefix>/<file>, e.g. prefix "esn/" → s3://bucket/esn/esn-20250123-0200.sql.gz. */
      prefix: z.string().prefault(''),
      timeout: durationSchema.prefault(SELF_HOSTED_DEFAULTS.s3Timeout),
    })
    .optional(),
  /** Where a scheduled backup posts its outcome (a Slack channel id); default channels.alerts, else only the logs. */
  channel: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD')
    .optional(),
});

export type DockerTarget = z.output<typeof dockerTargetSchema>;
export type Pm2Target = z.output<typeof pm2TargetSchema>;
export type DatabaseBackupConfig = z.output<typeof databaseBackupSchema>;
