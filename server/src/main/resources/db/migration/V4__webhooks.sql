-- Webhook subscriptions and their deliveries: an outbox written in the same transaction as
-- the state change it reports, and delivered at least once from there.

CREATE TABLE webhook (
    id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    tenant_id    VARCHAR(63)   NOT NULL REFERENCES tenant (id),
    url          VARCHAR(2000) NOT NULL,
    events       VARCHAR(500)  NOT NULL,
    log_pattern  VARCHAR(500),
    secret       VARCHAR(200)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at   TIMESTAMP WITH TIME ZONE
);

CREATE INDEX webhook_tenant ON webhook (tenant_id);

CREATE SEQUENCE webhook_delivery_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE webhook_delivery (
    id                BIGINT       NOT NULL PRIMARY KEY,
    webhook_id        VARCHAR(36)  NOT NULL REFERENCES webhook (id),
    job_id            VARCHAR(36),
    event_type        VARCHAR(40)  NOT NULL,
    payload           TEXT         NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    attempts          INTEGER      NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at      TIMESTAMP WITH TIME ZONE,
    last_status_code  INTEGER,
    last_latency_ms   BIGINT,
    last_error        VARCHAR(500)
);

CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at);
CREATE INDEX webhook_delivery_webhook ON webhook_delivery (webhook_id, id);
