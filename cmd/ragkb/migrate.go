package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/sqlite"
)

// runMigrate applies the migrations of the configured metadata store.
func runMigrate(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) error {
	if cfg.DatabaseURL != "" {
		if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
			return fmt.Errorf("migrate postgres: %w", err)
		}
		fmt.Fprintln(stdout, "postgres: migrations applied")
		return nil
	}
	s, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(cfg.DataDir, "ragkb.db"), Logger: log})
	if err != nil {
		return fmt.Errorf("migrate sqlite: %w", err)
	}
	fmt.Fprintln(stdout, "sqlite: migrations applied")
	return s.Close()
}
