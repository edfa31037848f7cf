// Package worker runs indexing jobs and the refresh schedule. Jobs are leased
// from the store with an expiry and the lease is extended while a job runs, so
// a worker that dies (even kill -9) never leaves a resource in "processing":
// once its lease expires another worker (or the restarted one) claims the job.
// On a graceful stop running jobs are cancelled and their leases released at
// once. Several workers may share one PostgreSQL store; the store guarantees
// that a job is held by one worker at a time.
//
// Indexing jobs stay on these leases while webhook deliveries run on River
// (package webhook): a job is the resource's own row, whose status,
// attempts and next run the API shows and edits, leased for as long as a
// fetch takes and released at once on stop; River would keep a second copy
// of that state to keep in step.
package worker

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/ragkb/ragkb"
)

// Config configures a Worker.
type Config struct {
	Store  ragkb.Store
	Runner ragkb.Indexer
	Events ragkb.EventRecorder
	// Owner identifies this worker in leases (default host-pid-random).
	Owner string
	// Lease is how long a claimed job is held without a heartbeat (default 30s).
	Lease time.Duration
	// Poll is how often an idle worker looks for jobs (default 250ms).
	Poll time.Duration
	// Concurrency is how many jobs run at once (default 2).
	Concurrency int
	// MaxAttempts fails a job that was interrupted this many times (default 5).
	MaxAttempts int
	// Schedule is the cron spec of the automatic refresh (default "@monthly");
	// "off" disables it (for extra workers sharing one database).
	Schedule string
	// Metrics receives job outcomes (nil: none).
	Metrics *Metrics
	Now     func() time.Time
	Logger  *slog.Logger
}

// Worker is the background service.
type Worker struct {
	cfg    Config
	log    *slog.Logger
	sched  cron.Schedule
	cron   *cron.Cron
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	stopCh chan struct{}

	// pending holds failures that could not be saved (the disk was full,
	// the database down), by job id: when the job is claimed again the
	// failure is saved instead of running the job again.
	pendingMu sync.Mutex
	pending   map[string]pendingFailure
}

// pendingFailure is a failure waiting to be saved.
type pendingFailure struct {
	msg, reason string
}

// ParseSchedule parses a refresh schedule (standard cron or @monthly-style descriptors).
func ParseSchedule(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, ragkb.Invalid("RAGKB_REFRESH_SCHEDULE", "is not a cron schedule: %v", err)
	}
	return s, nil
}

// New returns a Worker.
func New(cfg Config) (*Worker, error) {
	switch {
	case cfg.Store == nil:
		return nil, ragkb.Invalid("Store", "is required")
	case cfg.Runner == nil:
		return nil, ragkb.Invalid("Runner", "is required")
	case cfg.Events == nil:
		return nil, ragkb.Invalid("Events", "is required")
	}
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		cfg.Owner = fmt.Sprintf("%s-%d-%s", cmp.Or(host, "worker"), os.Getpid(), hex.EncodeToString(b[:]))
	}
	cfg.Lease = cmp.Or(cfg.Lease, 30*time.Second)
	cfg.Poll = cmp.Or(cfg.Poll, 250*time.Millisecond)
	cfg.Concurrency = cmp.Or(cfg.Concurrency, 2)
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, 5)
	cfg.Schedule = cmp.Or(cfg.Schedule, "@monthly")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{cfg: cfg, log: log.With("worker", cfg.Owner), pending: map[string]pendingFailure{}}
	if cfg.Schedule != "off" {
		s, err := ParseSchedule(cfg.Schedule)
		if err != nil {
			return nil, err
		}
		w.sched = s
	}
	return w, nil
}

// NextRefresh is when the automatic refresh runs next (zero when disabled).
func (w *Worker) NextRefresh(now time.Time) time.Time {
	if w.sched == nil {
		return time.Time{}
	}
	return w.sched.Next(now)
}

