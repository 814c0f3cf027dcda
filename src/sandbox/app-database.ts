import pg from 'pg';

/** What the showcase's application runs, so `/ops db slow` has real statements to rank. */
const WORKLOAD = [
  `SELECT e.speciality, count(*) FROM bookings b JOIN experts e ON e.id = b.expert_id WHERE b.status = 'confirmed' GROUP BY e.speciality`,
  `SELECT * FROM bookings WHERE status = 'pending' AND starts_at > now() ORDER BY starts_at LIMIT 50`,
  `SELECT expert_id, count(*) FROM bookings GROUP BY expert_id ORDER BY count(*) DESC LIMIT 10`,
  `SELECT count(*) FROM bookings b1 JOIN bookings b2 ON b1.expert_id = b2.expert_id AND b1.id < b2.id WHERE b1.expert_id < 20`,
  `SELECT name FROM experts WHERE speciality = 'law' ORDER BY created_at DESC LIMIT 20`,
];

/**
 * The demo's "application" database: a small schema with data, pg_stat_statements (the embedded
 * Postgres preloads it; on a Postgres of your own it is created only if it can be), and a short
 * workload so the slow-query view shows something real.
 */
export async function seedAppDatabase(url: string, rounds = 5): Promise<{ statements: boolean }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS experts (id serial PRIMARY KEY, name text NOT NULL, speciality text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS bookings (id serial PRIMARY KEY, expert_id int NOT NULL REFERENCES experts(id), starts_at timestamptz NOT NULL, status text NOT NULL);
      CREATE INDEX IF NOT EXISTS bookings_expert_idx ON bookings (expert_id);
      INSERT INTO experts (name, speciality) SELECT 'Expert ' || g, (ARRAY['tax','law','health','design'])[1 + g % 4] FROM generate_series(1, 500) g WHERE NOT EXISTS (SELECT 1 FROM experts);
      INSERT INTO bookings (expert_id, starts_at, status) SELECT 1 + g % 500, now() + (g || ' minutes')::interval, (ARRAY['confirmed','cancelled','pending'])[1 + g % 3] FROM generate_series(1, 20000) g WHERE NOT EXISTS (SELECT 1 FROM bookings);
      ANALYZE;
    `);
    const { rows } = await client.query(
      `SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded`,
    );
    const statements = Boolean(rows[0]?.loaded);
    if (statements) {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      // Forget the set-up (seeding, ANALYZE, CREATE EXTENSION): /ops db slow should rank the workload.
      await client.query('SELECT pg_stat_statements_reset()').catch(() => undefined);
    }
    for (let i = 0; i < rounds; i++) for (const sql of WORKLOAD) await client.query(sql);
    return { statements };
  } finally {
    await client.end();
  }
}
