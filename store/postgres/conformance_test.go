package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/storetest"
)

// TestStoreConformance runs the shared ragkb.Store suite, each case on a
// fresh schema, with the suite's clock (it leases and expires jobs with it).
func TestStoreConformance(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T, now func() time.Time) ragkb.Store {
		s, err := postgres.New(context.Background(), postgres.Config{URL: schemaURL(t), Now: now})
		if err != nil {
			t.Fatalf("postgres.New: %v", err)
		}
		return s
	})
}

// TestSecretsAtRest reads every row of every table of the schema as text.
func TestSecretsAtRest(t *testing.T) {
	u := schemaURL(t)
	storetest.RunSecretsAtRest(t, func(box ragkb.SecretBox) (ragkb.Store, error) {
		return postgres.New(context.Background(), postgres.Config{URL: u, Secrets: box})
	}, func(t *testing.T) string {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, _ := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, tbl := range tables {
			var text string
			if err := conn.QueryRow(ctx, `SELECT coalesce(string_agg(x::text, E'\n'), '') FROM `+pgx.Identifier{tbl}.Sanitize()+` x`).Scan(&text); err != nil {
				t.Fatalf("dump %s: %v", tbl, err)
			}
			b.WriteString(text)
		}
		return b.String()
	})
}
