package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// resourceSpec is the JSON column holding the type-specific fields.
type resourceSpec struct {
	KnowledgeBase *ragkb.KnowledgeBase `json:"knowledge_base,omitempty"`
	FAQPage       *ragkb.FAQPageSpec   `json:"faq_page,omitempty"`
	Policy        *ragkb.PolicySpec    `json:"policy,omitempty"`
	Offers        *ragkb.OffersSpec    `json:"offers,omitempty"`
	Orders        *ragkb.OrdersSpec    `json:"orders,omitempty"`
}

const resourceColumns = `id, tenant_id, name, type, language, status, error, warnings, attempts, documents, chunks,
	last_run, spec, created_at, updated_at, indexed_at, next_refresh_at, refresh_available_at, last_manual_refresh_at`

// jsonText marshals v for a JSON column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json column: %w", err)
	}
	return string(b), nil
}

// resourceArgs returns the values of resourceColumns for r, in order.
func (s *Store) resourceArgs(r *ragkb.Resource) ([]any, error) {
	warnings, err := jsonText(r.Warnings)
	if err != nil {
		return nil, err
	}
	lastRun, err := jsonText(r.LastRun)
	if err != nil {
		return nil, err
	}
	offers, err := store.SealOffers(s.box, r.Offers)
	if err != nil {
		return nil, err
	}
	orders, err := store.SealOrders(s.box, r.Orders)
	if err != nil {
		return nil, err
	}
	spec, err := jsonText(resourceSpec{r.KnowledgeBase, r.FAQPage, r.Policy, offers, orders})
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.TenantID, r.Name, string(r.Type), r.Language, string(r.Status), r.Error, warnings,
		r.Attempts, r.Documents, r.Chunks, lastRun, spec, ts(r.CreatedAt), ts(r.UpdatedAt), tsp(r.IndexedAt),
		tsp(r.NextRefreshAt), tsp(r.RefreshAvailableAt), tsp(r.LastManualRefreshAt)}, nil
}

// resourceSelect is resourceColumns plus the version, which only the store writes.
const resourceSelect = resourceColumns + `, version`

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanResource(sc scanner) (*ragkb.Resource, error) {
	var r ragkb.Resource
	var typ, status, warnings, lastRun, spec string
	var created, updated, indexed, nextRefresh, refreshAvail, lastManual nullTime
	if err := sc.Scan(&r.ID, &r.TenantID, &r.Name, &typ, &r.Language, &status, &r.Error, &warnings,
		&r.Attempts, &r.Documents, &r.Chunks, &lastRun, &spec, &created, &updated, &indexed,
		&nextRefresh, &refreshAvail, &lastManual, &r.Version); err != nil {
		return nil, err
	}
	r.Type, r.Status = ragkb.ResourceType(typ), ragkb.ResourceStatus(status)
	if err := json.Unmarshal([]byte(warnings), &r.Warnings); err != nil {
		return nil, fmt.Errorf("decode warnings: %w", err)
	}
	if err := json.Unmarshal([]byte(lastRun), &r.LastRun); err != nil {
		return nil, fmt.Errorf("decode last_run: %w", err)
	}
	var sp resourceSpec
	if err := json.Unmarshal([]byte(spec), &sp); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	r.KnowledgeBase, r.FAQPage, r.Policy, r.Offers, r.Orders = sp.KnowledgeBase, sp.FAQPage, sp.Policy, sp.Offers, sp.Orders
	if err := store.OpenOffers(s.box, r.Offers); err != nil {
		return nil, err
	}
	if err := store.OpenOrders(s.box, r.Orders); err != nil {
		return nil, err
	}
	r.CreatedAt, r.UpdatedAt = created.Time(), updated.Time()
	r.IndexedAt, r.NextRefreshAt = indexed.Ptr(), nextRefresh.Ptr()
	r.RefreshAvailableAt, r.LastManualRefreshAt = refreshAvail.Ptr(), lastManual.Ptr()
	return &r, nil
}

