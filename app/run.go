package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Run removes the vectors orphaned by a killed indexing run, starts the
// background parts (the indexing worker, the webhook delivery runner, the
// account poller), serves the HTTP API on Config.Addr when it is set (and
// /metrics on Config.MetricsAddr), and blocks until ctx ends or the
// listener fails. Then it shuts down within one budget,
// Config.ShutdownTimeout in all: it stops accepting requests and drains
// those in flight while the worker cancels its jobs and releases their
// leases, the delivery runner finishes its deliveries and the poller stops, all
// at once, and returns by the deadline even if one of them has not finished
// (it says so in the log). It does not close the stores: call Close after.
func (a *App) Run(ctx context.Context) error {
	a.removeOrphanVectors(ctx)
	var (
		srv, msrv *http.Server
		errc      = make(chan error, 2)
	)
	if a.cfg.Addr != "" {
		ln, err := net.Listen("tcp", a.cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
		}
		if a.cfg.MetricsAddr != "" {
			mln, err := net.Listen("tcp", a.cfg.MetricsAddr)
			if err != nil {
				ln.Close()
				return fmt.Errorf("listen on %s (RAGKB_METRICS_ADDR): %w", a.cfg.MetricsAddr, err)
			}
			mux := http.NewServeMux()
			mux.Handle("GET /metrics", a.handler.MetricsHandler())
			msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = msrv.Serve(mln) }()
			a.log.Info("metrics listening", "addr", mln.Addr().String())
		}
		srv = &http.Server{
			Handler:           a.handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       60 * time.Second,
			WriteTimeout:      120 * time.Second,
			IdleTimeout:       120 * time.Second,
		}
		go func() { errc <- srv.Serve(ln) }()
		a.log.Info("ragkb listening", "addr", ln.Addr().String(), "version", a.cfg.Version, "vector_store", a.cfg.VectorStore,
			"embedder", a.Embedder.Name(), "premium", a.Answers.PremiumEnabled(), "data_dir", a.cfg.DataDir)
	}
	// The background parts outlive ctx until they are stopped below, so
	// that the worker can release its leases.
	bg, cancelBg := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBg()
	a.Worker.Start(bg)
	if err := a.Deliveries.Start(bg); err != nil {
		return fmt.Errorf("start webhook deliveries: %w", err)
	}
	a.Accounts.Start(bg)

	var runErr error
	select {
	case err := <-errc:
		runErr = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down", "timeout", a.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	stops := map[string]func(){
		"worker":     a.Worker.Stop,
		"deliveries": a.Deliveries.Stop,
		"accounts":   a.Accounts.Stop,
	}
	if srv != nil {
		stops["http"] = func() {
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Warn("drain requests", "err", err)
				srv.Close()
			}
			if msrv != nil {
				msrv.Close()
			}
		}
	}
	if left := stopAll(sctx, stops); len(left) > 0 {
		a.log.Warn("shutdown budget spent before every part stopped", "timeout", a.cfg.ShutdownTimeout.String(), "still_stopping", left)
	} else {
		a.log.Info("stopped")
	}
	return runErr
}

// stopAll runs every stop at once and waits for them until ctx ends. It
// returns the names of those still running then (their goroutines finish
// in the background).
func stopAll(ctx context.Context, stops map[string]func()) []string {
	var (
		mu      sync.Mutex
		pending = map[string]bool{}
		done    = make(chan struct{})
		wg      sync.WaitGroup
	)
	for name, stop := range stops {
		pending[name] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			stop()
			mu.Lock()
			delete(pending, name)
			mu.Unlock()
		}()
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	mu.Lock()
	defer mu.Unlock()
	var left []string
	for name := range pending {
		left = append(left, name)
	}
	return left
}
