package postgres

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// defaultListLimit is the number of events or deliveries listed without a limit.
const defaultListLimit = 100

const eventColumns = `id, tenant_id, type, resource_id, assistant_id, question, detail, created_at, account_id`

func scanEvent(row pgx.Row) (*ragkb.Event, error) {
	var e ragkb.Event
	err := row.Scan(&e.ID, &e.TenantID, &e.Type, &e.ResourceID, &e.AssistantID, &e.Question, &e.Detail, &e.CreatedAt, &e.AccountID)
	e.CreatedAt = utc(e.CreatedAt)
	return &e, err
}

// CreateEvent inserts e; a zero ID or CreatedAt is filled in.
func (s *Store) CreateEvent(ctx context.Context, e *ragkb.Event) error {
	if e.ID == "" {
		e.ID = ragkb.NewID("evt")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.clock()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, e.TenantID, string(e.Type), e.ResourceID, e.AssistantID, pgText(e.Question), pgText(e.Detail), e.CreatedAt, e.AccountID)
	return translate("create event", "event", err)
}

// pgText makes customer text storable in a PostgreSQL text column, which
// refuses NUL bytes and invalid UTF-8: an event must never be lost to a
// stray control character in a question.
func pgText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

// ListEvents lists events newest first; f.TenantID "" lists every tenant's.
func (s *Store) ListEvents(ctx context.Context, f ragkb.EventFilter) ([]*ragkb.Event, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	// Conditions are added only when set, so the planner can use the
	// (tenant_id, created_at) index.
	args := []any{limit}
	q := `SELECT ` + eventColumns + ` FROM events WHERE true`
	if f.TenantID != "" {
		args = append(args, f.TenantID)
		q += fmt.Sprintf(" AND tenant_id = $%d", len(args))
	}
	if f.Type != "" {
		args = append(args, string(f.Type))
		q += fmt.Sprintf(" AND type = $%d", len(args))
	}
	rows, _ := s.pool.Query(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT $1`, args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Event, error) { return scanEvent(row) })
	return out, translate("list events", "event", err)
}

// GetEvent returns one of the tenant's events.
func (s *Store) GetEvent(ctx context.Context, tenantID, id string) (*ragkb.Event, error) {
	e, err := scanEvent(s.pool.QueryRow(ctx, `SELECT `+eventColumns+` FROM events WHERE id = $1 AND tenant_id = $2`, id, tenantID))
	if err != nil {
		return nil, translate("get event", "event", err)
	}
	return e, nil
}

const webhookColumns = `id, tenant_id, url, events, secret, created_at`

func (s *Store) scanWebhook(row pgx.Row) (*ragkb.Webhook, error) {
	var w ragkb.Webhook
	if err := row.Scan(&w.ID, &w.TenantID, &w.URL, &w.Events, &w.Secret, &w.CreatedAt); err != nil {
		return nil, err
	}
	w.CreatedAt = utc(w.CreatedAt)
	var err error
	if w.Secret, err = store.OpenString(s.box, w.Secret); err != nil {
		return nil, fmt.Errorf("open webhook secret: %w", err)
	}
	return &w, nil
}

// CreateWebhook inserts w; a zero ID or CreatedAt is filled in.
func (s *Store) CreateWebhook(ctx context.Context, w *ragkb.Webhook) error {
	if w.ID == "" {
		w.ID = ragkb.NewID("whk")
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = s.clock()
	}
	secret, err := store.SealString(s.box, w.Secret)
	if err != nil {
		return fmt.Errorf("postgres: create webhook: %w", err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO webhooks (`+webhookColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		w.ID, w.TenantID, w.URL, w.Events, secret, w.CreatedAt)
	return translate("create webhook", "webhook", err)
}

// ListWebhooks lists the tenant's webhooks, oldest first.
func (s *Store) ListWebhooks(ctx context.Context, tenantID string) ([]*ragkb.Webhook, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Webhook, error) { return s.scanWebhook(row) })
	return out, translate("list webhooks", "webhook", err)
}

// GetWebhook returns one of the tenant's webhooks.
func (s *Store) GetWebhook(ctx context.Context, tenantID, id string) (*ragkb.Webhook, error) {
	w, err := s.scanWebhook(s.pool.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1 AND tenant_id = $2`, id, tenantID))
	if err != nil {
		return nil, translate("get webhook", "webhook", err)
	}
	return w, nil
}

// DeleteWebhook removes the webhook with its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, tenantID, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1 AND tenant_id = $2`, id, tenantID)
	if err != nil {
		return translate("delete webhook", "webhook", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("webhook")
	}
	return nil
}

const deliveryColumns = `id, tenant_id, webhook_id, event_id, status, attempts, last_code, last_error, next_attempt,
	created_at, updated_at`

func scanDelivery(row pgx.Row) (*ragkb.Delivery, error) {
	var d ragkb.Delivery
	err := row.Scan(&d.ID, &d.TenantID, &d.WebhookID, &d.EventID, &d.Status, &d.Attempts, &d.LastCode, &d.LastError,
		&d.NextAttempt, &d.CreatedAt, &d.UpdatedAt)
	d.NextAttempt, d.CreatedAt, d.UpdatedAt = utcp(d.NextAttempt), utc(d.CreatedAt), utc(d.UpdatedAt)
	return &d, err
}

// CreateDelivery inserts d; a zero ID, CreatedAt or UpdatedAt is filled in.
func (s *Store) CreateDelivery(ctx context.Context, d *ragkb.Delivery) error {
	if d.ID == "" {
		d.ID = ragkb.NewID("dlv")
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = s.clock()
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = d.CreatedAt
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO deliveries (`+deliveryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		d.ID, d.TenantID, d.WebhookID, d.EventID, d.Status, d.Attempts, d.LastCode, d.LastError, d.NextAttempt,
		d.CreatedAt, d.UpdatedAt)
	return translate("create delivery", "delivery", err)
}

// UpdateDelivery saves d's status, attempts, last result and next attempt.
func (s *Store) UpdateDelivery(ctx context.Context, d *ragkb.Delivery) error {
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.clock()
	}
	tag, err := s.pool.Exec(ctx, `UPDATE deliveries SET status = $3, attempts = $4, last_code = $5, last_error = $6,
		next_attempt = $7, updated_at = $8 WHERE id = $1 AND tenant_id = $2`,
		d.ID, d.TenantID, d.Status, d.Attempts, d.LastCode, d.LastError, d.NextAttempt, d.UpdatedAt)
	if err != nil {
		return translate("update delivery", "delivery", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("delivery")
	}
	return nil
}

// ListDeliveries lists a tenant's deliveries newest first (webhookID "" = all).
func (s *Store) ListDeliveries(ctx context.Context, tenantID, webhookID string, limit int) ([]*ragkb.Delivery, error) {
	if limit <= 0 {
		limit = defaultListLimit
	}
	q := `SELECT ` + deliveryColumns + ` FROM deliveries WHERE tenant_id = $1`
	args := []any{tenantID, limit}
	if webhookID != "" {
		args = append(args, webhookID)
		q += ` AND webhook_id = $3`
	}
	rows, _ := s.pool.Query(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT $2`, args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Delivery, error) { return scanDelivery(row) })
	return out, translate("list deliveries", "delivery", err)
}
