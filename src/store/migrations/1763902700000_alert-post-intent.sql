-- Up Migration
-- The outbox records that it is about to post an alert message before calling chat.postMessage. After a
-- crash between the post and storing its ts, the next sync sees the intent without a ts and looks for the
-- earlier post (by the metadata it carries) instead of posting a second copy.
ALTER TABLE alert_messages ADD COLUMN post_started_at timestamptz;

-- Down Migration
ALTER TABLE alert_messages DROP COLUMN post_started_at;
