import { UserError } from '../errors.js';
import type { OpsConfig } from '../config/schema.js';
import { createPool, type Pool, type PoolClient } from '../store/pool.js';

export type Queryable = Pick<PoolClient, 'query'>;

/**
 * The application databases opsbot diagnoses (environments.<env>.database.url),
 * as opposed to its own store. One small pool per environment, created on first use.
 */
export class TargetDatabases {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly config: OpsConfig) {}

  pool(envName: string): Pool {
    const env = this.config.environments[envName];
    if (!env?.database) {
      throw new UserError(`Environment \`${envName}\` has no database configured.`, `Add \`database: { url: "\${${envName.toUpperCase()}_DATABASE_URL}" }\` under environments.${envName} in ops.yml.`);
    }
    let pool = this.pools.get(envName);
    if (!pool) {
      pool = createPool(env.database.url, { max: 2, connectTimeoutMs: this.config.probes.timeout, statementTimeoutMs: env.database.statementTimeout, applicationName: 'opsbot' });
      this.pools.set(envName, pool);
    }
    return pool;
  }

  /** Runs diagnostics inside a read-only transaction, so a diagnostic can never change the database. */
  async readOnly<T>(envName: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool(envName).connect();
    try {
      await client.query('BEGIN READ ONLY');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end().catch(() => undefined)));
    this.pools.clear();
  }
}
