-- resources_listing covers every column of resources except spec, in the
-- order a tenant's listing reads them, so a listing without the spec
-- (ragkb.ResourceFilter.NoSpec: every answer and search scopes its question
-- with one) reads the index alone instead of walking each row's spec, whose
-- overflow pages a large knowledge base (an NDJSON of 15,000 questions is
-- ~2 MB) makes the bulk of the row.
CREATE INDEX resources_listing ON resources (tenant_id, created_at DESC, id DESC, name, type, language, status, error, warnings,
	attempts, documents, chunks, last_run, updated_at, indexed_at, next_refresh_at, refresh_available_at,
	last_manual_refresh_at, version);
