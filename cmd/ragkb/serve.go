package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// runServe runs the API (and, with withWorker, the worker and the webhook
// dispatcher) until ctx ends, then shuts down gracefully: stop accepting,
// drain requests, stop the worker (releasing its leases), close the stores.
func runServe(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer, withWorker bool) error {
	gin.SetMode(gin.ReleaseMode)
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.ensureAdminKey(ctx, stdout); err != nil {
		return fmt.Errorf("admin key: %w", err)
	}
	a.removeOrphanVectors(ctx)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	api := a.server()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (RAGKB_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", api.MetricsHandler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
		log.Info("metrics listening", "addr", mln.Addr().String())
	}
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	bg, cancelBg := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBg()
	if withWorker {
		a.worker.Start(bg)
		a.dispatcher.Start(bg)
		a.accounts.Start(bg)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("ragkb listening", "addr", ln.Addr().String(), "version", version, "vector_store", cfg.VectorStore,
		"embedder", a.embedder.Name(), "premium", a.answers.PremiumEnabled(), "data_dir", cfg.DataDir)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("drain requests", "err", err)
	}
	if withWorker {
		a.worker.Stop()
		a.dispatcher.Stop()
		a.accounts.Stop()
	}
	log.Info("stopped")
	return nil
}

// runWorker runs only the worker and the webhook dispatcher. The embedded
// vector index lives inside one process, so a separate worker needs a shared
// vector store.
func runWorker(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.VectorStore == "embedded" || cfg.DatabaseURL == "" {
		return fmt.Errorf("ragkb worker needs RAGKB_DATABASE_URL and a shared vector store (pgvector or qdrant); with the embedded default run `ragkb serve`, which includes the worker")
	}
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	a.removeOrphanVectors(ctx)
	bg, cancelBg := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBg()
	a.worker.Start(bg)
	a.dispatcher.Start(bg)
	a.accounts.Start(bg)
	<-ctx.Done()
	log.Info("shutting down worker")
	a.worker.Stop()
	a.dispatcher.Stop()
	a.accounts.Stop()
	return nil
}
