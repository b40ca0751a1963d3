-- A claim records, besides the node, until when the claim holds: the node renews it with its
-- heartbeat, and a job of a node whose lease has run out (plus a grace period) may move on.
ALTER TABLE job ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;

-- A submission counts its tenant's queued jobs against the tenant's quota: an index of both keeps
-- that count to the index, however many jobs the tenant has had.
CREATE INDEX job_tenant_state ON job (tenant_id, state);

-- The node that runs a batch's latest execution: should that node be lost, another marks the
-- execution failed, so that an operator can restart it from any node.
ALTER TABLE batch ADD COLUMN node VARCHAR(255);
