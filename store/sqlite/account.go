package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

const accountColumns = `id, tenant_id, name, type, status, error, url, user_code, verification_uri,
	verification_uri_complete, poll_interval_ms, next_poll_at, code_expires_at, expires_at, connected_at,
	refreshed_at, renewing_until, secrets, version, created_at, updated_at`

func (s *Store) accountArgs(a *ragkb.Account) ([]any, error) {
	secrets, err := store.SealAccountSecrets(s.box, a.Secrets)
	if err != nil {
		return nil, err
	}
	return []any{a.ID, a.TenantID, a.Name, string(a.Type), string(a.Status), a.Error, a.URL, a.UserCode,
		a.VerificationURI, a.VerificationURIComplete, a.PollInterval.Milliseconds(), tsp(a.NextPollAt),
		tsp(a.CodeExpiresAt), tsp(a.ExpiresAt), tsp(a.ConnectedAt), tsp(a.RefreshedAt), tsp(a.RenewingUntil), secrets, a.Version,
		ts(a.CreatedAt), ts(a.UpdatedAt)}, nil
}

func (s *Store) scanAccount(sc scanner) (*ragkb.Account, error) {
	var a ragkb.Account
	var typ, status, secrets string
	var pollMS int64
	var nextPoll, codeExp, exp, connected, refreshed, renewing, created, updated nullTime
	if err := sc.Scan(&a.ID, &a.TenantID, &a.Name, &typ, &status, &a.Error, &a.URL, &a.UserCode,
		&a.VerificationURI, &a.VerificationURIComplete, &pollMS, &nextPoll, &codeExp, &exp, &connected,
		&refreshed, &renewing, &secrets, &a.Version, &created, &updated); err != nil {
		return nil, err
	}
	a.Type, a.Status = ragkb.AccountType(typ), ragkb.AccountStatus(status)
	a.PollInterval = time.Duration(pollMS) * time.Millisecond
	a.NextPollAt, a.CodeExpiresAt, a.ExpiresAt = nextPoll.Ptr(), codeExp.Ptr(), exp.Ptr()
	a.ConnectedAt, a.RefreshedAt, a.RenewingUntil = connected.Ptr(), refreshed.Ptr(), renewing.Ptr()
	a.CreatedAt, a.UpdatedAt = created.Time(), updated.Time()
	var err error
	if a.Secrets, err = store.OpenAccountSecrets(s.box, secrets); err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateAccount inserts a with Version 1.
func (s *Store) CreateAccount(ctx context.Context, a *ragkb.Account) error {
	if a.ID == "" {
		a.ID = ragkb.NewID("acc")
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now().UTC()
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	a.Version = 1
	args, err := s.accountArgs(a)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (`+placeholders(len(args))+`)`, args...)
	return translate("create account", "account", err)
}

// GetAccount returns the account; tenantID "" matches any tenant.
func (s *Store) GetAccount(ctx context.Context, tenantID, id string) (*ragkb.Account, error) {
	a, err := s.scanAccount(s.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = ? AND (? = '' OR tenant_id = ?)`, id, tenantID, tenantID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ragkb.NotFound("account")
	}
	return a, translate("get account", "account", err)
}

// ListAccounts lists accounts newest first.
func (s *Store) ListAccounts(ctx context.Context, f ragkb.AccountFilter) ([]*ragkb.Account, error) {
	where := []string{"1 = 1"}
	var args []any
	for col, v := range map[string]string{"tenant_id": f.TenantID, "status": string(f.Status), "type": string(f.Type)} {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC`, args...)
	if err != nil {
		return nil, translate("list accounts", "account", err)
	}
	defer rows.Close()
	var out []*ragkb.Account
	for rows.Next() {
		a, err := s.scanAccount(rows)
		if err != nil {
			return nil, translate("list accounts", "account", err)
		}
		out = append(out, a)
	}
	return out, translate("list accounts", "account", rows.Err())
}

// UpdateAccount saves a when a.Version is the stored version.
func (s *Store) UpdateAccount(ctx context.Context, a *ragkb.Account) error {
	next := *a
	next.Version = a.Version + 1
	args, err := s.accountArgs(&next)
	if err != nil {
		return err
	}
	cols := strings.Split(accountColumns, ",")
	sets := make([]string, 0, len(cols))
	vals := make([]any, 0, len(cols)+3)
	for i, c := range cols[2:] { // id and tenant_id never change
		sets = append(sets, strings.TrimSpace(c)+` = ?`)
		vals = append(vals, args[i+2])
	}
	vals = append(vals, a.ID, a.TenantID, a.Version)
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET `+strings.Join(sets, ", ")+` WHERE id = ? AND tenant_id = ? AND version = ?`, vals...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ? AND tenant_id = ?`, a.ID, a.TenantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ragkb.NotFound("account")
		}
		return ragkb.Errorf(ragkb.ECONFLICT, "the account was changed meanwhile")
	})
	if err != nil {
		return translate("update account", "account", err)
	}
	a.Version = next.Version
	return nil
}

// DeleteAccount removes the account.
func (s *Store) DeleteAccount(ctx context.Context, tenantID, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM accounts WHERE id = ? AND tenant_id = ?`, id, tenantID)
	if err != nil {
		return translate("delete account", "account", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return translate("delete account", "account", err)
	} else if n == 0 {
		return ragkb.NotFound("account")
	}
	return nil
}
