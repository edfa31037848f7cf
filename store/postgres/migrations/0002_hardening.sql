-- Optimistic concurrency for resources and key last-used times (issue 15).
ALTER TABLE resources ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
