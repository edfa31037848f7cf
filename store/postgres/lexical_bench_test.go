package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/postgres"
	"github.com/ragkb/ragkb/store/storetest"
)

// lexicalStore returns a store holding n chunks of one tenant and n/10 of
// another (so the tenant filter has work to do).
func lexicalStore(b *testing.B, n int) (*postgres.Store, string) {
	b.Helper()
	ctx := context.Background()
	u := schemaURL(b)
	s := openStore(b, u, 0)
	docs, chunks := storetest.LexicalCorpus(n)
	var tenant string
	start := time.Now()
	for ti, size := range []int{n, n / 10} {
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
		if ti == 0 {
			tenant = ten.ID
		}
	}
	b.Logf("ApplyIndex of %d chunks (COPY, tsvector, GIN): %v", n+n/10, time.Since(start).Round(time.Millisecond))
	// What autovacuum does soon after a load; SearchLexical reads the term
	// statistics ANALYZE gathers.
	if err := execSQL(ctx, u, `VACUUM ANALYZE chunks`); err != nil {
		b.Fatal(err)
	}
	return s, tenant
}

var lexicalQuestions = []string{
	"Can I get a VAT invoice for my order?",
	"How long is the warranty on the Samsung smartphone?",
	"Do you have black running shoes from Nike?",
	"Czy wystawiacie faktury VAT?",
	"Quanto costa la spedizione?",
	"Wie lange ist die Lieferzeit?",
	"Is the Dyson cordless vacuum cleaner in stock?",
	"Can I return it within 30 days?",
	"delivery",
	"Do you ship to Belgium?",
}

// BenchmarkSearchLexical100k measures typical customer questions over one
// tenant's 100k chunks; p50_ns and p95_ns report the distribution over the
// question mix.
func BenchmarkSearchLexical100k(b *testing.B) {
	s, tenant := lexicalStore(b, 100_000)
	ctx := context.Background()
	b.Run("mix", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		for b.Loop() {
			q := lexicalQuestions[i%len(lexicalQuestions)]
			i++
			start := time.Now()
			hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenant, Text: q, Limit: 20})
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatalf("SearchLexical(%q) = %d hits, %v", q, len(hits), err)
			}
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50_ns")
		b.ReportMetric(float64(lat[len(lat)*95/100].Nanoseconds()), "p95_ns")
	})
	for i, q := range lexicalQuestions {
		b.Run(fmt.Sprintf("q%d", i), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenant, Text: q, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
