-- Up Migration
-- On-call state. Who is on call is never stored: it is computed from ops.yml and
-- the overrides below. What is stored is what people changed (overrides, swaps)
-- and what a page has done so far.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A swap: the requester's shift goes to the other person and theirs to the
-- requester, once the other person agrees. Accepting is one conditional UPDATE
-- (status = 'pending'), in the same transaction as the two overrides it creates.
CREATE TABLE oncall_swap_requests (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule        text NOT NULL,
  layer           text NOT NULL,
  requester_id    text NOT NULL,
  other_id        text NOT NULL,
  give_starts_at  timestamptz NOT NULL,
  give_ends_at    timestamptz NOT NULL,
  take_starts_at  timestamptz NOT NULL,
  take_ends_at    timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired', 'failed')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  decided_at      timestamptz,
  decided_by      text,
  failure         text,
  -- The message with the Accept / Decline buttons, so it can be updated.
  channel_id      text,
  message_ts      text,
  CHECK (requester_id <> other_id)
);
CREATE INDEX oncall_swap_requests_pending_idx ON oncall_swap_requests (other_id) WHERE status = 'pending';

-- Overrides win over the rotation. Two live overrides on the same layer may not
-- overlap: the exclusion constraint refuses the second even when two replicas
-- insert at the same moment.
CREATE TABLE oncall_overrides (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule    text NOT NULL,
  layer       text NOT NULL,
  user_id     text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  reason      text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  swap_id     integer REFERENCES oncall_swap_requests (id),
  removed_at  timestamptz,
  removed_by  text,
  CHECK (ends_at > starts_at),
  CONSTRAINT oncall_overrides_no_overlap EXCLUDE USING gist (
    schedule WITH =, layer WITH =, tstzrange(starts_at, ends_at) WITH &&
  ) WHERE (removed_at IS NULL)
);
CREATE INDEX oncall_overrides_live_idx ON oncall_overrides (schedule, ends_at) WHERE removed_at IS NULL;

-- A page runs an escalation chain for one incident or alert. generation changes
-- on every firing, acknowledgement and resolution; a delayed job acts only with
-- UPDATE ... WHERE generation = $n, so a stale timer (or a second replica) does
-- nothing. One live page per subject: page_key is unique while open or acknowledged.
CREATE TABLE oncall_pages (
  id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  page_key         text NOT NULL,
  subject_kind     text NOT NULL CHECK (subject_kind IN ('incident', 'alert', 'manual')),
  subject_id       text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3', 'P4')),
  schedule         text NOT NULL,
  summary          text NOT NULL,
  channel_id       text,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved', 'exhausted')),
  opened_at        timestamptz NOT NULL DEFAULT now(),
  -- The chain's clock: step times are measured from here.
  started_at       timestamptz NOT NULL,
  generation       integer NOT NULL DEFAULT 0,
  -- How many firings were sent: the next firing's seq.
  fired            integer NOT NULL DEFAULT 0,
  next_fire_at     timestamptz,
  last_fired_at    timestamptz,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  resolved_at      timestamptz,
  resolved_by      text
);
CREATE UNIQUE INDEX oncall_pages_live_key ON oncall_pages (page_key) WHERE status IN ('open', 'acknowledged');
CREATE INDEX oncall_pages_due_idx ON oncall_pages (next_fire_at) WHERE status = 'open';
CREATE INDEX oncall_pages_subject_idx ON oncall_pages (subject_kind, subject_id);

-- What a page did, in order: who was paged at each firing, who acknowledged,
-- which outbound pager failed. The incident timeline is written from these.
CREATE TABLE oncall_page_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  page_id   integer NOT NULL REFERENCES oncall_pages (id) ON DELETE CASCADE,
  at        timestamptz NOT NULL DEFAULT now(),
  kind      text NOT NULL CHECK (kind IN ('paged', 'acknowledged', 'resolved', 'exhausted', 'pager_failed')),
  seq       integer,
  user_ids  text[] NOT NULL DEFAULT '{}',
  actor_id  text,
  detail    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX oncall_page_events_page_idx ON oncall_page_events (page_id, at, id);

-- Down Migration
DROP TABLE oncall_page_events;
DROP TABLE oncall_pages;
DROP TABLE oncall_overrides;
DROP TABLE oncall_swap_requests;
