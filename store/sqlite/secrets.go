package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/ragkb/ragkb/store"
)

// resealSecrets seals, in one transaction, every stored secret that is still
// plain text (written before RAGKB_SECRET_KEY was set) or sealed with an old
// key (after a rotation): resource tokens, account credentials and webhook
// secrets.
func (s *Store) resealSecrets(ctx context.Context) error {
	if s.box == nil {
		return nil
	}
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		type row struct{ id, val string }
		read := func(q string) ([]row, error) {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.val); err != nil {
					return nil, err
				}
				out = append(out, r)
			}
			return out, rows.Err()
		}
		specs, err := read(`SELECT id, spec FROM resources WHERE coalesce(json_extract(spec, '$.offers.token'), '') <> ''
			OR coalesce(json_extract(spec, '$.orders.token'), '') <> ''`)
		if err != nil {
			return err
		}
		for _, r := range specs {
			var sp resourceSpec
			if err := json.Unmarshal([]byte(r.val), &sp); err != nil {
				return fmt.Errorf("resource %s: decode spec: %w", r.id, err)
			}
			offers, orders := store.OffersNeedReseal(s.box, sp.Offers), store.OrdersNeedReseal(s.box, sp.Orders)
			if !offers && !orders {
				continue
			}
			if offers {
				if err := store.OpenOffers(s.box, sp.Offers); err != nil {
					return fmt.Errorf("resource %s: %w", r.id, err)
				}
				if sp.Offers, err = store.SealOffers(s.box, sp.Offers); err != nil {
					return err
				}
			}
			if orders {
				if err := store.OpenOrders(s.box, sp.Orders); err != nil {
					return fmt.Errorf("resource %s: %w", r.id, err)
				}
				if sp.Orders, err = store.SealOrders(s.box, sp.Orders); err != nil {
					return err
				}
			}
			spec, err := jsonText(sp)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE resources SET spec = ? WHERE id = ?`, spec, r.id); err != nil {
				return err
			}
			n++
		}
		for _, t := range []struct{ table, col string }{{"accounts", "secrets"}, {"webhooks", "secret"}} {
			rows, err := read(`SELECT id, ` + t.col + ` FROM ` + t.table + ` WHERE ` + t.col + ` <> ''`)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if !s.box.NeedsReseal(r.val) {
					continue
				}
				plain, err := s.box.Open(r.val)
				if err != nil {
					return fmt.Errorf("%s %s: %w", t.table, r.id, err)
				}
				sealed, err := s.box.Seal(plain)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+t.col+` = ? WHERE id = ?`, sealed, r.id); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: seal stored secrets: %w", err)
	}
	if n > 0 {
		s.log.Info("sqlite: sealed stored secrets with the current key", "secrets", n)
	}
	return nil
}
