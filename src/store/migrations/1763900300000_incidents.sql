-- Up Migration
-- One row per incident. declare_key (the slash command's trigger_id, or the
-- declaration modal's key) is unique: a retried delivery or a second replica
-- inserts nothing, so only one of them goes on to create the channel.
CREATE TABLE incidents (
  id                  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  declare_key         text NOT NULL UNIQUE,
  title               text NOT NULL,
  description         text,
  severity            text NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3', 'P4')),
  env                 text,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'mitigated', 'resolved')),
  declared_by         text NOT NULL,
  declared_at         timestamptz NOT NULL DEFAULT now(),
  owner_id            text,
  acknowledged_at     timestamptz,
  acknowledged_by     text,
  mitigated_at        timestamptz,
  resolved_at         timestamptz,
  resolved_by         text,
  summary             text,
  channel_id          text UNIQUE,
  channel_name        text,
  origin_channel_id   text,
  card                jsonb,
  announcement        jsonb,
  last_update_at      timestamptz,
  escalated_at        timestamptz,
  -- Timer generations: a delayed job only acts when its generation is still current.
  ack_timer_seq       integer NOT NULL DEFAULT 0,
  update_timer_seq    integer NOT NULL DEFAULT 0,
  reminders_sent      integer NOT NULL DEFAULT 0
);
CREATE INDEX incidents_open_idx ON incidents (severity, declared_at DESC) WHERE status <> 'resolved';

-- What happened during an incident, in order. dedupe_key keeps a second
-- :pushpin: on the same message (or a retried event) from adding it twice.
CREATE TABLE incident_timeline (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  integer NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  kind         text NOT NULL,
  actor_id     text,
  text         text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  dedupe_key   text,
  UNIQUE (incident_id, dedupe_key)
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, at, id);

-- Down Migration
DROP TABLE incident_timeline;
DROP TABLE incidents;
