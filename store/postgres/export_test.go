package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
)

// ExplainSearch returns the plan of the query Search runs for q, with the
// same settings, so tests can see whether HNSW or an exact scan is used.
func ExplainSearch(ctx context.Context, v *VectorStore, q ragkb.VectorQuery) ([]string, error) {
	filter, args, countFilter, countArgs := searchArgs(q)
	var plan []string
	err := v.s.inTx(ctx, func(tx pgx.Tx) error {
		if err := v.prepareSearch(ctx, tx, countFilter, countArgs, min(max(v.s.efSearch, q.K), maxEfSearch)); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `EXPLAIN (COSTS OFF) `+searchSQL(filter), args...)
		var err error
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return plan, err
}
