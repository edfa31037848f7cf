package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/insights"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/store/sqlite"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"insights", benchInsights})
}

// benchInsightsLogs is the size of the question log the section measures.
const benchInsightsLogs = 100_000

// benchInsights logs 100,000 answers of one tenant over 30 days through the
// background writer into SQLite, then times GET /v1/insights' computation
// (rates, per-day and per-intent tables, topics of the gap questions with
// the local embedder) cold (every question embedded) and warm (cached).
func benchInsights(ctx context.Context, w io.Writer, progress io.Writer) error {
	dir, err := banking77Dir()
	if err != nil {
		return err
	}
	qs, err := readLabelled(filepath.Join(dir, "test.csv"))
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ragkb-bench-insights")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	st, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(tmp, "ragkb.db")})
	if err != nil {
		return err
	}
	defer st.Close()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Bench", CreatedAt: time.Now().UTC()}
	if err := st.CreateTenant(ctx, ten); err != nil {
		return err
	}
	wr, err := insights.NewWriter(insights.WriterConfig{Store: st, Queue: benchInsightsLogs, Prices: insights.Prices{"*": {Prompt: 0.15, Completion: 0.6}}, Model: "bench-model"})
	if err != nil {
		return err
	}
	wr.Start(ctx)
	defer wr.Stop()

	fmt.Fprintf(progress, "bench: insights, logging %d answers...\n", benchInsightsLogs)
	// BANKING77 test questions asked with a Zipf distribution (a few asked
	// often, most rarely), 30 days, 72% answered, 15% fallback, 5% agent,
	// 5% clarify, 3% premium; feedback on 12% (a quarter unhelpful).
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 4, uint64(len(qs)-1))
	end := time.Now().UTC().Truncate(time.Hour)
	start := end.AddDate(0, 0, -30)
	logs := make([]*ragkb.AnswerLog, benchInsightsLogs)
	for i := range logs {
		q := qs[zipf.Uint64()]
		l := &ragkb.AnswerLog{ID: ragkb.NewID("ans"), TenantID: ten.ID, Intent: q[1], Question: q[0], Language: "en", Tier: ragkb.TierFast,
			LatencyMS: 0.5 + rng.Float64()*3, CreatedAt: start.Add(time.Duration(rng.Int64N(int64(end.Sub(start))))), Turn: rng.IntN(2)}
		switch p := rng.Float64(); {
		case p < 0.72:
			l.Status = ragkb.AnswerAnswered
		case p < 0.87:
			l.Status, l.Tier, l.Intent = ragkb.AnswerFallback, ragkb.TierGrounded, "out_of_scope"
		case p < 0.92:
			l.Status = ragkb.AnswerAgent
		default:
			l.Status = insights.StatusClarify
		}
		if l.Status == ragkb.AnswerAnswered && rng.Float64() < 0.04 {
			l.Tier, l.LLMCalls, l.PromptTokens, l.CompletionTokens, l.LatencyMS = ragkb.TierPremium, 1, 900, 120, 400+rng.Float64()*800
		}
		if rng.Float64() < 0.12 {
			h := rng.Float64() >= 0.25
			l.Feedback = &ragkb.Feedback{Helpful: &h, UpdatedAt: l.CreatedAt}
		}
		logs[i] = l
	}
	t0 := time.Now()
	for _, l := range logs {
		_ = wr.RecordAnswer(ctx, l)
	}
	enqueue := time.Since(t0)
	if err := wr.Flush(ctx); err != nil {
		return err
	}
	written := time.Since(t0)

	t1 := time.Now()
	all, err := st.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: ten.ID})
	if err != nil {
		return err
	}
	read := time.Since(t1)
	svc, err := insights.New(insights.Config{Store: st, Writer: wr, Embedder: embed.NewLocal(embed.LocalConfig{})})
	if err != nil {
		return err
	}
	q := insights.Query{TenantID: ten.ID, From: start, To: end.Add(time.Hour), Topics: 20}
	measure := func() (*insights.Report, time.Duration, uint64, uint64, error) {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		t := time.Now()
		rep, err := svc.Report(ctx, q)
		d := time.Since(t)
		close(stop)
		<-done
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		return rep, d, after.TotalAlloc - before.TotalAlloc, peak.Load() - min(peak.Load(), before.HeapAlloc), err
	}
	fmt.Fprintf(progress, "bench: insights, cold report...\n")
	rep, cold, coldAlloc, coldPeak, err := measure()
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "bench: insights, warm report...\n")
	_, warm, warmAlloc, warmPeak, err := measure()
	if err != nil {
		return err
	}
	gaps := 0
	for _, r := range rep.ByIntent {
		gaps += r.Fallback + r.Agent + r.Clarify
	}
	mib := func(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "## Insights over %d logged questions\n\n", benchInsightsLogs)
	fmt.Fprintf(w, "`ragkb bench -sections insights`: one tenant's question log of %d answers over 30 days (BANKING77 test questions asked with a Zipf distribution; 72%% answered, 15%% fallback, 5%% agent, 8%% clarify, feedback on 12%%), written through the background writer into embedded SQLite, then `GET /v1/insights` computed in-process (`insights.Service.Report`: rates, %d daily rows, per-intent rows, and topics of the gap questions with the local embedder; at most %d distinct questions are clustered). Cold: every distinct gap question embedded; warm: vectors cached. Memory: bytes allocated during the report, and the heap's peak growth above its level before it (sampled every 20 ms).\n\n",
		benchInsightsLogs, len(rep.ByDay), 3000)
	fmt.Fprintf(w, "| step | time | allocated | peak heap growth |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(w, "| log %d answers: `RecordAnswer` (queue) | %.0f ns per answer | | |\n", benchInsightsLogs, float64(enqueue.Nanoseconds())/benchInsightsLogs)
	fmt.Fprintf(w, "| … written to SQLite in batches | %.2f s (%.0f rows/s) | | |\n", written.Seconds(), benchInsightsLogs/written.Seconds())
	fmt.Fprintf(w, "| read the %d answers back (`FindAnswerLogs`) | %.2f s | | |\n", len(all), read.Seconds())
	fmt.Fprintf(w, "| report, cold | %.2f s | %s | %s |\n", cold.Seconds(), mib(coldAlloc), mib(coldPeak))
	fmt.Fprintf(w, "| report, warm | %.2f s | %s | %s |\n\n", warm.Seconds(), mib(warmAlloc), mib(warmPeak))
	fmt.Fprintf(w, "%d gap questions (%d beyond the clustering cap) gave %d returned topics, the largest of %d questions (the local embedder joins many BANKING77 card questions that share their words); automated resolution %.3f, satisfaction %.3f, cost per conversation %.6f USD.\n\n",
		gaps, rep.Unclustered, len(rep.Topics), topCount(rep), rep.Rates.AutomatedResolution, deref(rep.Rates.Satisfaction), rep.Rates.CostPerConversation)
	return nil
}

func topCount(r *insights.Report) int {
	if len(r.Topics) == 0 {
		return 0
	}
	return r.Topics[0].Count
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