// Start runs the job loops and the refresh schedule until Stop.
func (w *Worker) Start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	w.mu.Lock()
	w.cancel = cancel
	w.stopCh = make(chan struct{})
	w.mu.Unlock()
	for i := 0; i < w.cfg.Concurrency; i++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.loop(ctx)
		}()
	}
	if w.sched != nil {
		w.cron = cron.New(cron.WithLocation(time.UTC))
		w.cron.Schedule(w.sched, cron.FuncJob(func() {
			n, err := w.RefreshAll(ctx)
			if err != nil {
				w.log.Error("scheduled refresh", "err", err)
				return
			}
			w.log.Info("scheduled refresh queued", "resources", n)
		}))
		w.cron.Start()
	}
	w.log.Info("worker started", "concurrency", w.cfg.Concurrency, "lease", w.cfg.Lease.String(), "schedule", w.cfg.Schedule)
}

// Stop stops claiming jobs, cancels running ones, releases their leases so
// another worker takes them at once, and waits.
func (w *Worker) Stop() {
	w.mu.Lock()
	cancel := w.cancel
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	if w.cron != nil {
		<-w.cron.Stop().Done()
	}
	cancel()
	w.wg.Wait()
	w.log.Info("worker stopped")
}

func (w *Worker) loop(ctx context.Context) {
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		did, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("worker: run job", "err", err)
		}
		if did {
			continue // there may be more work: look again at once
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims and runs one job. It reports whether there was a job.
func (w *Worker) RunOnce(ctx context.Context) (bool, error) {
	if ctx.Err() != nil {
		return false, nil
	}
	job, err := w.cfg.Store.ClaimJob(ctx, w.cfg.Owner, w.cfg.Lease)
	if err != nil {
		if ragkb.IsNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("worker: claim: %w", err)
	}
	return true, w.process(ctx, job)
}

func (w *Worker) process(ctx context.Context, job *ragkb.Job) error {
	l := ragkb.Lease{JobID: job.ID, Owner: w.cfg.Owner}
	log := w.log.With("job_id", job.ID, "resource_id", job.ResourceID, "tenant_id", job.TenantID, "attempt", job.Attempts, "kind", job.Kind)
	// Store calls that must happen even when shutting down.
	bg := context.WithoutCancel(ctx)
	r, err := w.cfg.Store.GetResource(ctx, job.TenantID, job.ResourceID)
	if err != nil {
		_ = w.cfg.Store.ReleaseJob(bg, l)
		return fmt.Errorf("worker: load resource: %w", err)
	}
	if p, ok := w.takePending(job.ID); ok {
		// The last run failed but the failure could not be saved: save it
		// now rather than run the job again.
		log.Info("saving an earlier failure of this job", "reason", p.reason)
		return w.fail(bg, l, r, job, p.msg, p.reason, log)
	}
	if job.Attempts > w.cfg.MaxAttempts {
		msg := fmt.Sprintf("Indexing was started %d times without finishing (the service was stopped, restarted or could not save its work each time) and has stopped; use retry to try again", job.Attempts-1)
		return w.fail(bg, l, r, job, msg, "interrupted", log)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	lost := make(chan struct{})
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		t := time.NewTicker(w.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				if err := w.cfg.Store.ExtendLease(runCtx, l, w.cfg.Lease); err != nil {
					if ragkb.ErrorCodeOf(err) == ragkb.ECONFLICT {
						log.Warn("lease lost: another run replaced this job")
						close(lost)
						cancel()
						return
					}
					log.Warn("extend lease", "err", err)
				}
			}
		}
	}()
	log.Info("indexing started")
	r.ConfirmShrink = job.Kind == ragkb.JobConfirmed
	res, runErr := w.cfg.Runner.Run(runCtx, l, r)
	cancel()
	<-hbDone

	select {
	case <-lost:
		w.cfg.Metrics.outcome("lost")
		return nil // a newer job owns the resource now
	default:
	}
	if ctx.Err() != nil {
		// Shutting down: give the job back so it is taken over at once.
		if err := w.cfg.Store.ReleaseJob(bg, l); err != nil {
			log.Warn("release job on shutdown", "err", err)
		}
		w.cfg.Metrics.outcome("released")
		log.Info("job released on shutdown")
		return nil
	}
	fresh, err := w.cfg.Store.GetResource(bg, job.TenantID, job.ResourceID)
	if err != nil {
		return fmt.Errorf("worker: reload resource: %w", err)
	}
	fresh.Attempts = job.Attempts
	if runErr != nil {
		if ragkb.ErrorCodeOf(runErr) == ragkb.ECONFLICT {
			w.cfg.Metrics.outcome("lost")
			log.Warn("lease lost while writing", "err", runErr)
			return nil
		}
		if ragkb.IsDatabaseUnavailable(runErr) && job.Attempts < w.cfg.MaxAttempts {
			// A database restart or a lost connection: run again soon
			// rather than ask the merchant to retry. The job is taken
			// again when this shortened lease ends.
			delay := min(w.cfg.Lease, time.Second<<min(job.Attempts-1, 10))
			if err := w.cfg.Store.ExtendLease(bg, l, delay); err != nil {
				log.Warn("shorten lease for a retry", "err", err)
			}
			w.cfg.Metrics.outcome("retried")
			log.Warn("indexing hit an unavailable database; retrying", "in", delay.String(), "err", runErr)
			return nil
		}
		return w.fail(bg, l, fresh, job, failureMessage(runErr), failureReason(runErr), log, runErr)
	}
	now := w.cfg.Now().UTC()
	fresh.Status, fresh.Error, fresh.Warnings, fresh.IndexedAt = ragkb.StatusSuccess, "", res.Warnings, &now
	fresh.LastRun = &res.Stats
	fresh.UpdatedAt = now
	if err := w.cfg.Store.FinishJob(bg, l, fresh); err != nil {
		if ragkb.ErrorCodeOf(err) == ragkb.ECONFLICT {
			w.cfg.Metrics.outcome("lost")
			return nil
		}
		return fmt.Errorf("worker: finish job: %w", err)
	}
	if m := w.cfg.Metrics; m != nil {
		m.outcome("success")
		m.duration.Observe(res.Stats.Duration / 1000)
		m.embedded.Add(float64(res.Stats.Embedded))
		m.docs.WithLabelValues("added").Add(float64(res.Stats.Added))
		m.docs.WithLabelValues("changed").Add(float64(res.Stats.Changed))
		m.docs.WithLabelValues("removed").Add(float64(res.Stats.Removed))
		m.docs.WithLabelValues("unchanged").Add(float64(res.Stats.Unchanged))
	}
	log.Info("indexing succeeded", "documents", fresh.Documents, "chunks", fresh.Chunks,
		"added", res.Stats.Added, "changed", res.Stats.Changed, "removed", res.Stats.Removed, "unchanged", res.Stats.Unchanged,
		"duration_ms", res.Stats.Duration)
	return nil
}

