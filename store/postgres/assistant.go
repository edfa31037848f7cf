package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
)

const assistantColumns = `id, tenant_id, name, resource_ids, fallback_message, agent_message, auto_close,
	premium_intents, language, created_at, updated_at, translate, triage, fallback_messages, agent_messages, agent_opt_out`

func scanAssistant(row pgx.Row) (*ragkb.Assistant, error) {
	var a ragkb.Assistant
	err := row.Scan(&a.ID, &a.TenantID, &a.Name, &a.ResourceIDs, &a.FallbackMessage, &a.AgentMessage, &a.AutoClose,
		&a.PremiumIntents, &a.Language, &a.CreatedAt, &a.UpdatedAt, &a.Translate, &a.Triage, &a.FallbackMessages, &a.AgentMessages, &a.AgentOptOut)
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
	return &a, err
}

// CreateAssistant inserts a; a zero ID, CreatedAt or UpdatedAt is filled in.
func (s *Store) CreateAssistant(ctx context.Context, a *ragkb.Assistant) error {
	if a.ID == "" {
		a.ID = ragkb.NewID("ast")
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.clock()
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO assistants (`+assistantColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		a.ID, a.TenantID, a.Name, a.ResourceIDs, a.FallbackMessage, a.AgentMessage, a.AutoClose, a.PremiumIntents,
		a.Language, a.CreatedAt, a.UpdatedAt, a.Translate, a.Triage, a.FallbackMessages, a.AgentMessages, a.AgentOptOut)
	return translate("create assistant", "assistant", err)
}

// GetAssistant returns one of the tenant's assistants.
func (s *Store) GetAssistant(ctx context.Context, tenantID, id string) (*ragkb.Assistant, error) {
	a, err := scanAssistant(s.pool.QueryRow(ctx, `SELECT `+assistantColumns+` FROM assistants WHERE id = $1 AND tenant_id = $2`,
		id, tenantID))
	if err != nil {
		return nil, translate("get assistant", "assistant", err)
	}
	return a, nil
}

// ListAssistants lists the tenant's assistants, oldest first.
func (s *Store) ListAssistants(ctx context.Context, tenantID string) ([]*ragkb.Assistant, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+assistantColumns+` FROM assistants WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Assistant, error) { return scanAssistant(row) })
	return out, translate("list assistants", "assistant", err)
}

// UpdateAssistant saves every field of a (matched by a.TenantID and a.ID).
func (s *Store) UpdateAssistant(ctx context.Context, a *ragkb.Assistant) error {
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = s.clock()
	}
	tag, err := s.pool.Exec(ctx, `UPDATE assistants SET name = $3, resource_ids = $4, fallback_message = $5,
		agent_message = $6, auto_close = $7, premium_intents = $8, language = $9, updated_at = $10,
		translate = $11, triage = $12, fallback_messages = $13, agent_messages = $14, agent_opt_out = $15 WHERE id = $1 AND tenant_id = $2`,
		a.ID, a.TenantID, a.Name, a.ResourceIDs, a.FallbackMessage, a.AgentMessage, a.AutoClose, a.PremiumIntents,
		a.Language, a.UpdatedAt, a.Translate, a.Triage, a.FallbackMessages, a.AgentMessages, a.AgentOptOut)
	if err != nil {
		return translate("update assistant", "assistant", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("assistant")
	}
	return nil
}

// DeleteAssistant removes one of the tenant's assistants.
func (s *Store) DeleteAssistant(ctx context.Context, tenantID, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM assistants WHERE id = $1 AND tenant_id = $2`, id, tenantID)
	if err != nil {
		return translate("delete assistant", "assistant", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("assistant")
	}
	return nil
}

// CreateIntent adds or replaces (by tenant and name) a tenant's intent and
// bumps the tenant version.
func (s *Store) CreateIntent(ctx context.Context, d *ragkb.IntentDef) error {
	if d.ID == "" {
		d.ID = ragkb.NewID("int")
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = s.clock()
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO intents (id, tenant_id, name, examples, tier, builtin, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (tenant_id, name) DO UPDATE SET examples = EXCLUDED.examples, tier = EXCLUDED.tier,
				builtin = EXCLUDED.builtin
			RETURNING id, created_at`,
			d.ID, d.TenantID, d.Name, d.Examples, d.Tier, d.Builtin, d.CreatedAt).Scan(&d.ID, &d.CreatedAt)
		if err != nil {
			return err
		}
		d.CreatedAt = utc(d.CreatedAt)
		return bumpVersion(ctx, tx, d.TenantID)
	})
	return translate("create intent", "intent", err)
}

// ListIntents lists the tenant's intents by name.
func (s *Store) ListIntents(ctx context.Context, tenantID string) ([]*ragkb.IntentDef, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, tenant_id, name, examples, tier, builtin, created_at FROM intents
		WHERE tenant_id = $1 ORDER BY name`, tenantID)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.IntentDef, error) {
		var d ragkb.IntentDef
		err := row.Scan(&d.ID, &d.TenantID, &d.Name, &d.Examples, &d.Tier, &d.Builtin, &d.CreatedAt)
		d.CreatedAt = utc(d.CreatedAt)
		return &d, err
	})
	return out, translate("list intents", "intent", err)
}

// DeleteIntent removes the tenant's intent with name and bumps the tenant version.
func (s *Store) DeleteIntent(ctx context.Context, tenantID, name string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM intents WHERE tenant_id = $1 AND name = $2`, tenantID, name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ragkb.NotFound("intent")
		}
		return bumpVersion(ctx, tx, tenantID)
	})
	return translate("delete intent", "intent", err)
}
