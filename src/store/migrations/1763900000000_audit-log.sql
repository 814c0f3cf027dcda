-- Up Migration
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_id     text NOT NULL,
  actor_name   text,
  source       text NOT NULL CHECK (source IN ('slack', 'cli', 'system')),
  channel_id   text,
  command      text,
  text         text NOT NULL,
  env          text,
  outcome      text NOT NULL,
  duration_ms  integer,
  error_ref    text,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_channel_idx ON audit_log (channel_id, at DESC);

-- Down Migration
DROP TABLE audit_log;
