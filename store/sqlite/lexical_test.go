package sqlite

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

func newTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := New(context.Background(), Config{Path: filepath.Join(t.TempDir(), "ragkb.db")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fill creates a tenant and a resource holding one document per text.
func fill(t testing.TB, s *Store, texts []string) (tenantID string, chunkIDs []string) {
	t.Helper()
	ctx := context.Background()
	ten := &ragkb.Tenant{Name: fmt.Sprintf("shop-%d", time.Now().UnixNano())}
	if err := s.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	r := &ragkb.Resource{TenantID: ten.ID, Name: "r", Type: ragkb.TypeOffers, Status: ragkb.StatusProcessing}
	job := &ragkb.Job{}
	if err := s.CreateResource(ctx, r, job); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimJob(ctx, "t", time.Hour); err != nil {
		t.Fatal(err)
	}
	c := ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "t"}}
	for i, text := range texts {
		d := &ragkb.Document{ID: ragkb.NewID("doc"), SourceID: fmt.Sprint(i), Kind: ragkb.DocOffer, Title: "Offer", Text: text}
		ch := &ragkb.Chunk{ID: fmt.Sprintf("%s_chk_%05d", ten.ID, i), DocumentID: d.ID, Kind: d.Kind, Title: d.Title, Text: text}
		c.Upsert, c.Chunks = append(c.Upsert, d), append(c.Chunks, ch)
		chunkIDs = append(chunkIDs, ch.ID)
	}
	if _, err := s.ApplyIndex(ctx, c); err != nil {
		t.Fatal(err)
	}
	return ten.ID, chunkIDs
}

