-- Up Migration
-- Alerts from SNS, the webhook and the CloudWatch poller. One row per firing
-- occurrence of a dedupe key (a repeat updates it; a later firing after a
-- resolution is a new row). Messages are the Slack posts alerts are grouped
-- into; `version` moves on every change and the outbox renders the latest
-- state, so a burst of changes becomes one chat.update.
CREATE TABLE alert_messages (
  id              bigserial PRIMARY KEY,
  channel_id      text NOT NULL,
  -- "route:<n>", "route:default" or "storm": one open message per channel and key.
  group_key       text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('group', 'storm')),
  route_index     integer,
  open            boolean NOT NULL DEFAULT true,
  window_ends_at  timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ts              text,
  version         integer NOT NULL DEFAULT 1,
  synced_version  integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alert_messages_open_idx ON alert_messages (channel_id, group_key) WHERE open;
CREATE INDEX alert_messages_unsynced_idx ON alert_messages (id) WHERE synced_version < version;

CREATE TABLE alerts (
  id              bigserial PRIMARY KEY,
  dedupe_key      text NOT NULL,
  source          text NOT NULL,
  title           text NOT NULL,
  state           text NOT NULL CHECK (state IN ('firing', 'resolved')),
  severity        text NOT NULL,
  environment     text,
  reason          text,
  metric          jsonb,
  link            text,
  alarm_name      text,
  channel_id      text NOT NULL,
  route_index     integer,
  message_id      bigint REFERENCES alert_messages (id),
  first_seen      timestamptz NOT NULL DEFAULT now(),
  last_seen       timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  count           integer NOT NULL DEFAULT 1,
  acked_by        text,
  acked_at        timestamptz,
  silence_id      bigint,
  notified_at     timestamptz NOT NULL DEFAULT now(),
  incident_by     text,
  incident_at     timestamptz
);
CREATE UNIQUE INDEX alerts_open_key_idx ON alerts (dedupe_key) WHERE state = 'firing';
CREATE INDEX alerts_channel_recent_idx ON alerts (channel_id, first_seen);
CREATE INDEX alerts_message_idx ON alerts (message_id);
CREATE INDEX alerts_silence_idx ON alerts (silence_id) WHERE silence_id IS NOT NULL;

-- A silence matches a dedupe key exactly or a glob over key, title and alarm name.
CREATE TABLE silences (
  id              bigserial PRIMARY KEY,
  matcher         text NOT NULL,
  reason          text,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ends_at         timestamptz NOT NULL,
  removed_by      text,
  channel_id      text,
  suppressed      integer NOT NULL DEFAULT 0,
  ended_reported  boolean NOT NULL DEFAULT false
);
CREATE INDEX silences_open_idx ON silences (ends_at) WHERE NOT ended_reported;

-- The poller's memory: the last state seen per alarm, so only transitions are emitted.
CREATE TABLE alert_poll_state (
  environment     text NOT NULL,
  alarm_arn       text NOT NULL,
  state           text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment, alarm_arn)
);

-- Down Migration
DROP TABLE alert_poll_state;
DROP TABLE silences;
DROP TABLE alerts;
DROP TABLE alert_messages;
