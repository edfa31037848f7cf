package insights

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ragkb/ragkb"
)

// LogStore is what the question-log writer needs from the store.
type LogStore interface {
	RecordAnswers(ctx context.Context, logs []*ragkb.AnswerLog) error
	DeleteAnswerLogs(ctx context.Context, d ragkb.AnswerLogDeletion) (int64, error)
}

// WriterConfig configures a Writer.
type WriterConfig struct {
	Store LogStore
	// Queue bounds the answers waiting to be written (default 10,000).
	// When it is full an answer's log row is dropped and counted in
	// ragkb_question_log_dropped_total{reason="queue_full"}: the customer
	// is never kept waiting for the log.
	Queue int
	// Batch is the most rows written in one transaction (default 500).
	Batch int
	// Retention deletes logs older than this, checked every PurgeEvery
	// (default one hour); 0 keeps them forever.
	Retention  time.Duration
	PurgeEvery time.Duration
	// Prices give each premium answer its cost; Model names the premium
	// model answers were made with.
	Prices Prices
	Model  string
	// Retries of a failed batch write before its rows are dropped (and
	// counted, reason="write_failed"); default 3.
	Retries    int
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
}

// Writer writes the question log in the background, in batches, so logging
// never slows an answer. It implements RecordAnswer (hand it to
// answer.Config through WithWriter). Start it; Stop drains the queue.
type Writer struct {
	cfg     WriterConfig
	log     *slog.Logger
	queue   chan *ragkb.AnswerLog
	flushes chan chan struct{}
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	started bool
	m       writerMetrics
}

type writerMetrics struct {
	written, dropQueue, dropWrite, conversations prometheus.Counter
	deleted                                      *prometheus.CounterVec
	cost                                         *prometheus.CounterVec
}

// NewWriter returns a Writer; call Start.
func NewWriter(cfg WriterConfig) (*Writer, error) {
	if cfg.Store == nil {
		return nil, ragkb.Invalid("Store", "is required")
	}
	if cfg.Retention < 0 {
		return nil, ragkb.Invalid("Retention", "must not be negative")
	}
	cfg.Queue = cmp.Or(cfg.Queue, 10_000)
	cfg.Batch = cmp.Or(cfg.Batch, 500)
	cfg.PurgeEvery = cmp.Or(cfg.PurgeEvery, time.Hour)
	cfg.Retries = cmp.Or(cfg.Retries, 3)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	w := &Writer{
		cfg: cfg, log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		queue: make(chan *ragkb.AnswerLog, cfg.Queue), flushes: make(chan chan struct{}),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	drops := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ragkb_question_log_dropped_total", Help: "Question-log rows lost, by reason (queue_full, write_failed).",
	}, []string{"reason"})
	w.m = writerMetrics{
		written:       prometheus.NewCounter(prometheus.CounterOpts{Name: "ragkb_question_log_written_total", Help: "Question-log rows written."}),
		dropQueue:     drops.WithLabelValues("queue_full"),
		dropWrite:     drops.WithLabelValues("write_failed"),
		conversations: prometheus.NewCounter(prometheus.CounterOpts{Name: "ragkb_conversations_total", Help: "Answers that started a conversation (no earlier customer message)."}),
		deleted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_question_log_deleted_total", Help: "Question-log rows deleted, by reason (retention, request).",
		}, []string{"reason"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_answer_cost_usd_total", Help: "Premium model cost of answers in USD (tokens x RAGKB_LLM_PRICES), by model.",
		}, []string{"model"}),
	}
	if cfg.Registerer != nil {
		queued := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "ragkb_question_log_queue_length", Help: "Question-log rows waiting to be written.",
		}, func() float64 { return float64(len(w.queue)) })
		cfg.Registerer.MustRegister(drops, w.m.written, w.m.conversations, w.m.deleted, w.m.cost, queued)
	}
	return w, nil
}

