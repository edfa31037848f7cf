package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// DefaultDeliveryLimit is the number of deliveries listed when no limit is given.
const DefaultDeliveryLimit = 100

const webhookColumns = `id, tenant_id, url, events, secret, created_at`

// CreateWebhook inserts w.
func (s *Store) CreateWebhook(ctx context.Context, w *ragkb.Webhook) error {
	if w.ID == "" {
		w.ID = ragkb.NewID("wh")
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = s.now().UTC()
	}
	events, err := jsonText(w.Events)
	if err != nil {
		return fmt.Errorf("sqlite: create webhook: %w", err)
	}
	secret, err := store.SealString(s.box, w.Secret)
	if err != nil {
		return fmt.Errorf("sqlite: create webhook: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		w.ID, w.TenantID, w.URL, events, secret, ts(w.CreatedAt))
	return translate("create webhook", "webhook", err)
}

func (s *Store) scanWebhook(sc scanner) (*ragkb.Webhook, error) {
	var w ragkb.Webhook
	var events string
	var created nullTime
	if err := sc.Scan(&w.ID, &w.TenantID, &w.URL, &events, &w.Secret, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
		return nil, fmt.Errorf("decode events: %w", err)
	}
	w.CreatedAt = created.Time()
	var err error
	if w.Secret, err = store.OpenString(s.box, w.Secret); err != nil {
		return nil, fmt.Errorf("open webhook secret: %w", err)
	}
	return &w, nil
}

// ListWebhooks lists the tenant's webhooks, oldest first.
func (s *Store) ListWebhooks(ctx context.Context, tenantID string) ([]*ragkb.Webhook, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, translate("list webhooks", "webhook", err)
	}
	defer rows.Close()
	var out []*ragkb.Webhook
	for rows.Next() {
		w, err := s.scanWebhook(rows)
		if err != nil {
			return nil, translate("list webhooks", "webhook", err)
		}
		out = append(out, w)
	}
	return out, translate("list webhooks", "webhook", rows.Err())
}

// GetWebhook returns one of the tenant's webhooks.
func (s *Store) GetWebhook(ctx context.Context, tenantID, id string) (*ragkb.Webhook, error) {
	w, err := s.scanWebhook(s.r.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ? AND tenant_id = ?`, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("webhook")
	}
	if err != nil {
		return nil, translate("get webhook", "webhook", err)
	}
	return w, nil
}

// DeleteWebhook removes one of the tenant's webhooks with its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, tenantID, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ? AND tenant_id = ?`, id, tenantID)
	return affected("delete webhook", "webhook", res, err)
}

const deliveryColumns = `id, tenant_id, webhook_id, event_id, status, attempts, last_code, last_error, next_attempt,
	created_at, updated_at`

// CreateDelivery inserts d; its webhook must belong to d.TenantID.
func (s *Store) CreateDelivery(ctx context.Context, d *ragkb.Delivery) error {
	if d.ID == "" {
		d.ID = ragkb.NewID("dlv")
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = s.now().UTC()
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ? AND tenant_id = ?)`,
		d.ID, d.TenantID, d.WebhookID, d.EventID, d.Status, d.Attempts, d.LastCode, d.LastError, tsp(d.NextAttempt),
		ts(d.CreatedAt), ts(d.UpdatedAt), d.WebhookID, d.TenantID)
	if err := affected("create delivery", "webhook", res, err); err != nil {
		return err
	}
	return nil
}

// UpdateDelivery saves the status fields of d (matched by d.TenantID and d.ID).
func (s *Store) UpdateDelivery(ctx context.Context, d *ragkb.Delivery) error {
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.now().UTC()
	}
	res, err := s.w.ExecContext(ctx, `UPDATE deliveries SET status = ?, attempts = ?, last_code = ?, last_error = ?,
		next_attempt = ?, updated_at = ? WHERE id = ? AND tenant_id = ?`,
		d.Status, d.Attempts, d.LastCode, d.LastError, tsp(d.NextAttempt), ts(d.UpdatedAt), d.ID, d.TenantID)
	return affected("update delivery", "delivery", res, err)
}

func (s *Store) queryDeliveries(ctx context.Context, op, q string, args ...any) ([]*ragkb.Delivery, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(op, "delivery", err)
	}
	defer rows.Close()
	var out []*ragkb.Delivery
	for rows.Next() {
		var d ragkb.Delivery
		var next, created, updated nullTime
		if err := rows.Scan(&d.ID, &d.TenantID, &d.WebhookID, &d.EventID, &d.Status, &d.Attempts, &d.LastCode,
			&d.LastError, &next, &created, &updated); err != nil {
			return nil, translate(op, "delivery", err)
		}
		d.NextAttempt, d.CreatedAt, d.UpdatedAt = next.Ptr(), created.Time(), updated.Time()
		out = append(out, &d)
	}
	return out, translate(op, "delivery", rows.Err())
}

// ListDeliveries lists the tenant's deliveries newest first (webhookID "" = all).
func (s *Store) ListDeliveries(ctx context.Context, tenantID, webhookID string, limit int) ([]*ragkb.Delivery, error) {
	if limit <= 0 {
		limit = DefaultDeliveryLimit
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries WHERE tenant_id = ?`
	args := []any{tenantID}
	if webhookID != "" {
		q += ` AND webhook_id = ?`
		args = append(args, webhookID)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	return s.queryDeliveries(ctx, "list deliveries", q, append(args, limit)...)
}
