package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
)

// CreateTenant inserts t; a zero ID or CreatedAt is filled in.
func (s *Store) CreateTenant(ctx context.Context, t *ragkb.Tenant) error {
	if t.ID == "" {
		t.ID = ragkb.NewID("ten")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.clock()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)`,
		t.ID, t.Name, t.CreatedAt)
	return translate("create tenant", "tenant", err)
}

// GetTenant returns the tenant with id.
func (s *Store) GetTenant(ctx context.Context, id string) (*ragkb.Tenant, error) {
	var t ragkb.Tenant
	err := s.pool.QueryRow(ctx, `SELECT id, name, created_at FROM tenants WHERE id = $1`, id).
		Scan(&t.ID, &t.Name, &t.CreatedAt)
	if err != nil {
		return nil, translate("get tenant", "tenant", err)
	}
	t.CreatedAt = utc(t.CreatedAt)
	return &t, nil
}

// ListTenants lists every tenant, oldest first.
func (s *Store) ListTenants(ctx context.Context) ([]*ragkb.Tenant, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, name, created_at FROM tenants ORDER BY created_at, id`)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Tenant, error) {
		var t ragkb.Tenant
		err := row.Scan(&t.ID, &t.Name, &t.CreatedAt)
		t.CreatedAt = utc(t.CreatedAt)
		return &t, err
	})
	return out, translate("list tenants", "tenant", err)
}

// TenantVersion returns the tenant's change counter.
func (s *Store) TenantVersion(ctx context.Context, tenantID string) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT version FROM tenants WHERE id = $1`, tenantID).Scan(&v)
	return v, translate("get tenant version", "tenant", err)
}

// bumpVersion increments the tenant's version counter inside tx.
func bumpVersion(ctx context.Context, tx pgx.Tx, tenantID string) error {
	_, err := tx.Exec(ctx, `UPDATE tenants SET version = version + 1 WHERE id = $1`, tenantID)
	return err
}

// CreateAPIKey inserts k; a key whose hash exists already is ECONFLICT.
func (s *Store) CreateAPIKey(ctx context.Context, k *ragkb.APIKey) error {
	if k.ID == "" {
		k.ID = ragkb.NewID("key")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = s.clock()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO api_keys (id, tenant_id, role, hash, prefix, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, k.TenantID, string(k.Role), k.Hash, k.Prefix, k.CreatedAt)
	return translate("create api key", "API key", err)
}

const apiKeyColumns = `id, tenant_id, role, hash, prefix, created_at, last_used_at`

func scanAPIKey(row pgx.Row) (*ragkb.APIKey, error) {
	var k ragkb.APIKey
	if err := row.Scan(&k.ID, &k.TenantID, &k.Role, &k.Hash, &k.Prefix, &k.CreatedAt, &k.LastUsedAt); err != nil {
		return nil, err
	}
	k.CreatedAt, k.LastUsedAt = utc(k.CreatedAt), utcp(k.LastUsedAt)
	return &k, nil
}

// GetAPIKeyByHash finds a key by the hash of its secret.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash string) (*ragkb.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = $1`, hash))
	if err != nil {
		return nil, translate("get api key", "API key", err)
	}
	return k, nil
}

// ListAPIKeys lists the tenant's keys oldest first ("" = admin keys).
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]*ragkb.APIKey, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.APIKey, error) { return scanAPIKey(row) })
	if out == nil {
		out = []*ragkb.APIKey{}
	}
	return out, translate("list api keys", "API key", err)
}

// DeleteAPIKey revokes one of the tenant's keys.
func (s *Store) DeleteAPIKey(ctx context.Context, tenantID, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM api_keys WHERE id = $1 AND tenant_id = $2`, id, tenantID)
	if err != nil {
		return translate("delete api key", "API key", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("API key")
	}
	return nil
}

// TouchAPIKey records the key's last use.
func (s *Store) TouchAPIKey(ctx context.Context, id string, t time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, id, t)
	return translate("touch api key", "API key", err)
}

// CountAPIKeys counts the keys with role.
func (s *Store) CountAPIKeys(ctx context.Context, role ragkb.Role) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE role = $1`, string(role)).Scan(&n)
	return n, translate("count api keys", "API key", err)
}
