import pg from 'pg';
import { runProbe } from './run-probe.js';
import type { ProbeResult } from './types.js';

/** Connects, runs one query, disconnects: proves the database accepts connections and answers. */
export function probePostgres(name: string, url: string, timeoutMs: number): Promise<ProbeResult> {
  return runProbe({ name, kind: 'postgres', target: url }, timeoutMs, async (signal) => {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: 'opsbot-health',
    });
    signal.addEventListener('abort', () => void client.end().catch(() => undefined));
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
      return { ok: true, detail: `PostgreSQL ${rows[0].version.split(' ')[0]}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}
