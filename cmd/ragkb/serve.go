package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/gin-gonic/gin"
)

// runServe runs the API, the worker and the webhook delivery runner until ctx
// ends, then shuts down gracefully within RAGKB_SHUTDOWN_TIMEOUT (app.Run).
func runServe(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) error {
	gin.SetMode(gin.ReleaseMode)
	cfg.Stdout = stdout
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
}

// runWorker runs only the worker and the webhook delivery runner. The embedded
// vector index lives inside one process, so a separate worker needs a shared
// vector store.
func runWorker(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.VectorStore == "embedded" || cfg.DatabaseURL == "" {
		return fmt.Errorf("ragkb worker needs RAGKB_DATABASE_URL and a shared vector store (pgvector or qdrant); with the embedded default run `ragkb serve`, which includes the worker")
	}
	cfg.Addr, cfg.MetricsAddr = "", "" // no HTTP: app.Run runs the background parts only
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
}
