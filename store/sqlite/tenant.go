package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

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
	err := s.queryRowRead(ctx, `SELECT version FROM tenants WHERE id = ?`, tenantID).Scan(&v)
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

const apiKeyColumns = `id, tenant_id, role, hash, prefix, created_at, last_used_at`

func scanAPIKey(sc scanner) (*ragkb.APIKey, error) {
	var k ragkb.APIKey
	var role string
	var created, used nullTime
	if err := sc.Scan(&k.ID, &k.TenantID, &role, &k.Hash, &k.Prefix, &created, &used); err != nil {
		return nil, err
	}
	k.Role = ragkb.Role(role)
	k.CreatedAt, k.LastUsedAt = created.Time(), used.Ptr()
	return &k, nil
}

// GetAPIKeyByHash finds a key by the hash of its secret.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash string) (*ragkb.APIKey, error) {
	k, err := scanAPIKey(s.queryRowRead(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("API key")
	}
	if err != nil {
		return nil, translate("get api key", "API key", err)
	}
	return k, nil
}

// ListAPIKeys lists the tenant's keys oldest first ("" = admin keys).
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]*ragkb.APIKey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, translate("list api keys", "API key", err)
	}
	defer rows.Close()
	out := []*ragkb.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, translate("list api keys", "API key", err)
		}
		out = append(out, k)
	}
	return out, translate("list api keys", "API key", rows.Err())
}

// DeleteAPIKey revokes one of the tenant's keys.
func (s *Store) DeleteAPIKey(ctx context.Context, tenantID, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM api_keys WHERE id = ? AND tenant_id = ?`, id, tenantID)
	if err != nil {
		return translate("delete api key", "API key", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return translate("delete api key", "API key", err)
	} else if n == 0 {
		return ragkb.NotFound("API key")
	}
	return nil
}

// TouchAPIKey records the key's last use.
func (s *Store) TouchAPIKey(ctx context.Context, id string, t time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, ts(t), id)
	return translate("touch api key", "API key", err)
}

// CountAPIKeys counts the keys with role.
func (s *Store) CountAPIKeys(ctx context.Context, role ragkb.Role) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM api_keys WHERE role = ?`, string(role)).Scan(&n)
	return n, translate("count api keys", "API key", err)
}
