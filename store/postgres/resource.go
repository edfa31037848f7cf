package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

const resourceColumns = `id, tenant_id, name, type, language, status, error, warnings, attempts,
	documents, chunks, last_run, knowledge_base, faq_page, policy, offers, created_at, updated_at,
	indexed_at, next_refresh_at, refresh_available_at, last_manual_refresh_at, orders`

// resourceSelect is resourceColumns plus the version, which only the store writes.
const resourceSelect = resourceColumns + `, version`

func (s *Store) scanResource(row pgx.Row) (*ragkb.Resource, error) {
	var r ragkb.Resource
	err := row.Scan(&r.ID, &r.TenantID, &r.Name, &r.Type, &r.Language, &r.Status, &r.Error, &r.Warnings,
		&r.Attempts, &r.Documents, &r.Chunks, &r.LastRun, &r.KnowledgeBase, &r.FAQPage, &r.Policy, &r.Offers,
		&r.CreatedAt, &r.UpdatedAt, &r.IndexedAt, &r.NextRefreshAt, &r.RefreshAvailableAt, &r.LastManualRefreshAt, &r.Orders, &r.Version)
	if err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = utc(r.CreatedAt), utc(r.UpdatedAt)
	r.IndexedAt, r.NextRefreshAt = utcp(r.IndexedAt), utcp(r.NextRefreshAt)
	r.RefreshAvailableAt, r.LastManualRefreshAt = utcp(r.RefreshAvailableAt), utcp(r.LastManualRefreshAt)
	if err := store.OpenOffers(s.box, r.Offers); err != nil {
		return nil, err
	}
	if err := store.OpenOrders(s.box, r.Orders); err != nil {
		return nil, err
	}
	return &r, nil
}

// resourceArgs are the values of resourceColumns, in order.
func (s *Store) resourceArgs(r *ragkb.Resource) ([]any, error) {
	offers, err := store.SealOffers(s.box, r.Offers)
	if err != nil {
		return nil, err
	}
	orders, err := store.SealOrders(s.box, r.Orders)
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.TenantID, r.Name, string(r.Type), r.Language, string(r.Status), r.Error, r.Warnings,
		r.Attempts, r.Documents, r.Chunks, r.LastRun, r.KnowledgeBase, r.FAQPage, r.Policy, offers,
		r.CreatedAt, r.UpdatedAt, r.IndexedAt, r.NextRefreshAt, r.RefreshAvailableAt, r.LastManualRefreshAt, orders}, nil
}

// CreateResource inserts r and, when job is non-nil, job, in one transaction.
func (s *Store) CreateResource(ctx context.Context, r *ragkb.Resource, job *ragkb.Job) error {
	now := s.clock()
	if r.ID == "" {
		r.ID = ragkb.NewID("res")
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	args, err := s.resourceArgs(r)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO resources (`+resourceColumns+`) VALUES
			($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			args...); err != nil {
			return err
		}
		if job != nil {
			return insertJob(ctx, tx, r, job, now)
		}
		return nil
	})
	return translate("create resource", "resource", err)
}

// GetResource returns the resource; tenantID "" matches any tenant.
func (s *Store) GetResource(ctx context.Context, tenantID, id string) (*ragkb.Resource, error) {
	r, err := s.scanResource(s.pool.QueryRow(ctx, `SELECT `+resourceSelect+` FROM resources
		WHERE id = $1 AND ($2 = '' OR tenant_id = $2)`, id, tenantID))
	return r, translate("get resource", "resource", err)
}

// ListResources lists resources newest first.
func (s *Store) ListResources(ctx context.Context, f ragkb.ResourceFilter) ([]*ragkb.Resource, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.TenantID != "" {
		where = append(where, "tenant_id = "+arg(f.TenantID))
	}
	if f.AccountID != "" {
		where = append(where, "offers->>'account_id' = "+arg(f.AccountID))
	}
	if f.Status != "" {
		where = append(where, "status = "+arg(string(f.Status)))
	}
	if len(f.Types) > 0 {
		types := make([]string, len(f.Types))
		for i, t := range f.Types {
			types[i] = string(t)
		}
		where = append(where, "type = ANY("+arg(types)+")")
	}
	sel := resourceSelect
	if f.NoSpec {
		sel = strings.Replace(sel, "knowledge_base, faq_page", "NULL::jsonb AS knowledge_base, faq_page", 1)
	}
	q := `SELECT ` + sel + ` FROM resources`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + arg(f.Limit)
	}
	rows, _ := s.pool.Query(ctx, q, args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Resource, error) { return s.scanResource(row) })
	return out, translate("list resources", "resource", err)
}

// updateResource saves every field of r inside tx; ENOTFOUND when there is
// no such resource of r.TenantID, ECONFLICT when checkVersion and the stored
// version is not r.Version. It increments the stored version and r.Version
// (callers restore r.Version when the transaction fails).
func (s *Store) updateResource(ctx context.Context, tx pgx.Tx, r *ragkb.Resource, checkVersion bool) error {
	args, err := s.resourceArgs(r)
	if err != nil {
		return err
	}
	args = append(args, r.Version, checkVersion)
	err = tx.QueryRow(ctx, `UPDATE resources SET name = $3, type = $4, language = $5, status = $6, error = $7,
		warnings = $8, attempts = $9, documents = $10, chunks = $11, last_run = $12, knowledge_base = $13,
		faq_page = $14, policy = $15, offers = $16, created_at = $17, updated_at = $18, indexed_at = $19,
		next_refresh_at = $20, refresh_available_at = $21, last_manual_refresh_at = $22, orders = $23, version = version + 1
		WHERE id = $1 AND tenant_id = $2 AND (NOT $25 OR version = $24) RETURNING version`, args...).Scan(&r.Version)
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM resources WHERE id = $1 AND tenant_id = $2)`, r.ID, r.TenantID).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return ragkb.NotFound("resource")
	}
	return ragkb.Errorf(ragkb.ECONFLICT, "the resource was changed by another request meanwhile; read it again and retry")
}

// UpdateResource saves every field of r and, when job is non-nil, replaces
// the resource's jobs with job, in one transaction.
func (s *Store) UpdateResource(ctx context.Context, r *ragkb.Resource, job *ragkb.Job) error {
	v := r.Version
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.updateResource(ctx, tx, r, true); err != nil {
			return err
		}
		if job == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM jobs WHERE resource_id = $1`, r.ID); err != nil {
			return err
		}
		return insertJob(ctx, tx, r, job, s.clock())
	})
	if err != nil {
		r.Version = v // the transaction rolled back
	}
	return translate("update resource", "resource", err)
}

// DeleteResource removes the resource with its documents, chunks and jobs.
func (s *Store) DeleteResource(ctx context.Context, tenantID, id string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var locked string
		if err := tx.QueryRow(ctx, `SELECT id FROM resources WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
			id, tenantID).Scan(&locked); err != nil {
			return err
		}
		// Documents, chunks and jobs go with the resource (ON DELETE CASCADE).
		if _, err := tx.Exec(ctx, `DELETE FROM resources WHERE id = $1 AND tenant_id = $2`, id, tenantID); err != nil {
			return err
		}
		return bumpVersion(ctx, tx, tenantID)
	})
	if err != nil {
		return translate("delete resource", "resource", err)
	}
	return nil
}
