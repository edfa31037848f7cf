package sqlite

import (
	"github.com/ragkb/ragkb/internal/testenv"

	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/storetest"
)

// benchStore returns a store holding n chunks of one tenant, n/10 of a
// second and 200 of a small third one.
func benchStore(b *testing.B, n int) (s *Store, tenant, small string) {
	b.Helper()
	ctx := context.Background()
	s, err := New(ctx, Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	docs, chunks := storetest.LexicalCorpus(n)
	for ti, size := range []int{n, n / 10, 200} {
		ten := &ragkb.Tenant{Name: fmt.Sprintf("shop %d", ti)}
		if err := s.CreateTenant(ctx, ten); err != nil {
			b.Fatal(err)
		}
		r := &ragkb.Resource{TenantID: ten.ID, Name: "catalogue", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing}
		if err := s.CreateResource(ctx, r, &ragkb.Job{}); err != nil {
			b.Fatal(err)
		}
		job, err := s.ClaimJob(ctx, "bench", time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "bench"}}
		for i := range size {
			d, ch := *docs[i], *chunks[i]
			d.ID, ch.ID, ch.DocumentID = fmt.Sprintf("%s_%d", d.ID, ti), fmt.Sprintf("%s_%d", ch.ID, ti), d.ID+fmt.Sprintf("_%d", ti)
			c.Upsert, c.Chunks = append(c.Upsert, &d), append(c.Chunks, &ch)
		}
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			b.Fatal(err)
		}
		switch ti {
		case 0:
			tenant = ten.ID
		case 2:
			small = ten.ID
		}
	}
	return s, tenant, small
}

var benchQuestions = []string{
	"Can I get a VAT invoice for my order?",
	"How long is the warranty on the Samsung smartphone?",
	"Do you have black running shoes from Nike?",
	"Czy wystawiacie faktury VAT?",
	"Quanto costa la spedizione?",
	"Wie lange ist die Lieferzeit?",
	"Is the Dyson cordless vacuum cleaner in stock?",
	"Can I return it within 30 days?",
	"delivery",
	"Do you deliver to Belgique?",
}

// BenchmarkSearchLexical100k measures typical customer questions over one
// tenant's 100k chunks; p50_ns and p95_ns report the distribution over the
// question mix, cpu_ns/op the process CPU time per query (steadier than
// wall time on a shared machine). small_tenant_mix runs the mix for a
// tenant of 200 chunks sharing the database.
func BenchmarkSearchLexical100k(b *testing.B) {
	s, tenant, small := benchStore(b, 100_000)
	ctx := context.Background()
	b.Run("small_tenant_mix", func(b *testing.B) {
		cpu0 := testenv.CPUTime()
		i := 0
		for b.Loop() {
			q := benchQuestions[i%len(benchQuestions)]
			i++
			if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: small, Text: q, Limit: 20}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((testenv.CPUTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
	})
	b.Run("mix", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		cpu0 := testenv.CPUTime()
		for b.Loop() {
			q := benchQuestions[i%len(benchQuestions)]
			i++
			start := time.Now()
			hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenant, Text: q, Limit: 20})
			lat = append(lat, time.Since(start))
			if err != nil || len(hits) == 0 {
				b.Fatalf("SearchLexical(%q) = %d hits, %v", q, len(hits), err)
			}
		}
		b.ReportMetric(float64((testenv.CPUTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50_ns")
		b.ReportMetric(float64(lat[len(lat)*95/100].Nanoseconds()), "p95_ns")
	})
	for i, q := range benchQuestions {
		b.Run(fmt.Sprintf("q%d", i), func(b *testing.B) {
			cpu0 := testenv.CPUTime()
			for b.Loop() {
				if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenant, Text: q, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((testenv.CPUTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
		})
	}
}

// BenchmarkApplyIndex10k measures writing one indexing run of 10k chunks
// (documents, chunks, full-text index and term counts) into a store that
// already holds the previous runs.
func BenchmarkApplyIndex10k(b *testing.B) {
	ctx := context.Background()
	s, err := New(ctx, Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ten := &ragkb.Tenant{Name: "shop"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		b.Fatal(err)
	}
	docs, chunks := storetest.LexicalCorpus(10_000)
	run := 0
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		run++
		r := &ragkb.Resource{TenantID: ten.ID, Name: "catalogue", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing}
		job := &ragkb.Job{}
		if err := s.CreateResource(ctx, r, job); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ClaimJob(ctx, "bench", time.Hour); err != nil {
			b.Fatal(err)
		}
		c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "bench"}}
		for i := range docs {
			d, ch := *docs[i], *chunks[i]
			d.ID = fmt.Sprintf("%s_%d", d.ID, run)
			ch.ID, ch.DocumentID = fmt.Sprintf("%s_%d", ch.ID, run), d.ID
			c.Upsert, c.Chunks = append(c.Upsert, &d), append(c.Chunks, &ch)
		}
		c0 := testenv.CPUTime()
		b.StartTimer()
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			b.Fatal(err)
		}
		cpu += testenv.CPUTime() - c0
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(chunks)), "ns/chunk")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*len(chunks)), "cpu-ns/chunk")
}

// BenchmarkReanalyze10k re-analyses a database of 10,000 chunks, as an
// upgrade from an older lexical analysis does once on open.
func BenchmarkReanalyze10k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "ragkb.db")
	s, err := New(ctx, Config{Path: path})
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, 10000)
	for i := range texts {
		texts[i] = fmt.Sprintf("Order %d: delivery takes two working days; returns are accepted within 30 days of delivery, invoices on request.", i)
	}
	fill(b, s, texts)
	s.Close()
	for b.Loop() {
		b.StopTimer()
		s, err := New(ctx, Config{Path: path})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE lexical_analysis SET version = 1`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.reanalyze(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
