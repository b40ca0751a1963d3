-- Tenants, their API keys (stored only as SHA-256 hashes), the audit log, and the tenant and
-- submitter of every job. Jobs from before belong to the tenant 'default'.

CREATE TABLE tenant (
    id           VARCHAR(63)  NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    max_running  INTEGER,
    max_queued   INTEGER,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT       NOT NULL
);

INSERT INTO tenant (id, name, created_at, version) VALUES ('default', 'Default tenant', CURRENT_TIMESTAMP, 0);

CREATE TABLE api_key (
    id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(63)  NOT NULL REFERENCES tenant (id),
    name         VARCHAR(200) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,
    prefix       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_key_secret_hash_unique UNIQUE (secret_hash)
);

ALTER TABLE job ADD COLUMN tenant_id VARCHAR(63) DEFAULT 'default' NOT NULL;
ALTER TABLE job ADD COLUMN submitted_by VARCHAR(36);
ALTER TABLE job DROP CONSTRAINT job_idempotency_key_unique;
ALTER TABLE job ADD CONSTRAINT job_idempotency_key_unique UNIQUE (tenant_id, idempotency_key);
CREATE INDEX job_tenant ON job (tenant_id, id);

CREATE SEQUENCE audit_event_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE audit_event (
    id              BIGINT       NOT NULL PRIMARY KEY,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    actor           VARCHAR(36),
    actor_name      VARCHAR(200),
    tenant_id       VARCHAR(63),
    action          VARCHAR(40)  NOT NULL,
    target          VARCHAR(200),
    outcome         VARCHAR(20)  NOT NULL,
    client_address  VARCHAR(64)
);

CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_actor ON audit_event (actor, at);
