-- The installation: one row, its id made by the first server that starts on this schema. Every
-- container carries it, so that two installations sharing one Docker engine never touch each
-- other's containers.
CREATE TABLE installation (
    singleton   INTEGER      NOT NULL PRIMARY KEY CHECK (singleton = 1),
    id          VARCHAR(36)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The live nodes of this installation: a name is held by one running server at a time, which
-- proves it is alive by its heartbeat.
CREATE TABLE node (
    name          VARCHAR(200) NOT NULL PRIMARY KEY,
    instance_id   VARCHAR(36)  NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Attempts ended by an engine stop or restart: requeued, but not counted against the job's own
-- retry policy.
ALTER TABLE job ADD COLUMN engine_interruptions INTEGER DEFAULT 0 NOT NULL;
