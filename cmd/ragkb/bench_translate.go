package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer"
	"github.com/ragkb/ragkb/answer/llm"
	"github.com/ragkb/ragkb/internal/translateset"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"translate", benchTranslate})
}

// translateResult is the outcome of one case of the translation bench.
type translateResult struct {
	kind, outcome            string
	latency                  time.Duration
	prompt, completion, call int
}

// runTranslateSet translates every case of internal/translateset through
// answer.Translator and the real llm.Client, against an httptest server
// shaped like OpenAI's chat completions that plays translateset.Translate
// (the fake model that sometimes spoils a figure). Tokens are the fake's
// estimate (characters / 4, rounded up), not a real tokenizer's count.
func runTranslateSet(ctx context.Context) ([]translateResult, time.Duration, error) {
	cases := translateset.Cases()
	bySource := map[string]translateset.Case{}
	for _, c := range cases {
		bySource[c.Source] = c
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Messages []ragkb.Message `json:"messages"`
		}
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) != 2 {
			http.Error(w, `{"error": {"message": "bad request", "type": "invalid_request_error", "param": null, "code": null}}`, http.StatusBadRequest)
			return
		}
		src := strings.TrimSuffix(strings.TrimPrefix(req.Messages[1].Content, "<text>\n"), "\n</text>")
		c, ok := bySource[src]
		if !ok {
			http.Error(w, `{"error": {"message": "unknown text", "type": "invalid_request_error", "param": null, "code": null}}`, http.StatusBadRequest)
			return
		}
		out, _ := translateset.Translate(c)
		prompt := (utf8.RuneCountInString(req.Messages[0].Content+req.Messages[1].Content) + 3) / 4
		completion := (utf8.RuneCountInString(out) + 3) / 4
		body, _ := json.Marshal(out)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id": "chatcmpl-bench", "object": "chat.completion", "created": %d, "model": "gpt-4.1-mini-2025-04-14",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": %s, "refusal": null, "annotations": []}, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": %d, "completion_tokens": %d, "total_tokens": %d}}`, time.Now().Unix(), body, prompt, completion, prompt+completion)
	}))
	defer srv.Close()
	client, err := llm.New(llm.Config{URL: srv.URL, Model: "gpt-4.1-mini", APIKey: "bench", MaxRetries: -1})
	if err != nil {
		return nil, 0, err
	}
	tr := answer.NewTranslator(client, 0)
	var out []translateResult
	for _, c := range cases {
		_, kind := translateset.Translate(c)
		start := time.Now()
		t := tr.Translate(ctx, "ten_bench", c.Source, c.From, c.To)
		out = append(out, translateResult{kind: kind, outcome: t.Outcome, latency: time.Since(start),
			prompt: t.Usage.PromptTokens, completion: t.Usage.CompletionTokens, call: t.Usage.LLMCalls})
	}
	// a second pass over the accepted texts: they come from the cache
	start, n := time.Now(), 0
	for i, c := range cases {
		if out[i].outcome != answer.TranslationDone {
			continue
		}
		n++
		if t := tr.Translate(ctx, "ten_bench", c.Source, c.From, c.To); t.Outcome != answer.TranslationCached {
			return nil, 0, fmt.Errorf("case %d: second translation %s, want cached", c.ID, t.Outcome)
		}
	}
	return out, time.Since(start) / time.Duration(max(n, 1)), nil
}

// benchTranslate reports the translation guardrail on the set.
func benchTranslate(ctx context.Context, w io.Writer, progress io.Writer) error {
	fmt.Fprintf(progress, "bench: translation guardrail...\n")
	res, cachedPer, err := runTranslateSet(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "## Translation guardrail\n\n")
	fmt.Fprintf(w, "%d approved texts with figures (`internal/translateset`: 4 parallel templates × 5 figure sets × 6 source languages; prices, thresholds, percentages, dates, times, discount codes, order numbers, SKUs, postcodes, URLs, e-mails), each translated into another of the six languages by a fake model behind an OpenAI-shaped `httptest` server, through `answer.Translator` and `llm.Client`. The fake returns the faithful translation, or spoils it (a changed digit, currency, code, date or time, a dropped URL), or reformats a number or date without changing its value (`1 299,00 zł` → `1299.00 zł`, `1 299,00 €` → `1,299.00 €` in English, `31.08.2026` → `31/08/2026`). A spoiled translation must be rejected (the original text is returned); a faithful or reformatted one should pass. Latency is the whole call over loopback (prompt, HTTP, JSON, figure check, language check), not a real model's; tokens are the fake's estimate (characters / 4).\n\n", len(res))
	kinds := map[string][2]int{} // kind -> cases, accepted
	var lat []time.Duration
	prompt, completion, calls := 0, 0, 0
	spoiledPassed, goodRejected, good, spoiled := 0, 0, 0, 0
	for _, r := range res {
		accepted := r.outcome == answer.TranslationDone
		k := kinds[r.kind]
		k[0]++
		if accepted {
			k[1]++
		}
		kinds[r.kind] = k
		if translateset.Good(r.kind) {
			good++
			if !accepted {
				goodRejected++
			}
		} else {
			spoiled++
			if accepted {
				spoiledPassed++
			}
		}
		lat = append(lat, r.latency)
		prompt += r.prompt
		completion += r.completion
		calls += r.call
	}
	fmt.Fprintf(w, "| translation | cases | passed the check | rejected |\n|---|---:|---:|---:|\n")
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		gi, gj := translateset.Good(names[i]), translateset.Good(names[j])
		if gi != gj {
			return gi
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		v := kinds[k]
		fmt.Fprintf(w, "| %s | %d | %d | %d |\n", k, v[0], v[1], v[0]-v[1])
	}
	slices.Sort(lat)
	fmt.Fprintf(w, "\n**Spoiled translations that passed: %d of %d.** Good translations wrongly rejected: %d of %d (%.1f%%).\n\n",
		spoiledPassed, spoiled, goodRejected, good, 100*float64(goodRejected)/float64(max(good, 1)))
	fmt.Fprintf(w, "| per translation | value |\n|---|---:|\n")
	fmt.Fprintf(w, "| model calls | %.2f |\n| prompt tokens (estimate) | %.0f |\n| completion tokens (estimate) | %.0f |\n",
		float64(calls)/float64(len(res)), float64(prompt)/float64(len(res)), float64(completion)/float64(len(res)))
	fmt.Fprintf(w, "| latency p50 / p95, fake model over loopback | %v / %v |\n| cached (second ask of an accepted text) | %v |\n\n",
		lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*95/100].Round(time.Microsecond), cachedPer.Round(100*time.Nanosecond))
	fmt.Fprintf(w, "Reproduce: `go run ./cmd/ragkb bench -sections translate`; the same set is asserted by `go test ./answer/guard -run CheckFiguresOnTheSet` and timed by `go test ./answer/guard -bench CheckFigures` and `go test ./answer -bench Translate`.\n\n")
	return nil
}