// CreateResource inserts r and, atomically with it, job (when non-nil).
func (s *Store) CreateResource(ctx context.Context, r *ragkb.Resource, job *ragkb.Job) error {
	if r.ID == "" {
		r.ID = ragkb.NewID("res")
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now().UTC()
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	args, err := s.resourceArgs(r)
	if err != nil {
		return fmt.Errorf("sqlite: create resource: %w", err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO resources (`+resourceColumns+`) VALUES (`+placeholders(len(args))+`)`, args...); err != nil {
			return err
		}
		if job != nil {
			return s.insertJob(ctx, tx, r, job)
		}
		return nil
	})
	return translate("create resource", "resource", err)
}

// GetResource returns the resource; tenantID "" matches any tenant.
func (s *Store) GetResource(ctx context.Context, tenantID, id string) (*ragkb.Resource, error) {
	q := `SELECT ` + resourceSelect + ` FROM resources WHERE id = ?`
	args := []any{id}
	if tenantID != "" {
		q += ` AND tenant_id = ?`
		args = append(args, tenantID)
	}
	r, err := s.scanResource(s.r.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("resource")
	}
	if err != nil {
		return nil, translate("get resource", "resource", err)
	}
	return r, nil
}

// ListResources lists resources newest first; f.TenantID "" lists every tenant's.
func (s *Store) ListResources(ctx context.Context, f ragkb.ResourceFilter) ([]*ragkb.Resource, error) {
	var where []string
	var args []any
	if f.TenantID != "" {
		where = append(where, `tenant_id = ?`)
		args = append(args, f.TenantID)
	}
	if f.Status != "" {
		where = append(where, `status = ?`)
		args = append(args, string(f.Status))
	}
	if f.AccountID != "" {
		where = append(where, `json_extract(spec, '$.offers.account_id') = ?`)
		args = append(args, f.AccountID)
	}
	if len(f.Types) > 0 {
		where = append(where, `type IN (`+placeholders(len(f.Types))+`)`)
		for _, t := range f.Types {
			args = append(args, string(t))
		}
	}
	sel := resourceSelect
	if f.NoSpec {
		sel = strings.Replace(sel, "spec, created_at", "'{}', created_at", 1)
	}
	q := `SELECT ` + sel + ` FROM resources`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY created_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.queryRead(ctx, q, args...)
	if err != nil {
		return nil, translate("list resources", "resource", err)
	}
	defer rows.Close()
	var out []*ragkb.Resource
	for rows.Next() {
		r, err := s.scanResource(rows)
		if err != nil {
			return nil, translate("list resources", "resource", err)
		}
		out = append(out, r)
	}
	return out, translate("list resources", "resource", rows.Err())
}

// UpdateResource saves every field of r; when job is non-nil the resource's
// jobs are replaced by job, atomically.
func (s *Store) UpdateResource(ctx context.Context, r *ragkb.Resource, job *ragkb.Job) error {
	v := r.Version
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.updateResource(ctx, tx, r, true); err != nil {
			return err
		}
		if job == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM jobs WHERE resource_id = ?`, r.ID); err != nil {
			return err
		}
		return s.insertJob(ctx, tx, r, job)
	})
	if err != nil {
		r.Version = v // the transaction rolled back
	}
	return translate("update resource", "resource", err)
}

// updateResource saves r inside tx; ENOTFOUND unless it exists in
// r.TenantID, ECONFLICT when checkVersion and the stored version is not
// r.Version. The stored version is incremented, and r.Version with it (the
// callers restore r.Version when the transaction fails).
func (s *Store) updateResource(ctx context.Context, tx *sql.Tx, r *ragkb.Resource, checkVersion bool) error {
	args, err := s.resourceArgs(r)
	if err != nil {
		return err
	}
	cols := strings.Split(resourceColumns, ",")
	sets := make([]string, 0, len(cols)-2)
	vals := make([]any, 0, len(cols))
	for i, c := range cols[2:] { // id and tenant_id never change
		sets = append(sets, strings.TrimSpace(c)+` = ?`)
		vals = append(vals, args[i+2])
	}
	vals = append(vals, r.ID, r.TenantID)
	q := `UPDATE resources SET ` + strings.Join(sets, ", ") + `, version = version + 1 WHERE id = ? AND tenant_id = ?`
	if checkVersion {
		q += ` AND version = ?`
		vals = append(vals, r.Version)
	}
	err = tx.QueryRowContext(ctx, q+` RETURNING version`, vals...).Scan(&r.Version)
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM resources WHERE id = ? AND tenant_id = ?`, r.ID, r.TenantID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ragkb.NotFound("resource")
	}
	return errChangedMeanwhile()
}

// errChangedMeanwhile is the optimistic-concurrency conflict of UpdateResource.
func errChangedMeanwhile() error {
	return ragkb.Errorf(ragkb.ECONFLICT, "the resource was changed by another request meanwhile; read it again and retry")
}

// DeleteResource removes the resource with its documents, chunks and jobs.
func (s *Store) DeleteResource(ctx context.Context, tenantID, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM resources WHERE id = ? AND tenant_id = ?`, id, tenantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ragkb.NotFound("resource")
		}
		delta := newTermDelta(tenantID)
		if _, err := deleteChunks(ctx, tx, delta, `DELETE FROM chunks WHERE resource_id = ? RETURNING id, analyzed`, id); err != nil {
			return err
		}
		if err := delta.apply(ctx, tx); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM documents WHERE resource_id = ?`,
			`DELETE FROM jobs WHERE resource_id = ?`,
			`DELETE FROM resources WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return bumpVersion(ctx, tx, tenantID)
	})
	if err != nil {
		return translate("delete resource", "resource", err)
	}
	return nil
}
