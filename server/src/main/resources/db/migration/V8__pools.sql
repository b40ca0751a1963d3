-- Warm pools: containers started ahead of the jobs that name them. The definition lives here; the
-- containers are each node's own, labelled with the pool's name and revision.
CREATE TABLE pool (
    name              VARCHAR(63)   NOT NULL PRIMARY KEY,
    version           BIGINT        NOT NULL,
    revision          INTEGER       NOT NULL,
    spec              TEXT          NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A job's pool, read by the dispatcher without parsing the spec; the container its current
-- attempt runs in when that is a pool's, and whether that container was warm.
ALTER TABLE job ADD COLUMN pool VARCHAR(63);
ALTER TABLE job ADD COLUMN container VARCHAR(200);
ALTER TABLE job ADD COLUMN warm BOOLEAN;
