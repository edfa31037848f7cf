package webhook

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
)

// DefaultShutdownTimeout bounds how long Runner.Stop waits for in-flight deliveries.
const DefaultShutdownTimeout = 15 * time.Second

// RunnerConfig configures a Runner.
type RunnerConfig struct {
	// Concurrency is how many deliveries are sent at once (default 4).
	Concurrency int
	// ShutdownTimeout bounds how long Stop waits for in-flight deliveries
	// before cancelling them (default 15s). A cancelled attempt is not
	// counted; its job is snoozed and sent again later.
	ShutdownTimeout time.Duration
	// PollInterval is how often River looks for due jobs where it cannot be
	// notified (SQLite; default River's 1s).
	PollInterval time.Duration
	// Logger (default: discarded).
	Logger *slog.Logger
}

// Runner runs a River client that works ragkb.DeliveryJob with a Worker,
// on either backend's River driver.
type Runner struct {
	client interface {
		Start(context.Context) error
		Stop(context.Context) error
		StopAndCancel(context.Context) error
	}
	shutdown time.Duration
	log      *slog.Logger

	mu      sync.Mutex
	started bool
}

// NewRunner returns a Runner over driver (riversqlite over the SQLite
// store's RiverDB, riverpgxv5 over the PostgreSQL store's Pool).
func NewRunner[TTx any](driver riverdriver.Driver[TTx], w *Worker, cfg RunnerConfig) (*Runner, error) {
	if w == nil {
		return nil, ragkb.Invalid("Worker", "a worker is required")
	}
	if cfg.Concurrency < 0 || cfg.ShutdownTimeout < 0 || cfg.PollInterval < 0 {
		return nil, ragkb.Invalid("RunnerConfig", "durations and concurrency must not be negative")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, err
	}
	c, err := river.NewClient(driver, &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(cfg.Concurrency, DefaultConcurrency)}},
		Workers:           workers,
		MaxAttempts:       w.cfg.MaxAttempts,
		FetchPollInterval: cfg.PollInterval,
		// A job still running this long after its timeout belongs to a
		// process that died: River runs it again (at least once).
		RescueStuckJobsAfter: w.cfg.Timeout + jobMargin + time.Minute,
		Logger:               cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Runner{client: c, shutdown: cmp.Or(cfg.ShutdownTimeout, DefaultShutdownTimeout), log: cfg.Logger}, nil
}

// Start starts working jobs until Stop. Calling it on a running Runner does nothing.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return nil
	}
	if err := r.client.Start(ctx); err != nil {
		return err
	}
	r.started = true
	return nil
}

// Stop stops fetching jobs and waits for in-flight deliveries, at most
// ShutdownTimeout; then it cancels them and returns once they have unwound.
func (r *Runner) Stop() {
	r.mu.Lock()
	started := r.started
	r.started = false
	r.mu.Unlock()
	if !started {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.shutdown)
	defer cancel()
	if err := r.client.Stop(ctx); err != nil {
		r.log.Warn("webhook: stop: cancelling in-flight deliveries", "err", err)
		cctx, ccancel := context.WithTimeout(context.Background(), recordTimeout)
		defer ccancel()
		_ = r.client.StopAndCancel(cctx)
	}
}
