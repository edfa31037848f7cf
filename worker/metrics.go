package worker

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the worker's Prometheus series.
type Metrics struct {
	jobs       *prometheus.CounterVec
	duration   prometheus.Histogram
	embedded   prometheus.Counter
	docs       *prometheus.CounterVec
	failures   *prometheus.CounterVec
	unrecorded prometheus.Gauge
}

// NewMetrics registers the worker metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_index_jobs_total",
			Help: "Indexing jobs by outcome: success, failed, released (shutdown), lost (lease taken over), retried (the database was unavailable).",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ragkb_index_job_duration_seconds",
			Help:    "Time to run one indexing job.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900},
		}),
		embedded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ragkb_index_chunks_embedded_total", Help: "Chunks embedded (new or changed content only).",
		}),
		docs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_index_documents_total", Help: "Documents seen by indexing runs, by change (added, changed, removed, unchanged).",
		}, []string{"change"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_index_failures_total",
			Help: "Failed indexing jobs by reason: disk_full, read_only, unavailable (a dependency), timeout, source (the merchant's content or URL), interrupted, internal.",
		}, []string{"reason"}),
		unrecorded: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ragkb_index_failures_unrecorded",
			Help: "Failed jobs whose failure could not be saved yet (e.g. the disk is full); they are saved when the job is claimed again.",
		}),
	}
	reg.MustRegister(m.jobs, m.duration, m.embedded, m.docs, m.failures, m.unrecorded)
	return m
}

func (m *Metrics) setUnrecorded(n int) {
	if m != nil {
		m.unrecorded.Set(float64(n))
	}
}

func (m *Metrics) failure(reason string) {
	if m != nil {
		m.failures.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) outcome(o string) {
	if m != nil {
		m.jobs.WithLabelValues(o).Inc()
	}
}
