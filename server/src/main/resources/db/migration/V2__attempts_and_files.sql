-- Retries wait for their backoff; each history entry keeps the exit code of the attempt it
-- ended; job files can be removed (retention, or on request) while the job stays listed.

ALTER TABLE job ADD COLUMN not_before TIMESTAMP WITH TIME ZONE;
ALTER TABLE job ADD COLUMN files_removed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE job_history ADD COLUMN exit_code INTEGER;

CREATE INDEX job_finished_at ON job (finished_at);
