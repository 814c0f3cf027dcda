-- Up Migration
-- One row per /ops dr test run: how long the restore took (achieved RTO) and how old the restored
-- data was (achieved RPO), against the targets of the time. status and checklist show the latest one.
CREATE TABLE dr_tests (
  id              bigserial PRIMARY KEY,
  env             text NOT NULL,
  method          text NOT NULL CHECK (method IN ('snapshot', 'point-in-time')),
  -- the snapshot identifier, or the restore time for a point-in-time restore
  source          text NOT NULL,
  temp_instance   text,
  passed          boolean NOT NULL,
  summary         text NOT NULL,
  -- null when the test failed before it could be measured
  rto_ms          bigint,
  rpo_ms          bigint,
  rto_target_ms   bigint NOT NULL,
  rpo_target_ms   bigint NOT NULL,
  checks          jsonb NOT NULL DEFAULT '[]'::jsonb,
  cleanup         text,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL,
  job_id          text,
  requested_by    text
);
CREATE INDEX dr_tests_env_idx ON dr_tests (env, finished_at DESC);

-- Down Migration
DROP TABLE dr_tests;
