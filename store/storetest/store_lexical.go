package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
)

// search runs a lexical query and checks that scores never rise.
func search(t *testing.T, s ragkb.Store, q ragkb.LexicalQuery) []ragkb.ChunkHit {
	t.Helper()
	hits, err := s.SearchLexical(context.Background(), q)
	must(t, err, fmt.Sprintf("SearchLexical(%q)", q.Text))
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("SearchLexical(%q): score of hit %d (%v) > hit %d (%v), want best first", q.Text, i, hits[i].Score, i-1, hits[i-1].Score)
		}
	}
	if q.Limit > 0 && len(hits) > q.Limit {
		t.Errorf("SearchLexical(%q) = %d hits, want at most %d", q.Text, len(hits), q.Limit)
	}
	return hits
}

// filler returns n chunks of one document that mention common shop words,
// so that the interesting chunks must win on rare words.
func filler(n int) doc {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("Order %d of product %d: delivery by courier, price in the shop, order status online.", i, i*7)
	}
	return newDoc("filler", "Shop order", texts...)
}

func testLexicalRanking(t *testing.T, s ragkb.Store) {
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	invoice := newDoc("invoice", "Invoices", "We issue a VAT invoice for every order on request.")
	returns := newDoc("returns", "Returns", "You can return unused products within 30 days.")
	pickup := newDoc("pickup", "Store pickup", "Collect your order in our Warsaw store at no cost.")
	index(t, s, r, []doc{filler(40), invoice, returns, pickup})

	for _, tc := range []struct {
		name, query string
		want        string
	}{
		{"question with stopwords", "Can I get a VAT invoice for my order?", invoice.chunks[0].ID},
		{"rare word among common ones", "order invoice", invoice.chunks[0].ID},
		{"returns", "How many days do I have to return a product?", returns.chunks[0].ID},
		{"case and punctuation", "WARSAW store-pickup!!!", pickup.chunks[0].ID},
		{"title counts", "Returns", returns.chunks[0].ID},
	} {
		hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: tc.query, Limit: 5})
		if len(hits) == 0 || hits[0].ChunkID != tc.want {
			t.Errorf("%s: SearchLexical(%q) = %v, want %s first", tc.name, tc.query, hitIDs(hits), tc.want)
		}
	}
	hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: "order delivery courier", Limit: 7})
	if len(hits) != 7 {
		t.Errorf("SearchLexical(limit 7) = %d hits, want 7", len(hits))
	}
	if hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: "xylophone"}); len(hits) != 0 {
		t.Errorf("SearchLexical(absent word) = %v, want none", hitIDs(hits))
	}
}

func testLexicalMultilingual(t *testing.T, s ragkb.Store) {
	ten := newTenant(t, s, "Sklep")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	pl := newDoc("pl", "Faktury", "Wystawiamy fakturę VAT do każdego zamówienia. Płatność w złotych.")
	pl2 := newDoc("pl2", "Faktury korygujące", "Faktury korygujące wysyłamy e-mailem.")
	de := newDoc("de", "Lieferung", "Die Lieferzeit beträgt zwei bis drei Werktage.")
	it := newDoc("it", "Spedizione", "La spedizione è gratuita per ordini superiori a 50 euro.")
	fr := newDoc("fr", "Retours", "Vous pouvez retourner un article sous 14 jours, sans frais.")
	es := newDoc("es", "Envíos", "Los envíos a Canarias tardan más días.")
	index(t, s, r, []doc{filler(10), pl, pl2, de, it, fr, es})

	for _, tc := range []struct {
		name, query string
		want        string
	}{
		{"diacritics as written", "fakturę", pl.chunks[0].ID},
		{"diacritics left out by the customer", "fakture VAT", pl.chunks[0].ID},
		{"other inflection in its own chunk", "faktury korygujące", pl2.chunks[0].ID},
		{"polish l with stroke", "złotych", pl.chunks[0].ID},
		{"german compound", "Lieferzeit", de.chunks[0].ID},
		{"umlaut left out", "betragt Werktage", de.chunks[0].ID},
		{"italian question", "La spedizione è gratuita?", it.chunks[0].ID},
		{"french question", "Puis-je retourner un article?", fr.chunks[0].ID},
		{"spanish accents", "envios a Canarias", es.chunks[0].ID},
		{"upper case with accents", "SPEDIZIONE GRATUITA", it.chunks[0].ID},
	} {
		hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: tc.query, Limit: 5})
		if len(hits) == 0 || hits[0].ChunkID != tc.want {
			t.Errorf("%s: SearchLexical(%q) = %v, want %s first", tc.name, tc.query, hitIDs(hits), tc.want)
		}
	}
}

