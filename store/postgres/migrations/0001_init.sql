-- Initial schema. Times are timestamptz (microsecond precision); NULL means
-- "not set". JSONB columns hold slices, run statistics and type-specific specs.
-- Vectors are not here: the vectors table is created by the store with the
-- configured embedding dimensions (see vector.go).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- ragkb_unaccent is unaccent with a fixed dictionary, declared IMMUTABLE so
-- that it can be used in the generated tsvector column. It assumes the
-- unaccent extension lives in schema public (the default).
CREATE OR REPLACE FUNCTION ragkb_unaccent(text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE TABLE tenants (
	id         text PRIMARY KEY,
	name       text NOT NULL UNIQUE,
	version    bigint NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL
);

CREATE TABLE api_keys (
	id         text PRIMARY KEY,
	tenant_id  text NOT NULL DEFAULT '',
	role       text NOT NULL,
	hash       text NOT NULL UNIQUE,
	prefix     text NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX api_keys_role ON api_keys (role);

CREATE TABLE resources (
	id                     text PRIMARY KEY,
	tenant_id              text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name                   text NOT NULL,
	type                   text NOT NULL,
	language               text NOT NULL DEFAULT '',
	status                 text NOT NULL,
	error                  text NOT NULL DEFAULT '',
	warnings               jsonb,
	attempts               integer NOT NULL DEFAULT 0,
	documents              integer NOT NULL DEFAULT 0,
	chunks                 integer NOT NULL DEFAULT 0,
	last_run               jsonb,
	knowledge_base         jsonb,
	faq_page               jsonb,
	policy                 jsonb,
	offers                 jsonb,
	created_at             timestamptz NOT NULL,
	updated_at             timestamptz NOT NULL,
	indexed_at             timestamptz,
	next_refresh_at        timestamptz,
	refresh_available_at   timestamptz,
	last_manual_refresh_at timestamptz
);
CREATE INDEX resources_tenant_created ON resources (tenant_id, created_at DESC);
CREATE INDEX resources_created ON resources (created_at DESC);

CREATE TABLE documents (
	id          text PRIMARY KEY,
	tenant_id   text NOT NULL,
	resource_id text NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	source_id   text NOT NULL,
	kind        text NOT NULL,
	title       text NOT NULL DEFAULT '',
	url         text NOT NULL DEFAULT '',
	text        text NOT NULL DEFAULT '',
	language    text NOT NULL DEFAULT '',
	intent      text NOT NULL DEFAULT '',
	examples    jsonb,
	offer       jsonb,
	hash        text NOT NULL DEFAULT '',
	updated_at  timestamptz
);
CREATE INDEX documents_tenant_resource ON documents (tenant_id, resource_id, source_id);
CREATE INDEX documents_resource ON documents (resource_id);

-- tsv is the chunk's full-text vector: the "simple" configuration (no
-- stemming, so it works the same for every language) over text without
-- diacritics, the title weighted A and the text D. Queries are built from
-- store.LexicalTerms and go through ragkb_unaccent too.
CREATE TABLE chunks (
	id          text PRIMARY KEY,
	tenant_id   text NOT NULL,
	resource_id text NOT NULL,
	document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	ordinal     integer NOT NULL DEFAULT 0,
	kind        text NOT NULL,
	title       text NOT NULL DEFAULT '',
	url         text NOT NULL DEFAULT '',
	text        text NOT NULL DEFAULT '',
	language    text NOT NULL DEFAULT '',
	tsv         tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('simple'::regconfig, ragkb_unaccent(title)), 'A') ||
		setweight(to_tsvector('simple'::regconfig, ragkb_unaccent(text)), 'D')
	) STORED
);
CREATE INDEX chunks_document ON chunks (document_id);
CREATE INDEX chunks_tenant_resource ON chunks (tenant_id, resource_id);
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);

-- seq orders jobs created in the same instant.
CREATE TABLE jobs (
	seq         bigserial UNIQUE,
	id          text PRIMARY KEY,
	tenant_id   text NOT NULL,
	resource_id text NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	kind        text NOT NULL,
	attempts    integer NOT NULL DEFAULT 0,
	lease_owner text NOT NULL DEFAULT '',
	lease_until timestamptz,
	created_at  timestamptz NOT NULL
);
CREATE INDEX jobs_claim ON jobs (created_at, seq);
CREATE INDEX jobs_resource ON jobs (resource_id);

CREATE TABLE events (
	id           text PRIMARY KEY,
	tenant_id    text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	type         text NOT NULL,
	resource_id  text NOT NULL DEFAULT '',
	assistant_id text NOT NULL DEFAULT '',
	question     text NOT NULL DEFAULT '',
	detail       text NOT NULL DEFAULT '',
	created_at   timestamptz NOT NULL
);
CREATE INDEX events_tenant_created ON events (tenant_id, created_at DESC);
CREATE INDEX events_created ON events (created_at DESC);

CREATE TABLE assistants (
	id               text PRIMARY KEY,
	tenant_id        text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name             text NOT NULL,
	resource_ids     jsonb,
	fallback_message text NOT NULL DEFAULT '',
	agent_message    text NOT NULL DEFAULT '',
	auto_close       boolean NOT NULL DEFAULT false,
	premium_intents  jsonb,
	language         text NOT NULL DEFAULT '',
	created_at       timestamptz NOT NULL,
	updated_at       timestamptz NOT NULL
);
CREATE INDEX assistants_tenant ON assistants (tenant_id, created_at);

CREATE TABLE intents (
	id         text PRIMARY KEY,
	tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name       text NOT NULL,
	examples   jsonb,
	tier       text NOT NULL DEFAULT '',
	builtin    boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL,
	UNIQUE (tenant_id, name)
);

CREATE TABLE webhooks (
	id         text PRIMARY KEY,
	tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	url        text NOT NULL,
	events     jsonb,
	secret     text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	UNIQUE (id, tenant_id)
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at);

CREATE TABLE deliveries (
	id           text PRIMARY KEY,
	tenant_id    text NOT NULL,
	webhook_id   text NOT NULL,
	event_id     text NOT NULL,
	status       text NOT NULL,
	attempts     integer NOT NULL DEFAULT 0,
	last_code    integer NOT NULL DEFAULT 0,
	last_error   text NOT NULL DEFAULT '',
	next_attempt timestamptz,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL,
	-- A delivery belongs to a webhook of its own tenant.
	FOREIGN KEY (webhook_id, tenant_id) REFERENCES webhooks (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at DESC);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id);

CREATE TABLE answer_logs (
	seq               bigserial PRIMARY KEY,
	tenant_id         text NOT NULL,
	assistant_id      text NOT NULL DEFAULT '',
	intent            text NOT NULL DEFAULT '',
	status            text NOT NULL,
	tier              text NOT NULL DEFAULT '',
	llm_calls         integer NOT NULL DEFAULT 0,
	prompt_tokens     integer NOT NULL DEFAULT 0,
	completion_tokens integer NOT NULL DEFAULT 0,
	latency_ms        double precision NOT NULL DEFAULT 0,
	created_at        timestamptz NOT NULL
);
CREATE INDEX answer_logs_tenant_created ON answer_logs (tenant_id, created_at);