// TestLexicalTermCounts checks that lexical_terms and lexical_stats always
// equal the per-tenant counts recomputed from the chunks, through inserts,
// replacements and deletes.
func TestLexicalTermCounts(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	check := func(step string) {
		t.Helper()
		type stats struct{ chunks, tokens int }
		wantTerms, wantStats := map[string]int{}, map[string]stats{}
		rows, err := s.r.QueryContext(ctx, `SELECT tenant_id, title, text, language FROM chunks`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var tenant, title, text, lang string
			if err := rows.Scan(&tenant, &title, &text, &lang); err != nil {
				t.Fatal(err)
			}
			terms := slices.Concat(store.IndexTerms(title, lang), store.IndexTerms(text, lang))
			seen := map[string]bool{}
			for _, term := range terms {
				if !seen[term] {
					seen[term] = true
					wantTerms[tenant+"/"+term]++
				}
			}
			st := wantStats[tenant]
			st.chunks++
			st.tokens += len(terms)
			wantStats[tenant] = st
		}
		rows.Close()
		gotTerms, gotStats := map[string]int{}, map[string]stats{}
		rows, err = s.r.QueryContext(ctx, `SELECT tenant_id, term, docs FROM lexical_terms`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var tenant, term string
			var docs int
			if err := rows.Scan(&tenant, &term, &docs); err != nil {
				t.Fatal(err)
			}
			gotTerms[tenant+"/"+term] = docs
		}
		rows.Close()
		rows, err = s.r.QueryContext(ctx, `SELECT tenant_id, chunks, tokens FROM lexical_stats`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var tenant string
			var st stats
			if err := rows.Scan(&tenant, &st.chunks, &st.tokens); err != nil {
				t.Fatal(err)
			}
			gotStats[tenant] = st
		}
		rows.Close()
		if !maps.Equal(gotTerms, wantTerms) {
			t.Errorf("%s: lexical_terms = %v, want %v", step, gotTerms, wantTerms)
		}
		if !maps.Equal(gotStats, wantStats) {
			t.Errorf("%s: lexical_stats = %v, want %v", step, gotStats, wantStats)
		}
	}
	tenantID, _ := fill(t, s, []string{"Red shoes, size 42", "Blue shoes", "Red hat — fakturę"})
	check("after insert")
	other, _ := fill(t, s, []string{"Green shoes"})
	check("second tenant")

	res, err := s.ListResources(ctx, ragkb.ResourceFilter{TenantID: tenantID})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	job := &ragkb.Job{}
	if err := s.UpdateResource(ctx, r, job); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimJob(ctx, "t", time.Hour); err != nil {
		t.Fatal(err)
	}
	docs, err := s.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: tenantID})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	_, err = s.ApplyIndex(ctx, ragkb.IndexChange{TenantID: tenantID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "t"},
		Upsert: []*ragkb.Document{d}, Chunks: []*ragkb.Chunk{{ID: "chk_new", DocumentID: d.ID, Kind: d.Kind, Title: "Offer", Text: "Yellow scarf"}},
		Delete: []string{docs[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	check("after replace and delete")
	if err := s.DeleteResource(ctx, tenantID, r.ID); err != nil {
		t.Fatal(err)
	}
	check("after DeleteResource")
	res, _ = s.ListResources(ctx, ragkb.ResourceFilter{TenantID: other})
	if err := s.DeleteResource(ctx, other, res[0].ID); err != nil {
		t.Fatal(err)
	}
	check("empty")
}

// TestSearchLexicalStrategies covers the candidate strategies of a large
// tenant: boilerplate words are everywhere, product words are rare.
func TestSearchLexicalStrategies(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	var texts []string
	for i := range 3000 {
		text := fmt.Sprintf("Product %d. Free delivery by courier. Warranty included.", i)
		switch {
		case i == 1234:
			text = "Invoice on request. " + text
		case i%10 == 0: // 300 chunks
			text += " Espresso machine."
		case i%7 == 0: // about 385 chunks
			text += " Milk frother."
		}
		if i == 2990 { // the only chunk with both
			text += " Espresso machine with milk frother."
		}
		texts = append(texts, text)
	}
	tenantID, ids := fill(t, s, texts)
	for _, tc := range []struct {
		name, query string
		first       string
		minHits     int
	}{
		{"rare word among boilerplate", "Is delivery free with an invoice?", ids[1234], 1},
		{"only boilerplate words", "free delivery", "", 10},
		{"several mid-frequency words: chunks with all of them first", "espresso frother", ids[2990], 10},
	} {
		hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenantID, Text: tc.query, Limit: 10})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(hits) < tc.minHits {
			t.Errorf("%s: %d hits, want at least %d", tc.name, len(hits), tc.minHits)
		}
		if tc.first != "" && (len(hits) == 0 || hits[0].ChunkID != tc.first) {
			t.Errorf("%s: hits %v, want %s first", tc.name, hits, tc.first)
		}
		if !slices.IsSortedFunc(hits, func(a, b ragkb.ChunkHit) int { return -cmpFloat(a.Score, b.Score) }) {
			t.Errorf("%s: scores not descending: %v", tc.name, hits)
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FuzzSearchLexical checks that no input makes a query fail.
func FuzzSearchLexical(f *testing.F) {
	for _, seed := range []string{`"`, `NEAR(a b)`, `a* OR -b`, `{title}: x`, "😀", "fakturę", "\x00", `'); --`} {
		f.Add(seed)
	}
	s := newTestStore(f)
	tenantID, _ := fill(f, s, []string{"We issue VAT invoices", "Faktury VAT wystawiamy", "NEAR the shop"})
	f.Fuzz(func(t *testing.T, text string) {
		if _, err := s.SearchLexical(context.Background(), ragkb.LexicalQuery{TenantID: tenantID, Text: text, Limit: 5}); err != nil {
			t.Fatalf("SearchLexical(%q): %v", text, err)
		}
	})
}

// TestSearchLexicalBM25 checks the parts of the scoring the shared suite
// leaves to each backend: inverse document frequency and the title weight.
func TestSearchLexicalBM25(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t)
	texts := []string{"We send the invoice by e-mail."}
	for range 20 {
		texts = append(texts, "Track your order: order status, order history, order number, order tracking.")
	}
	tenantID, ids := fill(t, s, texts)
	hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenantID, Text: "order invoice", Limit: 3})
	if err != nil || len(hits) == 0 || hits[0].ChunkID != ids[0] {
		t.Errorf("SearchLexical(order invoice) = %v, %v; want the rare word's chunk %s first", hits, err, ids[0])
	}

	s = newTestStore(t)
	ctx = context.Background()
	ten := &ragkb.Tenant{Name: "titles"}
	if err := s.CreateTenant(ctx, ten); err != nil {
		t.Fatal(err)
	}
	r := &ragkb.Resource{TenantID: ten.ID, Name: "r", Type: ragkb.TypeFAQPage, Status: ragkb.StatusProcessing}
	job := &ragkb.Job{}
	if err := s.CreateResource(ctx, r, job); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimJob(ctx, "t", time.Hour); err != nil {
		t.Fatal(err)
	}
	d := &ragkb.Document{ID: "doc_1", SourceID: "1", Kind: ragkb.DocQA, Title: "FAQ"}
	inTitle := &ragkb.Chunk{ID: "chk_title", DocumentID: d.ID, Kind: d.Kind, Title: "Warranty", Text: "Details about the coverage."}
	inText := &ragkb.Chunk{ID: "chk_text", DocumentID: d.ID, Kind: d.Kind, Title: "Details", Text: "Warranty about the coverage."}
	if _, err := s.ApplyIndex(ctx, ragkb.IndexChange{TenantID: ten.ID, ResourceID: r.ID, Lease: ragkb.Lease{JobID: job.ID, Owner: "t"},
		Upsert: []*ragkb.Document{d}, Chunks: []*ragkb.Chunk{inText, inTitle,
			{ID: "chk_a", DocumentID: d.ID, Kind: d.Kind, Title: "Payment", Text: "Card or transfer."},
			{ID: "chk_b", DocumentID: d.ID, Kind: d.Kind, Title: "Returns", Text: "Within 30 days."},
			{ID: "chk_c", DocumentID: d.ID, Kind: d.Kind, Title: "Shipping", Text: "With DPD, daily."},
		}}); err != nil {
		t.Fatal(err)
	}
	hits, err = s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: ten.ID, Text: "warranty", Limit: 2})
	if err != nil || len(hits) != 2 || hits[0].ChunkID != inTitle.ID || !(hits[0].Score > hits[1].Score) {
		t.Errorf("SearchLexical(warranty) = %v, %v; want %s (title match) strictly first", hits, err, inTitle.ID)
	}
}