// failureMessage is the reason shown to the merchant.
func failureMessage(err error) string {
	var e *ragkb.Error
	if ragkb.IsStorageFault(err) && errors.As(err, &e) {
		return "Indexing stopped because " + e.Message + ". The content indexed before keeps answering; " +
			"once the server's operator has fixed the disk, use retry"
	}
	if errors.As(err, &e) && e.Code != ragkb.EINTERNAL && e.Message != "" {
		return e.Message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Indexing took too long and was stopped; retry it later"
	}
	return "Indexing failed because of an internal error; retry it, and contact support if it fails again"
}

// failureReason is a bounded label for a failure's cause (metrics, logs).
func failureReason(err error) string {
	if k := ragkb.StorageFaultKind(err); k != "" {
		return k
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case ragkb.ErrorCodeOf(err) == ragkb.EUNAVAILABLE:
		return "unavailable"
	case ragkb.ErrorCodeOf(err) == ragkb.EINTERNAL:
		return "internal"
	}
	return "source"
}

func (w *Worker) takePending(jobID string) (pendingFailure, bool) {
	w.pendingMu.Lock()
	defer w.pendingMu.Unlock()
	p, ok := w.pending[jobID]
	delete(w.pending, jobID)
	w.cfg.Metrics.setUnrecorded(len(w.pending))
	return p, ok
}

