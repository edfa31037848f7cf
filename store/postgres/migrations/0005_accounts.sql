-- Connected accounts (Allegro through OAuth, Shopify, WooCommerce). secrets
-- holds the credentials sealed with RAGKB_SECRET_KEY (see store.SealAccountSecrets);
-- version guards concurrent updates (a rotated refresh token is never lost).
CREATE TABLE accounts (
	id                        text PRIMARY KEY,
	tenant_id                 text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
	name                      text NOT NULL,
	type                      text NOT NULL,
	status                    text NOT NULL,
	error                     text NOT NULL DEFAULT '',
	url                       text NOT NULL DEFAULT '',
	user_code                 text NOT NULL DEFAULT '',
	verification_uri          text NOT NULL DEFAULT '',
	verification_uri_complete text NOT NULL DEFAULT '',
	poll_interval_ms          bigint NOT NULL DEFAULT 0,
	next_poll_at              timestamptz,
	code_expires_at           timestamptz,
	expires_at                timestamptz,
	connected_at              timestamptz,
	refreshed_at              timestamptz,
	renewing_until            timestamptz,
	secrets                   text NOT NULL DEFAULT '',
	version                   bigint NOT NULL DEFAULT 1,
	created_at                timestamptz NOT NULL,
	updated_at                timestamptz NOT NULL
);
CREATE INDEX accounts_tenant_created ON accounts (tenant_id, created_at DESC);
CREATE INDEX accounts_status ON accounts (status);
CREATE INDEX resources_account ON resources ((offers->>'account_id'));

-- account_failed events name their account.
ALTER TABLE events ADD COLUMN account_id text NOT NULL DEFAULT '';
