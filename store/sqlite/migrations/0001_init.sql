-- Initial schema. Times are unix nanoseconds (UTC); NULL means "not set".
-- JSON columns hold slices and type-specific specs.

CREATE TABLE tenants (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	version    INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL,
	hash       TEXT NOT NULL UNIQUE,
	prefix     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX api_keys_role ON api_keys (role);

CREATE TABLE resources (
	id                     TEXT PRIMARY KEY,
	tenant_id              TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name                   TEXT NOT NULL,
	type                   TEXT NOT NULL,
	language               TEXT NOT NULL DEFAULT '',
	status                 TEXT NOT NULL,
	error                  TEXT NOT NULL DEFAULT '',
	warnings               TEXT NOT NULL DEFAULT 'null',
	attempts               INTEGER NOT NULL DEFAULT 0,
	documents              INTEGER NOT NULL DEFAULT 0,
	chunks                 INTEGER NOT NULL DEFAULT 0,
	last_run               TEXT NOT NULL DEFAULT 'null',
	spec                   TEXT NOT NULL DEFAULT '{}',
	created_at             INTEGER NOT NULL,
	updated_at             INTEGER NOT NULL,
	indexed_at             INTEGER,
	next_refresh_at        INTEGER,
	refresh_available_at   INTEGER,
	last_manual_refresh_at INTEGER
);
CREATE INDEX resources_tenant_created ON resources (tenant_id, created_at DESC);
CREATE INDEX resources_status ON resources (status);

CREATE TABLE documents (
	id          TEXT PRIMARY KEY,
	tenant_id   TEXT NOT NULL,
	resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	source_id   TEXT NOT NULL,
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL DEFAULT '',
	language    TEXT NOT NULL DEFAULT '',
	intent      TEXT NOT NULL DEFAULT '',
	examples    TEXT NOT NULL DEFAULT 'null',
	offer       TEXT NOT NULL DEFAULT 'null',
	hash        TEXT NOT NULL DEFAULT '',
	updated_at  INTEGER
);
CREATE INDEX documents_tenant_resource ON documents (tenant_id, resource_id, source_id);
CREATE INDEX documents_resource ON documents (resource_id);

-- chunks.seq is the rowid the full-text index refers to.
CREATE TABLE chunks (
	seq         INTEGER PRIMARY KEY,
	id          TEXT NOT NULL UNIQUE,
	tenant_id   TEXT NOT NULL,
	resource_id TEXT NOT NULL,
	document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	ordinal     INTEGER NOT NULL DEFAULT 0,
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	text        TEXT NOT NULL DEFAULT '',
	language    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chunks_document ON chunks (document_id);
CREATE INDEX chunks_resource ON chunks (resource_id);

-- Contentless full-text index over chunks (rowid = chunks.seq). Go writes
-- it (insertChunks): each term of a chunk is indexed as tenant tag + term
-- (store.Tokens), so a tenant's query only reads that tenant's postings
-- however large other tenants are. It only finds candidates: the tenant
-- and resource filters are joined from chunks and BM25 is computed in Go
-- from lexical_terms and lexical_stats. Deleting a chunk deletes its row
-- (trigger).
CREATE VIRTUAL TABLE chunks_fts USING fts5 (
	title, text,
	content = '',
	contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
	DELETE FROM chunks_fts WHERE rowid = old.seq;
END;

-- lexical_terms counts the tenant's chunks containing each term (as
-- store.Terms splits them); lexical_stats counts the tenant's chunks and
-- tokens. They give BM25 its document frequencies and average length, per
-- tenant.
CREATE TABLE lexical_terms (
	tenant_id TEXT NOT NULL,
	term      TEXT NOT NULL,
	docs      INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, term)
) WITHOUT ROWID;

CREATE TABLE lexical_stats (
	tenant_id TEXT PRIMARY KEY,
	chunks    INTEGER NOT NULL,
	tokens    INTEGER NOT NULL
) WITHOUT ROWID;

-- jobs.seq orders jobs created in the same instant.
CREATE TABLE jobs (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	id          TEXT NOT NULL UNIQUE,
	tenant_id   TEXT NOT NULL,
	resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	lease_owner TEXT NOT NULL DEFAULT '',
	lease_until INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL
);
CREATE INDEX jobs_claim ON jobs (created_at, seq);
CREATE INDEX jobs_resource ON jobs (resource_id);

CREATE TABLE events (
	id           TEXT PRIMARY KEY,
	tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	type         TEXT NOT NULL,
	resource_id  TEXT NOT NULL DEFAULT '',
	assistant_id TEXT NOT NULL DEFAULT '',
	question     TEXT NOT NULL DEFAULT '',
	detail       TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);
CREATE INDEX events_tenant_created ON events (tenant_id, created_at DESC);
CREATE INDEX events_created ON events (created_at DESC);

CREATE TABLE assistants (
	id               TEXT PRIMARY KEY,
	tenant_id        TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name             TEXT NOT NULL,
	resource_ids     TEXT NOT NULL DEFAULT 'null',
	fallback_message TEXT NOT NULL DEFAULT '',
	agent_message    TEXT NOT NULL DEFAULT '',
	auto_close       INTEGER NOT NULL DEFAULT 0,
	premium_intents  TEXT NOT NULL DEFAULT 'null',
	language         TEXT NOT NULL DEFAULT '',
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX assistants_tenant ON assistants (tenant_id, created_at);

CREATE TABLE intents (
	id         TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	examples   TEXT NOT NULL DEFAULT 'null',
	tier       TEXT NOT NULL DEFAULT '',
	builtin    INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	UNIQUE (tenant_id, name)
);

CREATE TABLE webhooks (
	id         TEXT PRIMARY KEY,
	tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	url        TEXT NOT NULL,
	events     TEXT NOT NULL DEFAULT 'null',
	secret     TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at);

CREATE TABLE deliveries (
	id           TEXT PRIMARY KEY,
	tenant_id    TEXT NOT NULL,
	webhook_id   TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	event_id     TEXT NOT NULL,
	status       TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	last_code    INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	next_attempt INTEGER,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at DESC);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id);

CREATE TABLE answer_logs (
	seq               INTEGER PRIMARY KEY,
	tenant_id         TEXT NOT NULL,
	assistant_id      TEXT NOT NULL DEFAULT '',
	intent            TEXT NOT NULL DEFAULT '',
	status            TEXT NOT NULL,
	tier              TEXT NOT NULL DEFAULT '',
	llm_calls         INTEGER NOT NULL DEFAULT 0,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	latency_ms        REAL NOT NULL DEFAULT 0,
	created_at        INTEGER NOT NULL
);
CREATE INDEX answer_logs_tenant_created ON answer_logs (tenant_id, created_at);
