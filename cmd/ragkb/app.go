package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/ragkb/ragkb/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// buildApp wires the service from the environment's configuration (package
// app does the wiring). The caller must call Close.
func buildApp(ctx context.Context, cfg config, log *slog.Logger) (*app.App, error) {
	c := cfg.Config
	c.Logger, c.Version = log, version
	return app.New(ctx, c)
}

var errUsage = errors.New("usage")
