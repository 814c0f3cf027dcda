import pg from 'pg';
import { UserError } from '../errors.js';
import type { OpsConfig } from '../config/schema.js';
import { createPool, inTransaction, type Pool, type PoolClient } from '../store/pool.js';
import { hostOf, toUserError, type PgErrorContext } from './pg-errors.js';

export type Queryable = Pick<PoolClient, 'query'>;

/** A connection of its own, for work that must not hold a pool slot or run under the statement timeout (VACUUM). */
export interface DedicatedSession extends Queryable {
  /** The server process id of this connection, so another connection can cancel it. */
  pid: number;
  onNotice(listener: (message: string) => void): void;
}

/** The environments' own databases, reached through the read-only, action and dedicated-session doors. */
export interface TargetDatabaseAccess {
  readOnly<T>(envName: string, work: (db: Queryable) => Promise<T>): Promise<T>;
  execute<T>(envName: string, work: (db: Queryable) => Promise<T>): Promise<T>;
  session<T>(envName: string, work: (session: DedicatedSession) => Promise<T>): Promise<T>;
}

/** One environment's database, as a command sees it through ctx.db(). */
export interface TargetDatabase {
  readOnly<T>(work: (db: Queryable) => Promise<T>): Promise<T>;
  execute<T>(work: (db: Queryable) => Promise<T>): Promise<T>;
  session<T>(work: (session: DedicatedSession) => Promise<T>): Promise<T>;
}

/** Long enough for catalogue reads to wait out a brief lock, short enough never to queue behind a migration. */
const DIAGNOSTIC_LOCK_TIMEOUT = '1s';

/**
 * The application databases opsbot diagnoses (environments.<env>.database.url),
 * as opposed to its own store. One small pool per environment, created on first use.
 * Every error leaving here is a UserError without the password (see pg-errors.ts).
 */
export class TargetDatabases implements TargetDatabaseAccess {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly config: OpsConfig) {}

  private database(envName: string) {
    const env = this.config.environments[envName];
    if (!env?.database) {
      throw new UserError(
        `Environment \`${envName}\` has no database configured.`,
        `Add \`database: { url: "\${${envName.toUpperCase()}_DATABASE_URL}" }\` under environments.${envName} in ops.yml.`,
      );
    }
    return env.database;
  }

  errorContext(envName: string): PgErrorContext {
    const database = this.database(envName);
    return {
      envName,
      host: hostOf(database.url),
      connectTimeoutMs: this.config.probes.timeout,
      statementTimeoutMs: database.statementTimeout,
    };
  }

  pool(envName: string): Pool {
    const database = this.database(envName);
    let pool = this.pools.get(envName);
    if (!pool) {
      pool = createPool(database.url, {
        max: 2,
        connectTimeoutMs: this.config.probes.timeout,
        statementTimeoutMs: database.statementTimeout,
        applicationName: 'opsbot',
      });
      this.pools.set(envName, pool);
    }
    return pool;
  }

  /** Runs diagnostics inside a read-only transaction, so a diagnostic can never change the database. */
  async readOnly<T>(envName: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    return this.mapErrors(envName, async () => {
      return inTransaction(
        this.pool(envName),
        async (client) => {
          // Size functions take a brief lock per relation: never queue behind an ALTER TABLE.
          await client.query(`SET LOCAL lock_timeout = '${DIAGNOSTIC_LOCK_TIMEOUT}'`);
          return work(client);
        },
        { readOnly: true },
      );
    });
  }

  /** Actions (ending connections): a pooled connection in autocommit, each statement its own snapshot. */
  async execute<T>(envName: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    return this.mapErrors(envName, async () => {
      const client = await this.pool(envName).connect();
      try {
        return await work(client);
      } finally {
        client.release();
      }
    });
  }

  /** A dedicated connection without statement timeout; the caller bounds the work (job timeout, cancel). */
  async session<T>(envName: string, work: (session: DedicatedSession) => Promise<T>): Promise<T> {
    const database = this.database(envName);
    const client = new pg.Client({
      connectionString: database.url,
      connectionTimeoutMillis: this.config.probes.timeout,
      application_name: 'opsbot',
      statement_timeout: 0,
    });
    client.on('error', () => undefined);
    return this.mapErrors(envName, async () => {
      try {
        await client.connect();
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const session: DedicatedSession = {
          pid: rows[0].pid,
          query: client.query.bind(client) as Queryable['query'],
          onNotice: (listener) => client.on('notice', (notice) => listener(notice.message ?? '')),
        };
        return await work(session);
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  private async mapErrors<T>(envName: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toUserError(err, this.errorContext(envName));
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end().catch(() => undefined)));
    this.pools.clear();
  }
}