func TestAnalysis(t *testing.T) {
	for _, tc := range []struct{ title, text, lang, want string }{
		{"Invoices", "Orders shipped; Fakturę VAT", "en", "invoic\norder ship faktur vat"},
		{"Invoices", "Orders shipped", "", "invoices\norders shipped"},
		{"Rechnungen", "Lieferungen und Rücksendungen", "de", "rechnung\nliefer und rucksend"},
		{"", "", "en", "\n"},
	} {
		if got := analyze(tc.title, tc.text, tc.lang).String(); got != tc.want {
			t.Errorf("analyze(%q, %q, %q) = %q, want %q", tc.title, tc.text, tc.lang, got, tc.want)
		}
	}
}

func TestRankCounts(t *testing.T) {
	st := lexStats{df: map[string]int{"invoic": 2, "vat": 1}, chunks: 10, tokens: 40}
	groups := []termGroup{{forms: []string{"invoices", "invoic"}, df: 2}, {forms: []string{"vat"}, df: 1}}
	hits := st.rank(groups, map[string]string{
		"title":  "invoic\nabout the rule",
		"text":   "rule\nabout the invoic",
		"both":   "rule\ninvoic vat",
		"none":   "rule\nnothing here",
		"plural": "rule\ninvoices",
	}, 10)
	order := make([]string, len(hits))
	for i, h := range hits {
		order[i] = h.ChunkID
	}
	if want := []string{"both", "title", "plural", "text", "none"}; !slices.Equal(order, want) {
		t.Errorf("rank order = %v, want %v", order, want)
	}
	if hits[len(hits)-1].Score != 0 {
		t.Errorf("a chunk without any term scored %v", hits[len(hits)-1].Score)
	}
}

// TestReanalyze opens a database whose lexical index was built by an older
// analysis and checks that it is rebuilt: stemmed queries find the chunks
// and the term counts match the chunks.
func TestReanalyze(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ragkb.db")
	s, err := New(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	tenantID, ids := fill(t, s, []string{"We issue invoices for every order", "Parcels ship daily"})
	// Make it look like version 1: unstemmed, no analyzed column content.
	if _, err := s.w.ExecContext(ctx, `UPDATE chunks SET language = 'en', analyzed = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE lexical_analysis SET version = 1`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = New(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.r.QueryRowContext(ctx, `SELECT version FROM lexical_analysis`).Scan(&version); err != nil || version != store.AnalysisVersion {
		t.Fatalf("version = %d, %v; want %d", version, err, store.AnalysisVersion)
	}
	for q, want := range map[string]string{"invoice": ids[0], "shipping": ids[1], "ordered": ids[0]} {
		hits, err := s.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: tenantID, Text: q})
		if err != nil || len(hits) == 0 || hits[0].ChunkID != want {
			t.Errorf("SearchLexical(%q) = %v, %v; want %s first", q, hits, err, want)
		}
	}
	var docs int
	if err := s.r.QueryRowContext(ctx, `SELECT docs FROM lexical_terms WHERE tenant_id = ? AND term = 'invoic'`, tenantID).Scan(&docs); err != nil || docs != 1 {
		t.Errorf("lexical_terms[invoic] = %d, %v; want 1", docs, err)
	}
}
