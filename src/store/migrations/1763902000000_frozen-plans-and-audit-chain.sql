-- Up Migration
-- What you approve is what runs: the approval row stores the plan made at
-- request time, and Approve executes that plan (never the command text again).
ALTER TABLE approvals ADD COLUMN plan jsonb;
-- When each approver clicked, parallel to approved_by (the card names who approved when).
ALTER TABLE approvals ADD COLUMN approved_at timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE approvals ADD COLUMN finished_at timestamptz;

-- The audit trail is hash-chained: each row stores sha256 over its canonical
-- content and the previous row's hash (computed by src/store/audit.ts, checked
-- by `opsbot audit verify`). Rows written before this migration have no hash
-- and are reported as "before the chain".
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;
CREATE UNIQUE INDEX audit_log_hash_idx ON audit_log (hash) WHERE hash IS NOT NULL;

-- Append-only. The bot should connect as a role that does not own the table
-- (an owner can grant itself these back); revoking from the current role and
-- PUBLIC still stops the ordinary paths.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- Down Migration
GRANT UPDATE, DELETE, TRUNCATE ON audit_log TO CURRENT_USER;
DROP INDEX audit_log_hash_idx;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
ALTER TABLE approvals DROP COLUMN finished_at;
ALTER TABLE approvals DROP COLUMN approved_at;
ALTER TABLE approvals DROP COLUMN plan;
