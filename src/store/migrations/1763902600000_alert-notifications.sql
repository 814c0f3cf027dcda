-- Up Migration
-- Each notification an intake accepted, by id (SNS MessageId, or an id given at intake), so a job retry or
-- a notification delivered twice does not count an alert again: the id is claimed in the same statement
-- that adds to alerts.count. Rows older than a day are pruned by the alert sweep.
CREATE TABLE alert_notifications (
  id          text PRIMARY KEY,
  seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_notifications_seen_idx ON alert_notifications (seen_at);

-- Down Migration
DROP TABLE alert_notifications;
