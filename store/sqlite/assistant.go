package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ragkb/ragkb"
)

const assistantColumns = `id, tenant_id, name, resource_ids, fallback_message, agent_message, auto_close,
	premium_intents, language, created_at, updated_at, translate, triage, fallback_messages, agent_messages, agent_opt_out`

func assistantArgs(a *ragkb.Assistant) ([]any, error) {
	resources, err := jsonText(a.ResourceIDs)
	if err != nil {
		return nil, err
	}
	premium, err := jsonText(a.PremiumIntents)
	if err != nil {
		return nil, err
	}
	triage := ""
	if a.Triage != nil {
		b, err := json.Marshal(a.Triage)
		if err != nil {
			return nil, err
		}
		triage = string(b)
	}
	fallbacks, err := jsonText(a.FallbackMessages)
	if err != nil {
		return nil, err
	}
	agents, err := jsonText(a.AgentMessages)
	if err != nil {
		return nil, err
	}
	optOut, err := jsonText(a.AgentOptOut)
	if err != nil {
		return nil, err
	}
	return []any{a.ID, a.TenantID, a.Name, resources, a.FallbackMessage, a.AgentMessage, a.AutoClose,
		premium, a.Language, ts(a.CreatedAt), ts(a.UpdatedAt), a.Translate, triage, fallbacks, agents, optOut}, nil
}

func scanAssistant(sc scanner) (*ragkb.Assistant, error) {
	var a ragkb.Assistant
	var resources, premium, triage, fallbacks, agents, optOut string
	var created, updated nullTime
	if err := sc.Scan(&a.ID, &a.TenantID, &a.Name, &resources, &a.FallbackMessage, &a.AgentMessage, &a.AutoClose,
		&premium, &a.Language, &created, &updated, &a.Translate, &triage, &fallbacks, &agents, &optOut); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name, text string
		dst        any
	}{{"fallback_messages", fallbacks, &a.FallbackMessages}, {"agent_messages", agents, &a.AgentMessages}, {"agent_opt_out", optOut, &a.AgentOptOut}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return nil, fmt.Errorf("decode %s: %w", f.name, err)
		}
	}
	if triage != "" {
		if err := json.Unmarshal([]byte(triage), &a.Triage); err != nil {
			return nil, fmt.Errorf("decode triage: %w", err)
		}
	}
	if err := json.Unmarshal([]byte(resources), &a.ResourceIDs); err != nil {
		return nil, fmt.Errorf("decode resource_ids: %w", err)
	}
	if err := json.Unmarshal([]byte(premium), &a.PremiumIntents); err != nil {
		return nil, fmt.Errorf("decode premium_intents: %w", err)
	}
	a.CreatedAt, a.UpdatedAt = created.Time(), updated.Time()
	return &a, nil
}

// CreateAssistant inserts a.
func (s *Store) CreateAssistant(ctx context.Context, a *ragkb.Assistant) error {
	if a.ID == "" {
		a.ID = ragkb.NewID("asst")
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now().UTC()
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	args, err := assistantArgs(a)
	if err != nil {
		return fmt.Errorf("sqlite: create assistant: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO assistants (`+assistantColumns+`) VALUES (`+placeholders(len(args))+`)`, args...)
	return translate("create assistant", "assistant", err)
}

// GetAssistant returns one of the tenant's assistants.
func (s *Store) GetAssistant(ctx context.Context, tenantID, id string) (*ragkb.Assistant, error) {
	a, err := scanAssistant(s.r.QueryRowContext(ctx, `SELECT `+assistantColumns+` FROM assistants WHERE id = ? AND tenant_id = ?`, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("assistant")
	}
	if err != nil {
		return nil, translate("get assistant", "assistant", err)
	}
	return a, nil
}

// ListAssistants lists the tenant's assistants, oldest first.
func (s *Store) ListAssistants(ctx context.Context, tenantID string) ([]*ragkb.Assistant, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+assistantColumns+` FROM assistants WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, translate("list assistants", "assistant", err)
	}
	defer rows.Close()
	var out []*ragkb.Assistant
	for rows.Next() {
		a, err := scanAssistant(rows)
		if err != nil {
			return nil, translate("list assistants", "assistant", err)
		}
		out = append(out, a)
	}
	return out, translate("list assistants", "assistant", rows.Err())
}

// UpdateAssistant saves every field of a (matched by a.TenantID and a.ID).
func (s *Store) UpdateAssistant(ctx context.Context, a *ragkb.Assistant) error {
	args, err := assistantArgs(a)
	if err != nil {
		return fmt.Errorf("sqlite: update assistant: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE assistants SET name = ?, resource_ids = ?, fallback_message = ?,
		agent_message = ?, auto_close = ?, premium_intents = ?, language = ?, created_at = ?, updated_at = ?,
		translate = ?, triage = ?, fallback_messages = ?, agent_messages = ?, agent_opt_out = ? WHERE id = ? AND tenant_id = ?`, append(args[2:], a.ID, a.TenantID)...)
	return affected("update assistant", "assistant", res, err)
}

// DeleteAssistant removes one of the tenant's assistants.
func (s *Store) DeleteAssistant(ctx context.Context, tenantID, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM assistants WHERE id = ? AND tenant_id = ?`, id, tenantID)
	return affected("delete assistant", "assistant", res, err)
}

// affected turns a write that touched no row into ENOTFOUND.
func affected(op, kind string, res sql.Result, err error) error {
	if err != nil {
		return translate(op, kind, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(op, kind, err)
	}
	if n == 0 {
		return ragkb.NotFound(kind)
	}
	return nil
}
