import { execFile } from 'node:child_process';
import pg from 'pg';
import { redactSecrets } from '../redact.js';
import { UserError } from '../errors.js';

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

export interface ToolVersion {
  tool: PgTool;
  version: string;
  major: number;
}

/** `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → 15.20, major 15. */
export function parseToolVersion(tool: PgTool, output: string): ToolVersion | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  return m ? { tool, version: m[2] ? `${m[1]}.${m[2]}` : m[1], major: Number(m[1]) } : undefined;
}

export function toolVersion(tool: PgTool, timeoutMs = 5000): Promise<ToolVersion> {
  return new Promise((resolve, reject) => {
    execFile(tool, ['--version'], { timeout: timeoutMs }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(
          new UserError(
            `\`${tool}\` is not installed where opsbot's worker runs.`,
            'Install the PostgreSQL client tools of the server’s major version or newer (Debian: `apt-get install postgresql-client-<major>`).',
          ),
        );
      if (err) return reject(new UserError(`\`${tool} --version\` failed: ${redactSecrets(err.message)}.`));
      const parsed = parseToolVersion(tool, stdout);
      if (!parsed)
        return reject(new UserError(`\`${tool} --version\` printed something opsbot cannot read: ${stdout.trim()}.`));
      resolve(parsed);
    });
  });
}

/** The server's major version (server_version_num 150020 → 15). */
export async function serverMajor(url: string, timeoutMs = 5000): Promise<number> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'opsbot-backup',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query({
      text: 'SHOW server_version_num',
      query_timeout: timeoutMs,
    } as pg.QueryConfig);
    return Math.floor(Number(rows[0].server_version_num) / 10_000);
  } catch (err) {
    throw new UserError(
      `Cannot reach the database to back up (${redactSecrets(url)}): ${redactSecrets((err as Error).message)}.`,
      'Check database.url of the environment, and that the database accepts connections from opsbot.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The tools exist and are at least the server's major version: pg_dump refuses
 * to dump a newer server, and pg_restore cannot read dumps of a newer pg_dump.
 */
export async function checkPgTools(tools: PgTool[], serverMajorVersion: number): Promise<ToolVersion[]> {
  const found = await Promise.all(tools.map((t) => toolVersion(t)));
  const old = found.filter((t) => t.major < serverMajorVersion);
  if (old.length)
    throw new UserError(
      `${old.map((t) => `\`${t.tool}\` ${t.version}`).join(', ')} ${old.length === 1 ? 'is' : 'are'} older than the Postgres server (${serverMajorVersion}).`,
      `Install postgresql-client-${serverMajorVersion} (or newer) where opsbot's worker runs.`,
    );
  return found;
}

/** The URL without its password (for argv) and the environment carrying it (PGPASSWORD), so ps never shows it. */
export function clientConnection(url: string, appName: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: appName, PGCONNECT_TIMEOUT: '10' };
  if (password) env.PGPASSWORD = password;
  else delete env.PGPASSWORD;
  return { url: u.toString(), env };
}

/** First lines of a tool's stderr, redacted, for an error hint. */
export function stderrHint(chunks: string[], lines = 6): string | undefined {
  const shown = redactSecrets(chunks.join(''))
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, lines);
  return shown.length ? shown.join('\n') : undefined;
}
