-- Up Migration
-- One row per environment per day: the database's size and its largest tables,
-- so /ops db size can show growth over 30 days and project when storage is full.
CREATE TABLE db_size_samples (
  env             text NOT NULL,
  day             date NOT NULL,
  database_bytes  bigint NOT NULL,
  -- the largest tables that day: [{ "table": "public.orders", "bytes": 123 }]
  tables          jsonb NOT NULL DEFAULT '[]'::jsonb,
  taken_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (env, day)
);

-- Down Migration
DROP TABLE db_size_samples;
