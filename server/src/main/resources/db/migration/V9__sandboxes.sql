-- Sandboxes: a container kept running for one tenant, driven step by step with execs.
CREATE TABLE sandbox (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    version           BIGINT        NOT NULL,
    tenant_id         VARCHAR(200)  NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    spec              TEXT          NOT NULL,
    pool              VARCHAR(63),
    node              VARCHAR(200)  NOT NULL,
    container         VARCHAR(200),
    warm              BOOLEAN,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    ready_at          TIMESTAMP WITH TIME ZONE,
    ended_at          TIMESTAMP WITH TIME ZONE,
    end_reason        VARCHAR(1000)
);

-- Listing a tenant's sandboxes, and counting those that hold a running slot.
CREATE INDEX sandbox_tenant_state ON sandbox (tenant_id, state);
CREATE INDEX sandbox_node_state ON sandbox (node, state);

-- Every command run in a sandbox, as it ended. Its output is answered, never stored.
CREATE TABLE sandbox_exec (
    id                VARCHAR(36)   NOT NULL PRIMARY KEY,
    sandbox_id        VARCHAR(36)   NOT NULL REFERENCES sandbox (id) ON DELETE CASCADE,
    command           TEXT          NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms       BIGINT        NOT NULL,
    exit_code         INTEGER,
    timed_out         BOOLEAN       NOT NULL
);

CREATE INDEX sandbox_exec_sandbox ON sandbox_exec (sandbox_id, started_at);
