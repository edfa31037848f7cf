package postgres_test

import (
	"context"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/storetest"
)

// TestStoreConformance runs the shared ragkb.Store suite, each case on a
// fresh schema, with the real clock (the suite leases jobs around time.Now).
func TestStoreConformance(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T) ragkb.Store {
		s, err := postgres.New(context.Background(), postgres.Config{URL: schemaURL(t)})
		if err != nil {
			t.Fatalf("postgres.New: %v", err)
		}
		return s
	})
}
