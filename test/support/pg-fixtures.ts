import { contextWith, fakeServices } from './services.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parseConfig } from '../../src/config/load.js';
import type { OpsConfig } from '../../src/config/schema.js';
import type { CommandContext } from '../../src/core/context.js';
import type { CommandDefinition } from '../../src/core/command.js';
import { createLogger } from '../../src/log.js';
import { TargetDatabases } from '../../src/probes/target-postgres.js';
import { PG_ADMIN_URL } from './databases.js';

/**
 * Side connections for the /ops db tests: idle sessions, sleeping queries,
 * lock holders and waiters, each named by application_name so assertions can
 * find them. close() ends them all, busy ones included.
 */
export class SideClients {
  readonly tag = `dbtest_${randomBytes(3).toString('hex')}`;
  private readonly clients: pg.Client[] = [];
  private readonly pending: Promise<unknown>[] = [];

  constructor(private readonly url: string) {}

  async open(application: string, url = this.url): Promise<{ client: pg.Client; pid: number }> {
    const client = new pg.Client({ connectionString: url, application_name: `${this.tag}-${application}` });
    client.on('error', () => undefined);
    await client.connect();
    this.clients.push(client);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return { client, pid: rows[0].pid };
  }

  /** Starts a statement without waiting for it (a sleep, a blocked update); its failure on close is expected. */
  start(client: pg.Client, sql: string): Promise<unknown> {
    const running = client.query(sql).catch((err: Error) => err);
    this.pending.push(running);
    return running;
  }

  async close(): Promise<void> {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 || '-%'`,
        [this.tag],
      );
    } finally {
      await admin.end();
    }
    await Promise.all(this.pending);
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
  }
}

/** Runs SQL on a fresh connection and disconnects, which also flushes its statistics (Postgres 15+ flushes at exit). */
export async function runSql(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function queryRows<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export function configFor(databaseUrl: string, extra = ''): OpsConfig {
  return parseConfig(
    `
environments:
  prod:
    database: { url: "${databaseUrl}" }
${extra}`,
    {},
  ).config;
}

/** A CommandContext like the dispatcher builds, with only the services the db commands use. */
export function commandContext(
  command: CommandDefinition,
  config: OpsConfig,
  targets: TargetDatabases,
  text = command.name,
): CommandContext {
  const services = fakeServices({ targets, clock: () => new Date() });
  return contextWith(services, {
    command,
    text,
    envName: 'prod',
    env: config.environments.prod,
    config,
    actor: { id: 'U0TEST' },
    channelId: 'C0TEST',
    source: 'slack',
    log: createLogger('silent'),
  });
}
