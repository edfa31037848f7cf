package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/ragkb/ragkb"
)

// CreateIntent adds d or replaces the tenant's intent of the same name
// (keeping its id and creation time, which are copied into d), and bumps
// the tenant version.
func (s *Store) CreateIntent(ctx context.Context, d *ragkb.IntentDef) error {
	if d.ID == "" {
		d.ID = ragkb.NewID("int")
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = s.now().UTC()
	}
	examples, err := jsonText(d.Examples)
	if err != nil {
		return fmt.Errorf("sqlite: create intent: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx, `INSERT INTO intents (id, tenant_id, name, examples, tier, builtin, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, name) DO UPDATE SET examples = excluded.examples, tier = excluded.tier, builtin = excluded.builtin
			RETURNING id, created_at`, d.ID, d.TenantID, d.Name, examples, d.Tier, d.Builtin, d.CreatedAt.UnixNano()).
			Scan(&d.ID, &created)
		if err != nil {
			return err
		}
		d.CreatedAt = nullTime{sql.NullInt64{Int64: created, Valid: true}}.Time()
		return bumpVersion(ctx, tx, d.TenantID)
	})
	return translate("create intent", "intent", err)
}

// ListIntents lists the tenant's intents by name.
func (s *Store) ListIntents(ctx context.Context, tenantID string) ([]*ragkb.IntentDef, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, tenant_id, name, examples, tier, builtin, created_at
		FROM intents WHERE tenant_id = ? ORDER BY name`, tenantID)
	if err != nil {
		return nil, translate("list intents", "intent", err)
	}
	defer rows.Close()
	var out []*ragkb.IntentDef
	for rows.Next() {
		var d ragkb.IntentDef
		var examples string
		var created nullTime
		if err := rows.Scan(&d.ID, &d.TenantID, &d.Name, &examples, &d.Tier, &d.Builtin, &created); err != nil {
			return nil, translate("list intents", "intent", err)
		}
		if err := json.Unmarshal([]byte(examples), &d.Examples); err != nil {
			return nil, fmt.Errorf("sqlite: list intents: decode examples: %w", err)
		}
		d.CreatedAt = created.Time()
		out = append(out, &d)
	}
	return out, translate("list intents", "intent", rows.Err())
}

// DeleteIntent removes the tenant's intent called name and bumps the tenant version.
func (s *Store) DeleteIntent(ctx context.Context, tenantID, name string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM intents WHERE tenant_id = ? AND name = ?`, tenantID, name)
		if err := affected("delete intent", "intent", res, err); err != nil {
			return err
		}
		return bumpVersion(ctx, tx, tenantID)
	})
	return translate("delete intent", "intent", err)
}
