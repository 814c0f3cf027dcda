-- Up Migration
-- One row per posted checklist. A scheduled post claims its slot with the
-- unique (checklist, scheduled_for) pair, so several replicas post it once.
CREATE TABLE checklist_runs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  checklist       text NOT NULL,
  title           text NOT NULL,
  channel_id      text NOT NULL,
  message_ts      text,
  scheduled_for   timestamptz,
  posted_by       text NOT NULL,
  owner           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  due_at          timestamptz NOT NULL,
  completed_at    timestamptz,
  reminders_sent  integer NOT NULL DEFAULT 0,
  UNIQUE (checklist, scheduled_for)
);
CREATE INDEX checklist_runs_recent_idx ON checklist_runs (checklist, created_at DESC);
CREATE INDEX checklist_runs_channel_idx ON checklist_runs (channel_id, created_at DESC);

-- The items as they were when the run was posted (a later config change does
-- not rewrite history). Each tick, untick and skip is one conditional UPDATE.
CREATE TABLE checklist_items (
  run_id       uuid NOT NULL REFERENCES checklist_runs (id) ON DELETE CASCADE,
  position     integer NOT NULL,
  text         text NOT NULL,
  command      text,
  runbook      text,
  state        text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'skipped')),
  done_by      text,
  done_at      timestamptz,
  via          text,
  skip_reason  text,
  PRIMARY KEY (run_id, position)
);

-- Who did what and when, including unticks and Run results.
CREATE TABLE checklist_events (
  id        bigserial PRIMARY KEY,
  run_id    uuid NOT NULL REFERENCES checklist_runs (id) ON DELETE CASCADE,
  position  integer,
  actor     text NOT NULL,
  action    text NOT NULL CHECK (action IN ('tick', 'untick', 'skip', 'run_passed', 'run_failed', 'reminded', 'completed')),
  detail    text,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checklist_events_run_idx ON checklist_events (run_id, at);

-- Down Migration
DROP TABLE checklist_events;
DROP TABLE checklist_items;
DROP TABLE checklist_runs;