// RecordAnswer prices l and queues it. It never blocks: a full queue drops
// the row, counts it and logs a warning.
func (w *Writer) RecordAnswer(_ context.Context, l *ragkb.AnswerLog) error {
	if l.LLMCalls > 0 && l.Model == "" {
		l.Model = w.cfg.Model
	}
	if l.Cost == 0 {
		l.Cost = w.cfg.Prices.Cost(l.Model, l.PromptTokens, l.CompletionTokens)
	}
	if l.Cost > 0 {
		w.m.cost.WithLabelValues(l.Model).Add(l.Cost)
	}
	if l.Turn == 0 {
		w.m.conversations.Inc()
	}
	select {
	case w.queue <- l:
	default:
		w.m.dropQueue.Inc()
		w.log.Warn("question log: queue full, row dropped", "tenant_id", l.TenantID, "answer_id", l.ID, "queue", cap(w.queue))
	}
	return nil
}

// Start runs the writer (and the retention purge) until Stop.
func (w *Writer) Start(ctx context.Context) {
	w.started = true
	go w.run(context.WithoutCancel(ctx))
}

// Stop writes what is queued and stops. Safe to call more than once.
func (w *Writer) Stop() {
	w.once.Do(func() {
		if !w.started {
			return
		}
		close(w.stop)
		<-w.done
	})
}

// Flush returns once every row queued before the call is written (or
// dropped after its retries), so reads that follow see it.
func (w *Writer) Flush(ctx context.Context) error {
	if !w.started {
		w.drain(ctx)
		return nil
	}
	ack := make(chan struct{})
	select {
	case w.flushes <- ack:
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Writer) run(ctx context.Context) {
	defer close(w.done)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var purge <-chan time.Time
	if w.cfg.Retention > 0 {
		t := time.NewTicker(w.cfg.PurgeEvery)
		defer t.Stop()
		purge = t.C
		w.Purge(ctx)
	}
	for {
		select {
		case <-w.stop:
			w.drain(ctx)
			return
		case ack := <-w.flushes:
			w.drain(ctx)
			close(ack)
		case <-tick.C:
			w.drain(ctx)
		case <-purge:
			w.Purge(ctx)
		}
	}
}

// drain writes everything queued, Batch rows at a time.
func (w *Writer) drain(ctx context.Context) {
	for {
		batch := make([]*ragkb.AnswerLog, 0, min(len(w.queue), w.cfg.Batch))
	fill:
		for len(batch) < w.cfg.Batch {
			select {
			case l := <-w.queue:
				batch = append(batch, l)
			default:
				break fill
			}
		}
		if len(batch) == 0 {
			return
		}
		w.write(ctx, batch)
	}
}

func (w *Writer) write(ctx context.Context, batch []*ragkb.AnswerLog) {
	var err error
	for attempt := 0; attempt < w.cfg.Retries; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
		}
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = w.cfg.Store.RecordAnswers(wctx, batch)
		cancel()
		if err == nil {
			w.m.written.Add(float64(len(batch)))
			return
		}
	}
	w.m.dropWrite.Add(float64(len(batch)))
	w.log.Error("question log: rows dropped after retries", "rows", len(batch), "err", err)
}

// Purge deletes every tenant's logs older than the retention.
func (w *Writer) Purge(ctx context.Context) {
	if w.cfg.Retention <= 0 {
		return
	}
	n, err := w.cfg.Store.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{Before: w.cfg.Now().Add(-w.cfg.Retention)})
	if err != nil {
		w.log.Error("question log: retention purge", "err", err)
		return
	}
	w.Deleted("retention", n)
	if n > 0 {
		w.log.Info("question log: retention purge", "deleted", n, "retention_days", w.cfg.Retention.Hours()/24)
	}
}

// Deleted counts rows deleted for a reason (retention, request).
func (w *Writer) Deleted(reason string, n int64) {
	w.m.deleted.WithLabelValues(reason).Add(float64(n))
}

// WithWriter returns st with RecordAnswer going through w (queued, batched)
// instead of a write per answer.
func WithWriter(st ragkb.Store, w *Writer) ragkb.Store { return writerStore{st, w} }

type writerStore struct {
	ragkb.Store
	w *Writer
}

func (s writerStore) RecordAnswer(ctx context.Context, l *ragkb.AnswerLog) error {
	return s.w.RecordAnswer(ctx, l)
}