func (w *Worker) keepPending(jobID string, p pendingFailure) {
	w.pendingMu.Lock()
	defer w.pendingMu.Unlock()
	const maxPending = 10_000 // one entry per stuck job; bounded all the same
	if len(w.pending) < maxPending {
		w.pending[jobID] = p
	}
	w.cfg.Metrics.setUnrecorded(len(w.pending))
}

// fail saves r as failed with msg. When that cannot be saved (a full disk
// fails the write too) the failure is kept and saved the next time the job
// is claimed, once its lease has expired, instead of running it again.
func (w *Worker) fail(ctx context.Context, l ragkb.Lease, r *ragkb.Resource, job *ragkb.Job, msg, reason string, log *slog.Logger, cause ...error) error {
	now := w.cfg.Now().UTC()
	r.Status, r.Error, r.Attempts, r.UpdatedAt = ragkb.StatusFailed, msg, job.Attempts, now
	if err := w.cfg.Store.FinishJob(ctx, l, r); err != nil {
		if ragkb.ErrorCodeOf(err) == ragkb.ECONFLICT {
			return nil
		}
		if reason == "disk_full" || reason == "read_only" {
			w.keepPending(job.ID, pendingFailure{msg: msg, reason: reason})
			log.Error("indexing failed and the failure cannot be saved yet; it is saved when the job's lease expires and it is claimed again",
				"reason", reason, "message", msg, "save_err", err)
		} else {
			// Another passing fault (the database is down): the job is run
			// again when its lease expires, within MaxAttempts.
			log.Error("indexing failed and the failure cannot be saved; the job runs again when its lease expires",
				"reason", reason, "message", msg, "save_err", err)
		}
		return fmt.Errorf("worker: save failure: %w", err)
	}
	w.cfg.Metrics.outcome("failed")
	w.cfg.Metrics.failure(reason)
	attrs := []any{"reason", reason, "message", msg}
	if len(cause) > 0 {
		attrs = append(attrs, "err", cause[0])
	}
	log.Warn("indexing failed", attrs...)
	ev := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: r.TenantID, Type: ragkb.EventResourceFailed, ResourceID: r.ID, Detail: msg, CreatedAt: now}
	if err := w.cfg.Events.Record(ctx, ev); err != nil {
		log.Error("record resource_failed event", "err", err)
	}
	return nil
}

// RefreshAll queues a refresh of every resource that is fetched from a URL
// (offers, FAQ pages, policies by URL), skipping those being indexed or
// touched in the last hour (another worker's scheduler may have just queued
// them). It returns how many were queued.
func (w *Worker) RefreshAll(ctx context.Context) (int, error) {
	rs, err := w.cfg.Store.ListResources(ctx, ragkb.ResourceFilter{Types: []ragkb.ResourceType{ragkb.TypeOffers, ragkb.TypeFAQPage, ragkb.TypePolicy}})
	if err != nil {
		return 0, fmt.Errorf("worker: list resources: %w", err)
	}
	now := w.cfg.Now().UTC()
	n := 0
	for _, r := range rs {
		if r.Type == ragkb.TypePolicy && (r.Policy == nil || r.Policy.URL == "") {
			continue
		}
		if r.Status == ragkb.StatusProcessing || now.Sub(r.UpdatedAt) < time.Hour {
			continue
		}
		r.Status, r.Error, r.Attempts, r.UpdatedAt = ragkb.StatusProcessing, "", 0, now
		job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: r.TenantID, ResourceID: r.ID, Kind: ragkb.JobRefresh, CreatedAt: now}
		if err := w.cfg.Store.UpdateResource(ctx, r, job); err != nil {
			return n, fmt.Errorf("worker: queue refresh of %s: %w", r.ID, err)
		}
		n++
	}
	return n, nil
}