// testLexicalStopwords checks that stopwords do not decide the ranking, and
// that a question made only of stopwords still searches them.
func testLexicalStopwords(t *testing.T, s ragkb.Store) {
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	band := newDoc("band", "The Who", "The Who is a band; what is it that you want to know?")
	gift := newDoc("gift", "Gift wrapping", "Gift wrapping is free for all of the orders that you place with us.")
	index(t, s, r, []doc{band, gift})
	hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: "what is it", Limit: 5})
	if len(hits) == 0 || hits[0].ChunkID != band.chunks[0].ID {
		t.Errorf("SearchLexical(only stopwords) = %v, want %s first", hitIDs(hits), band.chunks[0].ID)
	}
	hits = search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: "Is it free to have the gift wrapped for you?", Limit: 5})
	if len(hits) == 0 || hits[0].ChunkID != gift.chunks[0].ID {
		t.Errorf("SearchLexical(gift question) = %v, want %s first", hitIDs(hits), gift.chunks[0].ID)
	}
}

func testLexicalFilters(t *testing.T, s ragkb.Store) {
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	ra1, ra2 := newResource(t, s, a.ID, "A1", t0), newResource(t, s, a.ID, "A2", t0)
	rb := newResource(t, s, b.ID, "B1", t0)
	da1 := newDoc("x", "Warranty", "Warranty lasts 24 months.")
	da2 := newDoc("x", "Warranty", "Warranty lasts 24 months for refurbished phones.")
	db := newDoc("x", "Warranty", "Warranty lasts 24 months.")
	index(t, s, ra1, []doc{da1})
	index(t, s, ra2, []doc{da2})
	index(t, s, rb, []doc{db})

	for _, tc := range []struct {
		name      string
		tenant    string
		resources []string
		want      []string
	}{
		{"tenant A, all resources", a.ID, nil, chunkIDs(da1, da2)},
		{"tenant A, one resource", a.ID, []string{ra2.ID}, chunkIDs(da2)},
		{"tenant A, both resources", a.ID, []string{ra1.ID, ra2.ID}, chunkIDs(da1, da2)},
		{"tenant B", b.ID, nil, chunkIDs(db)},
		{"tenant B asking for A's resource", b.ID, []string{ra1.ID}, nil},
		{"unknown resource", a.ID, []string{"res_missing"}, nil},
		{"unknown tenant", "ten_missing", nil, nil},
	} {
		hits := search(t, s, ragkb.LexicalQuery{TenantID: tc.tenant, ResourceIDs: tc.resources, Text: "warranty months", Limit: 10})
		if got := sorted(hitIDs(hits)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: SearchLexical = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func testLexicalHostileQueries(t *testing.T, s ragkb.Store) {
	ten := newTenant(t, s, "Shop")
	r := newResource(t, s, ten.ID, "FAQ", t0)
	d := newDoc("x", "Shipping", "We ship with DPD and InPost; NEAR the border too.", "Payment: card OR transfer AND cash.")
	index(t, s, r, []doc{d})
	for _, q := range []string{
		``, ` `, `"`, `""`, `"unterminated`, `*`, `ship*`, `-`, `-ship`, `+`, `^ship`, `NEAR`, `NEAR(ship border)`,
		`NEAR(ship border, 2)`, `ship AND`, `OR`, `AND OR NOT`, `NOT ship`, `(`, `)`, `((ship)`, `title:ship`,
		`{title text}:ship`, `text : "ship"`, `ship:`, `:`, `'`, `\`, `%`, `_`, `;`, `'); DROP TABLE chunks; --`,
		`😀`, `🚚 delivery? 📦`, "ship\x00border", "\u200b\u200bship", `@@ to_tsquery('x')`, `!ship`, `ship & border | x`,
		`<->`, `ship <-> border`, `***`, strings.Repeat("ship border ", 2000), strings.Repeat("ß", 300), `日本語の配送`,
		`مرحبا`, `Привет доставка`,
	} {
		if _, err := s.SearchLexical(context.Background(), ragkb.LexicalQuery{TenantID: ten.ID, Text: q, Limit: 5}); err != nil {
			t.Errorf("SearchLexical(%.40q) error: %v", q, err)
		}
	}
	// Operators in the text are words, not syntax.
	hits := search(t, s, ragkb.LexicalQuery{TenantID: ten.ID, Text: `"DPD" AND NOT -InPost*`, Limit: 5})
	if len(hits) == 0 || hits[0].ChunkID != d.chunks[0].ID {
		t.Errorf("SearchLexical(operators) = %v, want %s", hitIDs(hits), d.chunks[0].ID)
	}
}
