-- Up Migration
-- One row per /ops backup verify run: did a backup really restore, and did its
-- data match the live database? checklist and status show the latest one.
CREATE TABLE backup_verifications (
  id            bigserial PRIMARY KEY,
  env           text NOT NULL,
  method        text NOT NULL CHECK (method IN ('logical', 'snapshot')),
  -- the dump file or snapshot identifier that was restored
  source        text NOT NULL,
  ok            boolean NOT NULL,
  summary       text NOT NULL,
  checks        jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- what was created and whether it was removed again
  cleanup       text,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL DEFAULT now(),
  duration_ms   integer NOT NULL,
  job_id        text,
  requested_by  text
);
CREATE INDEX backup_verifications_env_idx ON backup_verifications (env, finished_at DESC);

-- Down Migration
DROP TABLE backup_verifications;
