package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/indexer"
)

// doc is one document of a corpus; Label is the intent it answers ("" for
// synthetic chunks, which only measure cost).
type doc struct {
	ID, Label, Title, Text string
	Kind                   ragkb.DocKind
	// Lang is the document's language ("en" when empty; "-" for unknown).
	Lang string
}

// query is a test question and the intent it belongs to.
type query struct{ Text, Label string }

// corpus is a set of documents and the questions asked of it.
type corpus struct {
	Shape   string
	Docs    []doc
	Queries []query
}

func readLabelled(path string) ([]query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []query
	for i, r := range rows {
		if i == 0 || len(r) < 2 {
			continue
		}
		out = append(out, query{Text: r[0], Label: r[1]})
	}
	return out, nil
}

// byIntent groups training phrasings by intent, intents in first-seen order.
func byIntent(train []query) ([]string, map[string][]string) {
	var order []string
	m := map[string][]string{}
	for _, t := range train {
		if _, ok := m[t.Label]; !ok {
			order = append(order, t.Label)
		}
		m[t.Label] = append(m[t.Label], t.Text)
	}
	return order, m
}

// loadCorpus builds BANKING77-as-FAQ in one of three shapes, or n synthetic
// chunks ("synth-N"):
//   - faq: one Q&A entry per intent, its question the first training
//     phrasing and its text the next four (a FAQ entry with paraphrases);
//   - long: one long page per intent holding every training phrasing;
//   - phrasing: one document per training phrasing (about 10,000).
//
// Queries are the test set (3,080 questions).
func loadCorpus(dataDir, shape string, maxQueries int) (*corpus, error) {
	train, err := readLabelled(filepath.Join(dataDir, "train.csv"))
	if err != nil {
		return nil, err
	}
	test, err := readLabelled(filepath.Join(dataDir, "test.csv"))
	if err != nil {
		return nil, err
	}
	if maxQueries > 0 && len(test) > maxQueries {
		// A fixed sample spread over every intent.
		rng := rand.New(rand.NewPCG(7, 7))
		rng.Shuffle(len(test), func(i, j int) { test[i], test[j] = test[j], test[i] })
		test = test[:maxQueries]
	}
	c := &corpus{Shape: shape, Queries: test}
	order, m := byIntent(train)
	switch {
	case shape == "faq":
		for i, l := range order {
			ph := m[l]
			c.Docs = append(c.Docs, doc{ID: fmt.Sprintf("faq-%d", i), Label: l, Title: ph[0], Text: strings.Join(ph[1:min(5, len(ph))], "\n"), Kind: ragkb.DocQA})
		}
	case shape == "long":
		for i, l := range order {
			ph := m[l]
			c.Docs = append(c.Docs, doc{ID: fmt.Sprintf("long-%d", i), Label: l, Title: ph[0], Text: strings.Join(ph[1:], "\n"), Kind: ragkb.DocPage})
		}
	case shape == "phrasing":
		for i, t := range train {
			c.Docs = append(c.Docs, doc{ID: fmt.Sprintf("ph-%d", i), Label: t.Label, Title: t.Text, Text: t.Text, Kind: ragkb.DocQA})
		}
	case strings.HasPrefix(shape, "synth-"):
		var n int
		if _, err := fmt.Sscanf(shape, "synth-%d", &n); err != nil || n <= 0 {
			return nil, fmt.Errorf("bad shape %q", shape)
		}
		rng := rand.New(rand.NewPCG(42, 42))
		for i := range n {
			var b strings.Builder
			for j := range 6 {
				if j > 0 {
					b.WriteString(" ")
				}
				b.WriteString(train[rng.IntN(len(train))].Text)
			}
			fmt.Fprintf(&b, " Reference %d-%d.", i, rng.IntN(1_000_000))
			c.Docs = append(c.Docs, doc{ID: fmt.Sprintf("syn-%d", i), Title: train[rng.IntN(len(train))].Text, Text: b.String(), Kind: ragkb.DocPage})
		}
		for i := range c.Queries {
			c.Queries[i].Label = ""
		}
	default:
		return nil, fmt.Errorf("unknown shape %q (faq, long, phrasing, synth-N)", shape)
	}
	return c, nil
}

// chunk is a piece of a document as every system indexes it: the pieces
// ragkb's indexer cuts (indexer.Split with its default sizes), each with the
// document's title.
type chunk struct {
	ID, DocID, Title, Text string
}

func chunks(docs []doc) []chunk {
	var out []chunk
	for _, d := range docs {
		size := 900
		if d.Kind == ragkb.DocQA || d.Kind == ragkb.DocOffer {
			size = indexer.MaxQARunes
		}
		pieces := indexer.Split(d.Text, size, 120)
		if len(pieces) == 0 {
			pieces = []string{d.Title}
		}
		for i, p := range pieces {
			out = append(out, chunk{ID: fmt.Sprintf("%s#%d", d.ID, i), DocID: d.ID, Title: d.Title, Text: p})
		}
	}
	return out
}
