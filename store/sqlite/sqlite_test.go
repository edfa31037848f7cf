package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/storetest"
)

var _ ragkb.Store = (*sqlite.Store)(nil)

func newStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.New(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "data", "ragkb.db")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestStore(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T) ragkb.Store { return newStore(t) })
}
