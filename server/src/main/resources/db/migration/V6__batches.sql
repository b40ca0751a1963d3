-- Batches: a job template and its work items, run as a Jakarta Batch job. The batch runtime
-- keeps its own job repository (executions, step checkpoints) in the WLP* tables it creates.

CREATE TABLE batch (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id         VARCHAR(63)  NOT NULL REFERENCES tenant (id),
    submitted_by      VARCHAR(36)  NOT NULL,
    name              VARCHAR(200),
    template_json     TEXT         NOT NULL,
    item_count        INTEGER      NOT NULL,
    parallelism       INTEGER      NOT NULL,
    checkpoint_every  INTEGER      NOT NULL,
    max_failed_items  INTEGER      NOT NULL,
    item_retries      INTEGER      NOT NULL,
    execution_id      BIGINT,
    stop_requested    BOOLEAN      NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX batch_tenant ON batch (tenant_id, id);

-- One row per work item. state: PENDING (not run, or interrupted by a stop), RUNNING (its job
-- is job_id), SUCCEEDED, FAILED (failed past the batch's limit), SKIPPED (failed within it).
CREATE TABLE batch_item (
    id             VARCHAR(48)  NOT NULL PRIMARY KEY,
    batch_id       VARCHAR(36)  NOT NULL REFERENCES batch (id),
    item_index     INTEGER      NOT NULL,
    overrides_json TEXT         NOT NULL,
    input_name     VARCHAR(255),
    state          VARCHAR(16)  NOT NULL,
    job_id         VARCHAR(36),
    runs           INTEGER      NOT NULL,
    exit_code      INTEGER,
    reason         VARCHAR(500),
    finished_at    TIMESTAMP WITH TIME ZONE
);

CREATE UNIQUE INDEX batch_item_position ON batch_item (batch_id, item_index);
