package main

import (
	"context"
	"os"
	"testing"

	"github.com/ragkb/ragkb/internal/testenv"
)

// shopEval runs a shop question set against a fresh service with env. The
// failures of the held-out set are listed only with RAGKB_SHOPSET_VERBOSE=1,
// so tuning does not look at them.
func shopEval(t *testing.T, env map[string]string, setJSON []byte, heldOut bool) *shopReport {
	t.Helper()
	ctx := context.Background()
	e, err := newBenchEnv(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	rep, err := runShopEval(ctx, e, setJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !heldOut || os.Getenv("RAGKB_SHOPSET_VERBOSE") != "" {
		for _, o := range rep.Outcomes {
			if o.Verdict != "right" {
				t.Logf("%-7s %s %-20s %q -> %s (%s)", o.Verdict, o.Lang, o.Expect, o.Question, o.Got, o.Detail)
			}
		}
	}
	t.Logf("right %.1f%%, wrong %.1f%%, refused %.1f%% of %d (clarify %d)", 100*rep.share(rep.Right), 100*rep.share(rep.Wrong), 100*rep.share(rep.Refused), rep.total(), rep.Clarify)
	return rep
}

// semanticShopEnv is the service configuration of the semantic shop runs.
func semanticShopEnv(t *testing.T) map[string]string {
	url := testenv.EmbeddingURL(t)
	return map[string]string{
		"RAGKB_EMBEDDER": "openai", "RAGKB_EMBEDDING_URL": url, "RAGKB_EMBEDDING_MODEL": testenv.EmbeddingModel,
		"RAGKB_EMBEDDING_MODALITY": "input_type", "RAGKB_EMBEDDING_TIMEOUT": "300s", "RAGKB_EMBEDDING_QUERY_TIMEOUT": "300s",
	}
}

// checkShares fails the test when rep has more wrong or fewer right answers
// than the floors.
func checkShares(t *testing.T, rep *shopReport, maxWrong, minRight float64) {
	t.Helper()
	if w := rep.share(rep.Wrong); w > maxWrong {
		t.Errorf("wrong share %.3f, want at most %.3f", w, maxWrong)
	}
	if r := rep.share(rep.Right); r < minRight {
		t.Errorf("right share %.3f, want at least %.3f", r, minRight)
	}
}

// The floors are the shares measured (see BENCHMARKS.md, "Shop question
// set"), below the targets of issue 9 where those are not reached yet: they
// stop regressions.
func TestShopSetLocal(t *testing.T) {
	// Measured 96.7% right, 0% wrong once a custom text covering the
	// question's country counts its linked built-in intent (2026-12-03);
	// 96.7%, 0% too with the assembly, repair, trade-in and
	// try-before-buying built-ins.
	checkShares(t, shopEval(t, nil, shopSetJSON, false), 0.03, 0.96)
}

func TestShopSetSemantic(t *testing.T) {
	// Measured 97.8% right, 0% wrong with language centring, the same
	// with the four service built-ins (issue 9's targets: ≥ 95%, ≤ 2%).
	checkShares(t, shopEval(t, semanticShopEnv(t), shopSetJSON, false), 0.02, 0.97)
}

func TestShopSet2Local(t *testing.T) {
	// Held out: measured 70.3% right, 3.0% wrong; 70.9%, 3.0% with the
	// four service built-ins; 71.5%, 2.4% with topic words, anchored
	// questions and vetoed texts of other topics weighing against a
	// covering text; 73.3%, 2.4% with the shop concepts of
	// internal/lexicon in the cross-language FAQ lookup; 73.9%, 2.4% once
	// the lane and retrieval agreeing on a text answers.
	checkShares(t, shopEval(t, nil, shopSet2JSON, true), 0.03, 0.73)
}

func TestShopSet2Semantic(t *testing.T) {
	// Held out: measured 86.1% right, 2.4% wrong with language centring
	// (80.0%, 3.6% without; main before issue 9's lane work: 72.7%, 5.5%);
	// 85.5%, 2.4% with the four service built-ins; 85.5%, 1.8% once
	// vetoed texts of other topics weigh against a covering text. The
	// right target (≥ 95%) is not reached; 86.1%, 1.8% with the shop
	// concepts of internal/lexicon in the cross-language FAQ lookup; 88.5%,
	// 1.8% once the lane and retrieval agreeing on a text answers.
	checkShares(t, shopEval(t, semanticShopEnv(t), shopSet2JSON, true), 0.025, 0.875)
}

func TestShopSet3Local(t *testing.T) {
	// Development set, first run (2026-12-03): 63.6% right, 1.7% wrong;
	// 64.8%, 1.7% once a mistyped card number went to an agent; 67.0%,
	// 1.7% once a custom text covering the question's country counts;
	// 70.5%, 1.7% once instalments are a payment method of their own;
	// 77.8%, 1.1% with the four service built-ins (written for this set's
	// topics, so this set overstates their gain); 80.1%, 1.1% with topic
	// words and anchored questions; 80.7%, 1.1% with the shop concepts of
	// internal/lexicon (written knowing this set's topics).
	checkShares(t, shopEval(t, nil, shopSet3JSON, false), 0.02, 0.80)
}

func TestShopSet3Semantic(t *testing.T) {
	// Development set, first semantic run (2026-12-03): 68.2% right, 2.8%
	// wrong; 68.8%, 2.8% once a custom text covering the question's
	// country counts; 73.3%, 2.3% once instalments are a payment method of
	// their own; 81.8%, 1.7% with language centring; 85.2%, 1.7% with the
	// four service built-ins; 85.8%, 1.1% once vetoed texts of other
	// topics weigh against a covering text ("La garanzia vale anche in
	// Italia…" got the abroad text); 86.9%, 1.1% with the shop concepts
	// of internal/lexicon (written knowing this set's topics).
	checkShares(t, shopEval(t, semanticShopEnv(t), shopSet3JSON, false), 0.02, 0.86)
}

func TestShopSet4Local(t *testing.T) {
	// Held out: measured 65.4% right, 2.8% wrong, 31.8% refused on its
	// first run (2026-12-04, main at ffe0bff); 65.9%, 2.8% with the shop
	// concepts of internal/lexicon, whose list was written knowing this
	// set's custom topics (so not a held-out figure for them).
	checkShares(t, shopEval(t, nil, shopSet4JSON, true), 0.03, 0.65)
}

func TestShopSet4Semantic(t *testing.T) {
	// Held out: measured 71.5% right, 2.8% wrong, 25.7% refused on its
	// first run (2026-12-04, main at ffe0bff); 72.1%, 2.8% with the shop
	// concepts of internal/lexicon (written knowing this set's topics);
	// 74.9%, 2.8% once the lane and retrieval agreeing on a text answers.
	checkShares(t, shopEval(t, semanticShopEnv(t), shopSet4JSON, true), 0.03, 0.74)
}

func TestShopSet5Local(t *testing.T) {
	// Held out: measured 66.5% right, 1.1% wrong, 32.4% refused on its
	// first run (2026-12-04, main at d745a34), the same with the shop
	// concepts of internal/lexicon.
	checkShares(t, shopEval(t, nil, shopSet5JSON, true), 0.03, 0.66)
}

func TestShopSet5Semantic(t *testing.T) {
	// Held out: measured 73.5% right, 1.6% wrong, 24.9% refused on its
	// first run (2026-12-04, main at d745a34), the same with the shop
	// concepts of internal/lexicon; 75.7%, 1.6% once the lane and
	// retrieval agreeing on a text answers.
	checkShares(t, shopEval(t, semanticShopEnv(t), shopSet5JSON, true), 0.03, 0.75)
}
