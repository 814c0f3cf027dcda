import type { Pool } from './pool.js';

export interface DbSizeSample {
  env: string;
  /** The UTC day the sample stands for, "2025-11-23". */
  day: string;
  databaseBytes: number;
  tables: { table: string; bytes: number }[];
  takenAt: Date;
}

/** Daily database sizes per environment, for /ops db size's growth line and projection. */
export interface DbSizeHistory {
  /** One sample per env and day: recording again the same day replaces that day's sample. */
  record(sample: Omit<DbSizeSample, 'day' | 'takenAt'> & { takenAt?: Date }): Promise<void>;
  /** Samples of the last `days` days, oldest first. */
  history(env: string, days: number, now?: Date): Promise<DbSizeSample[]>;
}

export class DbSizeHistoryRepository implements DbSizeHistory {
  constructor(private readonly pool: Pool) {}

  async record(sample: Omit<DbSizeSample, 'day' | 'takenAt'> & { takenAt?: Date }): Promise<void> {
    const takenAt = sample.takenAt ?? new Date();
    await this.pool.query(
      `INSERT INTO db_size_samples (env, day, database_bytes, tables, taken_at)
       VALUES ($1, ($4::timestamptz AT TIME ZONE 'UTC')::date, $2, $3, $4)
       ON CONFLICT (env, day) DO UPDATE SET database_bytes = EXCLUDED.database_bytes, tables = EXCLUDED.tables,
         taken_at = EXCLUDED.taken_at`,
      [sample.env, sample.databaseBytes, JSON.stringify(sample.tables), takenAt],
    );
  }

  async history(env: string, days: number, now = new Date()): Promise<DbSizeSample[]> {
    const { rows } = await this.pool.query(
      `SELECT env, to_char(day, 'YYYY-MM-DD') AS day, database_bytes, tables, taken_at FROM db_size_samples
       WHERE env = $1 AND day > ($2::timestamptz AT TIME ZONE 'UTC')::date - $3::int ORDER BY day`,
      [env, now, days],
    );
    return rows.map((r) => ({
      env: r.env,
      day: r.day,
      databaseBytes: Number(r.database_bytes),
      tables: r.tables,
      takenAt: r.taken_at,
    }));
  }
}
