-- Up Migration
-- Slack delivery ids claimed while Redis is unreachable (src/store/slack-deliveries.ts): the delivery guard
-- falls back to this table so a retried slash command or click still runs once. Rows older than an hour
-- are pruned (Slack retries within minutes).
CREATE TABLE slack_deliveries (
  id          text PRIMARY KEY,
  claimed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_deliveries_claimed_at ON slack_deliveries (claimed_at);

-- Audit rows replayed from the durable spool file (src/store/audit-spool.ts) carry detail.spoolId; the
-- writer skips a row whose spoolId is already stored, so a replay after a crash writes each row once.
CREATE INDEX audit_log_spool_id ON audit_log ((detail->>'spoolId')) WHERE detail ? 'spoolId';

-- Down Migration
DROP INDEX audit_log_spool_id;
DROP TABLE slack_deliveries;
