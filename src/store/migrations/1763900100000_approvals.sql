-- Up Migration
-- One row per request to run a dangerous command. Every state change is a
-- single conditional UPDATE, so concurrent clicks, Slack retries and several
-- replicas agree on exactly one outcome.
CREATE TABLE approvals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  command         text NOT NULL,
  command_text    text NOT NULL,
  env             text NOT NULL,
  risk            text NOT NULL,
  effect          text NOT NULL,
  requested_by    text NOT NULL,
  channel_id      text,
  approver_roles  text[] NOT NULL DEFAULT '{}',
  required_count  integer NOT NULL DEFAULT 1 CHECK (required_count >= 1),
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'executed', 'failed')),
  approved_by     text[] NOT NULL DEFAULT '{}',
  denied_by       text,
  decided_at      timestamptz,
  cards           jsonb NOT NULL DEFAULT '[]'::jsonb,
  outcome         text,
  job_id          text
);
CREATE INDEX approvals_pending_idx ON approvals (expires_at) WHERE status = 'pending';

-- Down Migration
DROP TABLE approvals;
