package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// resealSecrets seals, in one transaction under an advisory lock (several
// processes may start at once), every stored secret that is still plain
// text (written before RAGKB_SECRET_KEY was set) or sealed with an old key
// (after a rotation): resource tokens, account credentials and webhook
// secrets.
func (s *Store) resealSecrets(ctx context.Context) error {
	if s.box == nil {
		return nil
	}
	n := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ragkb_reseal:' || current_schema()))`); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, offers FROM resources WHERE coalesce(offers->>'token', '') <> '' FOR UPDATE`)
		type spec struct {
			id     string
			offers *ragkb.OffersSpec
		}
		specs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (spec, error) {
			var sp spec
			err := row.Scan(&sp.id, &sp.offers)
			return sp, err
		})
		if err != nil {
			return err
		}
		for _, sp := range specs {
			if !store.OffersNeedReseal(s.box, sp.offers) {
				continue
			}
			if err := store.OpenOffers(s.box, sp.offers); err != nil {
				return fmt.Errorf("resource %s: %w", sp.id, err)
			}
			sealed, err := store.SealOffers(s.box, sp.offers)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE resources SET offers = $2 WHERE id = $1`, sp.id, sealed); err != nil {
				return err
			}
			n++
		}
		rows, _ = tx.Query(ctx, `SELECT id, orders FROM resources WHERE coalesce(orders->>'token', '') <> '' FOR UPDATE`)
		type ordersSpec struct {
			id     string
			orders *ragkb.OrdersSpec
		}
		ospecs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ordersSpec, error) {
			var sp ordersSpec
			err := row.Scan(&sp.id, &sp.orders)
			return sp, err
		})
		if err != nil {
			return err
		}
		for _, sp := range ospecs {
			if !store.OrdersNeedReseal(s.box, sp.orders) {
				continue
			}
			if err := store.OpenOrders(s.box, sp.orders); err != nil {
				return fmt.Errorf("resource %s: %w", sp.id, err)
			}
			sealed, err := store.SealOrders(s.box, sp.orders)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE resources SET orders = $2 WHERE id = $1`, sp.id, sealed); err != nil {
				return err
			}
			n++
		}
		for _, t := range []struct{ table, col string }{{"accounts", "secrets"}, {"webhooks", "secret"}} {
			rows, _ := tx.Query(ctx, `SELECT id, `+t.col+` FROM `+t.table+` WHERE `+t.col+` <> '' FOR UPDATE`)
			vals, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) ([2]string, error) {
				var v [2]string
				err := row.Scan(&v[0], &v[1])
				return v, err
			})
			if err != nil {
				return err
			}
			for _, v := range vals {
				if !s.box.NeedsReseal(v[1]) {
					continue
				}
				plain, err := s.box.Open(v[1])
				if err != nil {
					return fmt.Errorf("%s %s: %w", t.table, v[0], err)
				}
				sealed, err := s.box.Seal(plain)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE `+t.table+` SET `+t.col+` = $2 WHERE id = $1`, v[0], sealed); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: seal stored secrets: %w", err)
	}
	if n > 0 {
		s.log.Info("postgres: sealed stored secrets with the current key", "secrets", n)
	}
	return nil
}
