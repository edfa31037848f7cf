package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
		a.VerificationURI, a.VerificationURIComplete, a.PollInterval.Milliseconds(), a.NextPollAt,
		a.CodeExpiresAt, a.ExpiresAt, a.ConnectedAt, a.RefreshedAt, a.RenewingUntil, secrets, a.Version,
		a.CreatedAt, a.UpdatedAt}, nil
}

func (s *Store) scanAccount(row pgx.Row) (*ragkb.Account, error) {
	var a ragkb.Account
	var secrets string
	var pollMS int64
	if err := row.Scan(&a.ID, &a.TenantID, &a.Name, &a.Type, &a.Status, &a.Error, &a.URL, &a.UserCode,
		&a.VerificationURI, &a.VerificationURIComplete, &pollMS, &a.NextPollAt, &a.CodeExpiresAt, &a.ExpiresAt,
		&a.ConnectedAt, &a.RefreshedAt, &a.RenewingUntil, &secrets, &a.Version, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.PollInterval = time.Duration(pollMS) * time.Millisecond
	a.NextPollAt, a.CodeExpiresAt, a.ExpiresAt = utcp(a.NextPollAt), utcp(a.CodeExpiresAt), utcp(a.ExpiresAt)
	a.ConnectedAt, a.RefreshedAt, a.RenewingUntil = utcp(a.ConnectedAt), utcp(a.RefreshedAt), utcp(a.RenewingUntil)
	a.CreatedAt, a.UpdatedAt = utc(a.CreatedAt), utc(a.UpdatedAt)
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
		a.CreatedAt = s.clock()
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	a.Version = 1
	args, err := s.accountArgs(a)
	if err != nil {
		return err
	}
	ph := make([]string, len(args))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (`+strings.Join(ph, ", ")+`)`, args...)
	return translate("create account", "account", err)
}

// GetAccount returns the account; tenantID "" matches any tenant.
func (s *Store) GetAccount(ctx context.Context, tenantID, id string) (*ragkb.Account, error) {
	a, err := s.scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = $1 AND ($2 = '' OR tenant_id = $2)`, id, tenantID))
	return a, translate("get account", "account", err)
}

// ListAccounts lists accounts newest first.
func (s *Store) ListAccounts(ctx context.Context, f ragkb.AccountFilter) ([]*ragkb.Account, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE ($1 = '' OR tenant_id = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR type = $3)
		ORDER BY created_at DESC, id DESC`, f.TenantID, string(f.Status), string(f.Type))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Account, error) { return s.scanAccount(row) })
	return out, translate("list accounts", "account", err)
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
	for i, c := range cols[2:] { // id and tenant_id never change
		sets = append(sets, fmt.Sprintf("%s = $%d", strings.TrimSpace(c), i+3))
	}
	args = append(args, a.Version)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE accounts SET `+strings.Join(sets, ", ")+
			fmt.Sprintf(` WHERE id = $1 AND tenant_id = $2 AND version = $%d`, len(args)), args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE id = $1 AND tenant_id = $2)`, a.ID, a.TenantID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
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
	tag, err := s.pool.Exec(ctx, `DELETE FROM accounts WHERE id = $1 AND tenant_id = $2`, id, tenantID)
	if err != nil {
		return translate("delete account", "account", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("account")
	}
	return nil
}
