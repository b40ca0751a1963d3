-- What each node reports with its heartbeat (GET /api/v1/nodes), and whether an operator drains
-- it: a draining node claims no new work.
ALTER TABLE node ADD COLUMN advertised_url VARCHAR(500);
ALTER TABLE node ADD COLUMN engine_id VARCHAR(200);
ALTER TABLE node ADD COLUMN version VARCHAR(50);
ALTER TABLE node ADD COLUMN slots INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE node ADD COLUMN running INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE node ADD COLUMN load1 DOUBLE PRECISION;
ALTER TABLE node ADD COLUMN load5 DOUBLE PRECISION;
ALTER TABLE node ADD COLUMN load15 DOUBLE PRECISION;
ALTER TABLE node ADD COLUMN disk_free_bytes BIGINT;
ALTER TABLE node ADD COLUMN draining BOOLEAN DEFAULT FALSE NOT NULL;

-- The queue is read highest priority first, then oldest: an index in that order serves it.
DROP INDEX job_state_priority;
CREATE INDEX job_queue_order ON job (state, priority DESC, id);
