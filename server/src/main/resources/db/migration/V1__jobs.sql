-- Jobs and their state history. Portable SQL: runs on PostgreSQL and H2 alike.

CREATE TABLE job (
    id              VARCHAR(36)   NOT NULL PRIMARY KEY,
    version         BIGINT        NOT NULL,
    name            VARCHAR(200),
    image           VARCHAR(512)  NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    priority        INTEGER       NOT NULL,
    attempt         INTEGER       NOT NULL,
    exit_code       INTEGER,
    reason          VARCHAR(2000),
    node            VARCHAR(200),
    idempotency_key VARCHAR(200),
    spec_hash       VARCHAR(64)   NOT NULL,
    spec            TEXT          NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT job_idempotency_key_unique UNIQUE (idempotency_key)
);

-- The dispatcher's question: queued jobs by priority, then age.
CREATE INDEX job_state_priority ON job (state, priority, id);
CREATE INDEX job_name ON job (name);

-- Ids come from a sequence rather than an identity column: EclipseLink reads identity values
-- with a function that H2 2.x no longer has. EclipseLink takes 50 at a time and reads each
-- value as the last of its block, hence the start at 50.
CREATE SEQUENCE job_history_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE job_history (
    id          BIGINT       NOT NULL PRIMARY KEY,
    job_id      VARCHAR(36)  NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    from_state  VARCHAR(16),
    to_state    VARCHAR(16)  NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    attempt     INTEGER      NOT NULL,
    reason      VARCHAR(2000)
);

CREATE INDEX job_history_job ON job_history (job_id, id);

CREATE TABLE job_label (
    job_id      VARCHAR(36)  NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    label_key   VARCHAR(63)  NOT NULL,
    label_value VARCHAR(255) NOT NULL,
    PRIMARY KEY (job_id, label_key)
);

CREATE INDEX job_label_key_value ON job_label (label_key, label_value);
