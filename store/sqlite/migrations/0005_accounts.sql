-- Connected accounts (Allegro through OAuth, Shopify, WooCommerce). secrets
-- holds the credentials sealed with RAGKB_SECRET_KEY (see store.SealAccountSecrets);
-- version guards concurrent updates (a rotated refresh token is never lost).
CREATE TABLE accounts (
	id                        TEXT PRIMARY KEY,
	tenant_id                 TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name                      TEXT NOT NULL,
	type                      TEXT NOT NULL,
	status                    TEXT NOT NULL,
	error                     TEXT NOT NULL DEFAULT '',
	url                       TEXT NOT NULL DEFAULT '',
	user_code                 TEXT NOT NULL DEFAULT '',
	verification_uri          TEXT NOT NULL DEFAULT '',
	verification_uri_complete TEXT NOT NULL DEFAULT '',
	poll_interval_ms          INTEGER NOT NULL DEFAULT 0,
	next_poll_at              INTEGER,
	code_expires_at           INTEGER,
	expires_at                INTEGER,
	connected_at              INTEGER,
	refreshed_at              INTEGER,
	renewing_until            INTEGER,
	secrets                   TEXT NOT NULL DEFAULT '',
	version                   INTEGER NOT NULL DEFAULT 1,
	created_at                INTEGER NOT NULL,
	updated_at                INTEGER NOT NULL
);
CREATE INDEX accounts_tenant_created ON accounts (tenant_id, created_at DESC);
CREATE INDEX accounts_status ON accounts (status);
CREATE INDEX resources_account ON resources (json_extract(spec, '$.offers.account_id'));

-- account_failed events name their account.
ALTER TABLE events ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
