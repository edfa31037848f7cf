package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ragkb/ragkb"
)

// CreateTenant inserts t; a zero CreatedAt is set from the store's clock.
func (s *Store) CreateTenant(ctx context.Context, t *ragkb.Tenant) error {
	if t.ID == "" {
		t.ID = ragkb.NewID("ten")
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now().UTC()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)`,
		t.ID, t.Name, ts(t.CreatedAt))
	return translate("create tenant", "tenant", err)
}

// GetTenant returns the tenant with id.
func (s *Store) GetTenant(ctx context.Context, id string) (*ragkb.Tenant, error) {
	var t ragkb.Tenant
	var created nullTime
	err := s.r.QueryRowContext(ctx, `SELECT id, name, created_at FROM tenants WHERE id = ?`, id).
		Scan(&t.ID, &t.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("tenant")
	}
	if err != nil {
		return nil, translate("get tenant", "tenant", err)
	}
	t.CreatedAt = created.Time()
	return &t, nil
}

// ListTenants lists every tenant, oldest first.
func (s *Store) ListTenants(ctx context.Context) ([]*ragkb.Tenant, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, created_at FROM tenants ORDER BY created_at, id`)
	if err != nil {
		return nil, translate("list tenants", "tenant", err)
	}
	defer rows.Close()
	var out []*ragkb.Tenant
	for rows.Next() {
		var t ragkb.Tenant
		var created nullTime
		if err := rows.Scan(&t.ID, &t.Name, &created); err != nil {
			return nil, translate("list tenants", "tenant", err)
		}
		t.CreatedAt = created.Time()
		out = append(out, &t)
	}
	return out, translate("list tenants", "tenant", rows.Err())
}

// TenantVersion returns the tenant's change counter.
func (s *Store) TenantVersion(ctx context.Context, tenantID string) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, `SELECT version FROM tenants WHERE id = ?`, tenantID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ragkb.NotFound("tenant")
	}
	return v, translate("get tenant version", "tenant", err)
}

// CreateAPIKey inserts k; a key whose hash exists already is ECONFLICT.
func (s *Store) CreateAPIKey(ctx context.Context, k *ragkb.APIKey) error {
	if k.ID == "" {
		k.ID = ragkb.NewID("key")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = s.now().UTC()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO api_keys (id, tenant_id, role, hash, prefix, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, k.ID, k.TenantID, string(k.Role), k.Hash, k.Prefix, ts(k.CreatedAt))
	return translate("create api key", "API key", err)
}

// GetAPIKeyByHash finds a key by the hash of its secret.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash string) (*ragkb.APIKey, error) {
	var k ragkb.APIKey
	var role string
	var created nullTime
	err := s.r.QueryRowContext(ctx, `SELECT id, tenant_id, role, hash, prefix, created_at FROM api_keys WHERE hash = ?`, hash).
		Scan(&k.ID, &k.TenantID, &role, &k.Hash, &k.Prefix, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("API key")
	}
	if err != nil {
		return nil, translate("get api key", "API key", err)
	}
	k.Role = ragkb.Role(role)
	k.CreatedAt = created.Time()
	return &k, nil
}

// CountAPIKeys counts the keys with role.
func (s *Store) CountAPIKeys(ctx context.Context, role ragkb.Role) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM api_keys WHERE role = ?`, string(role)).Scan(&n)
	return n, translate("count api keys", "API key", err)
}
