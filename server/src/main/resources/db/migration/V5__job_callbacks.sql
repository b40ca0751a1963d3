-- A job's own callback URLs are subscriptions that hear that job only.
ALTER TABLE webhook ADD COLUMN job_id VARCHAR(36);
