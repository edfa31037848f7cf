package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// benchCorpus returns n chunks of offer and FAQ text shaped like a large
// shop's catalogue: every offer repeats the same boilerplate (warranty,
// delivery, returns), product words follow a long-tailed distribution.
func benchCorpus(n int) ([]*ragkb.Document, []*ragkb.Chunk) {
	rng := rand.New(rand.NewPCG(1, 2))
	brands := []string{"Samsung", "Apple", "Xiaomi", "Sony", "Bosch", "Philips", "Nike", "Adidas", "Lego", "Dell",
		"Lenovo", "Asus", "Canon", "Nikon", "Makita", "Dyson", "Tefal", "Braun", "Garmin", "Puma"}
	products := []string{"smartphone", "laptop", "headphones", "vacuum cleaner", "running shoes", "coffee machine",
		"drill", "camera", "monitor", "tablet", "smartwatch", "blender", "kettle", "jacket", "backpack", "toaster",
		"router", "keyboard", "mouse", "printer", "speaker", "television", "hair dryer", "electric toothbrush"}
	colors := []string{"black", "white", "silver", "blue", "red", "green", "graphite", "gold", "pink", "grey"}
	features := []string{"wireless", "waterproof", "fast charging", "noise cancelling", "bluetooth 5.3", "4K display",
		"energy class A", "stainless steel", "lightweight", "ergonomic", "USB-C", "dual SIM", "Wi-Fi 6", "OLED",
		"memory foam", "cordless", "quiet operation", "long battery life", "compact design", "LED lighting"}
	faqs := []string{
		"We issue a VAT invoice for every order; enter your tax number at checkout.",
		"Orders placed before 2 pm are shipped the same day with courier delivery.",
		"You can return any product within 30 days without giving a reason.",
		"Payment by card, bank transfer, BLIK or cash on delivery.",
		"Wystawiamy faktury VAT do każdego zamówienia.",
		"Spedizione gratuita per ordini superiori a 100 euro.",
		"Die Lieferzeit beträgt in der Regel zwei bis drei Werktage.",
		"Nous livrons en France, en Belgique et en Suisse.",
		"Store pickup is available in Warsaw, Kraków and Gdańsk.",
		"The manufacturer's warranty is honoured at authorised service centres.",
	}
	docs := make([]*ragkb.Document, 0, n)
	chunks := make([]*ragkb.Chunk, 0, n)
	for i := range n {
		d := &ragkb.Document{ID: fmt.Sprintf("doc_%06d", i), SourceID: fmt.Sprintf("src_%06d", i)}
		if i%50 == 0 {
			q := faqs[rng.IntN(len(faqs))]
			d.Kind, d.Title, d.Text = ragkb.DocQA, "FAQ "+q[:20], q
		} else {
			// Zipf-like choice: the first items are far more frequent.
			pick := func(list []string) string { return list[min(len(list)-1, int(rng.ExpFloat64()*float64(len(list))/4))] }
			brand, product, color := pick(brands), pick(products), pick(colors)
			model := fmt.Sprintf("%c%d", 'A'+rune(rng.IntN(26)), rng.IntN(1000))
			d.Kind = ragkb.DocOffer
			d.Title = fmt.Sprintf("%s %s %s %s", brand, product, model, color)
			d.Text = fmt.Sprintf("%s. %s, %s. Price %d.%02d PLN. Availability: in stock. Condition: new. "+
				"Warranty: %d months. Delivery in %d working days. Free returns within 30 days. SKU %s-%06d.",
				d.Title, pick(features), pick(features), 10+rng.IntN(5000), rng.IntN(100), 12*(1+rng.IntN(3)),
				1+rng.IntN(5), strings.ToUpper(brand[:3]), i)
		}
		docs = append(docs, d)
		chunks = append(chunks, &ragkb.Chunk{ID: fmt.Sprintf("chk_%06d", i), DocumentID: d.ID, Kind: d.Kind, Title: d.Title, Text: d.Text})
	}
	return docs, chunks
}

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
	docs, chunks := benchCorpus(n)
	for ti, size := range []int{n, n / 10, 200} {
		ten := &ragkb.Tenant{Name: fmt.Sprintf("shop %d", ti)}
		if err := s.CreateTenant(ctx, ten); err != nil {
			b.Fatal(err)
		}
		r := &ragkb.Resource{TenantID: ten.ID, Name: "catalogue", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing}
		if err := s.CreateResource(ctx, r, &ragkb.Job{}); err != nil {
			b.Fatal(err)
		}
		job, err := s.ClaimJob(ctx, "bench", time.Now(), time.Hour)
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
		cpu0 := cpuTime()
		i := 0
		for b.Loop() {
			q := benchQuestions[i%len(benchQuestions)]
			i++
			if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: small, Text: q, Limit: 20}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
	})
	b.Run("mix", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		cpu0 := cpuTime()
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
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50_ns")
		b.ReportMetric(float64(lat[len(lat)*95/100].Nanoseconds()), "p95_ns")
	})
	for i, q := range benchQuestions {
		b.Run(fmt.Sprintf("q%d", i), func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenant, Text: q, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu_ns/op")
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
	docs, chunks := benchCorpus(10_000)
	run := 0
	for b.Loop() {
		b.StopTimer()
		run++
		r := &ragkb.Resource{TenantID: ten.ID, Name: "catalogue", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing}
		job := &ragkb.Job{}
		if err := s.CreateResource(ctx, r, job); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ClaimJob(ctx, "bench", time.Now(), time.Hour); err != nil {
			b.Fatal(err)
		}
		c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "bench"}}
		for i := range docs {
			d, ch := *docs[i], *chunks[i]
			d.ID = fmt.Sprintf("%s_%d", d.ID, run)
			ch.ID, ch.DocumentID = fmt.Sprintf("%s_%d", ch.ID, run), d.ID
			c.Upsert, c.Chunks = append(c.Upsert, &d), append(c.Chunks, &ch)
		}
		b.StartTimer()
		if _, err := s.ApplyIndex(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(chunks)), "ns/chunk")
}
