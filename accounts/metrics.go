package accounts

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the accounts service's Prometheus series (no account names,
// ids or secrets in labels).
type Metrics struct {
	renewals *prometheus.CounterVec
	polls    *prometheus.CounterVec
}

// NewMetrics registers the accounts metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		renewals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_account_renewals_total",
			Help: "Access token renewals by outcome: renewed, refused (the account expired), error (Allegro unreachable; retried).",
		}, []string{"outcome"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ragkb_account_device_polls_total",
			Help: "Device-flow token polls by result: pending, slow_down, connected, denied, expired, error.",
		}, []string{"result"}),
	}
	reg.MustRegister(m.renewals, m.polls)
	return m
}

func (m *Metrics) renewal(outcome string) {
	if m != nil {
		m.renewals.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) poll(result string) {
	if m != nil {
		m.polls.WithLabelValues(result).Inc()
	}
}
