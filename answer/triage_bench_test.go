package answer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/sqlite"
)

// noHits is a Searcher that finds nothing (the benchmark measures triage,
// not retrieval).
type noHits struct{}

func (noHits) Search(context.Context, ragkb.SearchQuery) ([]ragkb.SearchHit, error) { return nil, nil }

// discard is an EventSink that drops events.
type discard struct{}

func (discard) Record(context.Context, *ragkb.Event) error { return nil }

// BenchmarkTriageTurn measures what triage adds to an answer: the work
// triageTurn does after the tiers ran (lane lookup in the real SQLite
// store, triage features, guard routing, assistant rules), over messages
// in the six languages. `go test ./answer -run '^$' -bench TriageTurn`.
func BenchmarkTriageTurn(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Bench"}
	if err := st.CreateTenant(ctx, ten); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Store: st, Searcher: noHits{}, Events: discard{}})
	if err != nil {
		b.Fatal(err)
	}
	a := &ragkb.Assistant{ID: "asst_b", Triage: &ragkb.TriageConfig{Rules: []ragkb.TriageRule{
		{When: ragkb.TriageWhen{Intent: []string{"complaint"}, Sentiment: []string{"negative"}}, Priority: ragkb.PriorityUrgent},
	}}}
	questions := []string{
		"This is the THIRD time I'm writing. My parcel was supposed to arrive 10 days ago and nobody answers.",
		"Zamówienie miało być w poniedziałek, a nadal nie dotarło. Piszę już trzeci raz!",
		"Buongiorno, emettete fattura elettronica? Mi serve con partita IVA.",
		"Vielen Dank, alles ist super angekommen!",
		"Le transporteur indique livré mais je n'ai rien reçu.",
		"¿Me podéis hacer una factura a nombre de mi empresa?",
	}
	turns := make([]*turn, len(questions))
	resps := make([]*ragkb.AnswerResponse, len(questions))
	for i, q := range questions {
		req := &ragkb.AnswerRequest{Question: q}
		turns[i] = &turn{s: s, ctx: ctx, tenantID: ten.ID, req: req, question: q, language: "en", sc: &scope{assistant: a}}
		resps[i] = turns[i].run() // warms the lane and sets the intent, as Answer does
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(turns)
		if tr := s.triageTurn(turns[k], resps[k]); tr == nil {
			b.Fatal("no triage")
		}
	}
}
