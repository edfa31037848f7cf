package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ragkb/ragkb"
)

// DefaultEventLimit is the number of events ListEvents returns when the
// filter sets no limit.
const DefaultEventLimit = 100

const eventColumns = `id, tenant_id, type, resource_id, assistant_id, question, detail, created_at, account_id`

// CreateEvent records e.
func (s *Store) CreateEvent(ctx context.Context, e *ragkb.Event) error {
	if e.ID == "" {
		e.ID = ragkb.NewID("evt")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.now().UTC()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.TenantID, string(e.Type), e.ResourceID, e.AssistantID, e.Question, e.Detail, ts(e.CreatedAt), e.AccountID)
	return translate("create event", "event", err)
}

func scanEvent(sc scanner) (*ragkb.Event, error) {
	var e ragkb.Event
	var typ string
	var created nullTime
	if err := sc.Scan(&e.ID, &e.TenantID, &typ, &e.ResourceID, &e.AssistantID, &e.Question, &e.Detail, &created, &e.AccountID); err != nil {
		return nil, err
	}
	e.Type, e.CreatedAt = ragkb.EventType(typ), created.Time()
	return &e, nil
}

// ListEvents lists events newest first; f.TenantID "" lists every tenant's.
func (s *Store) ListEvents(ctx context.Context, f ragkb.EventFilter) ([]*ragkb.Event, error) {
	q := `SELECT ` + eventColumns + ` FROM events WHERE 1 = 1`
	var args []any
	if f.TenantID != "" {
		q += ` AND tenant_id = ?`
		args = append(args, f.TenantID)
	}
	if f.Type != "" {
		q += ` AND type = ?`
		args = append(args, string(f.Type))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultEventLimit
	}
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate("list events", "event", err)
	}
	defer rows.Close()
	var out []*ragkb.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, translate("list events", "event", err)
		}
		out = append(out, e)
	}
	return out, translate("list events", "event", rows.Err())
}

// GetEvent returns one of the tenant's events.
func (s *Store) GetEvent(ctx context.Context, tenantID, id string) (*ragkb.Event, error) {
	e, err := scanEvent(s.r.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ? AND tenant_id = ?`, id, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("event")
	}
	if err != nil {
		return nil, translate("get event", "event", err)
	}
	return e, nil
}
