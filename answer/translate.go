package answer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/lang"
)

// Translation defaults.
const (
	// DefaultTranslationCache is the number of translations kept in memory.
	DefaultTranslationCache = 10000
	// translationTTL bounds how long a cached translation is reused; the
	// key is the text's hash, so an edited approved text is translated
	// afresh at once.
	translationTTL = 24 * time.Hour
	// translationDeadline bounds the wait for a translation: the original
	// answer is ready, so a slow model must not hold the customer longer.
	translationDeadline = 15 * time.Second
)

// Translation outcomes, as counted by ragkb_translations_total{outcome}.
const (
	TranslationDone     = "translated" // the model's translation passed the figure check
	TranslationCached   = "cached"     // a checked translation was reused, no model call
	TranslationRejected = "rejected"   // the figure check failed: the original was returned
	TranslationFailed   = "failed"     // the model failed or sent nothing usable: the original was returned
)

// Translation is the outcome of translating one text.
type Translation struct {
	// Text is the translation, when Outcome is TranslationDone or
	// TranslationCached.
	Text    string
	Outcome string
	// Reason says why it was rejected or failed, for the response: it
	// never repeats an altered figure.
	Reason string
	// Usage is the model call's cost (zero when cached).
	Usage  ragkb.Usage
	detail string // the full verdict, for logs
}

// Translator translates answers with the LLM and checks that every figure,
// code and URL survived; checked translations are cached by text hash and
// language pair (in memory, bounded, lost on restart).
type Translator struct {
	llm   Completer
	cache *expirable.LRU[string, string]
}

// NewTranslator returns a Translator that keeps up to size checked
// translations (DefaultTranslationCache when size <= 0), or nil when model
// is nil.
func NewTranslator(model Completer, size int) *Translator {
	if model == nil {
		return nil
	}
	if size <= 0 {
		size = DefaultTranslationCache
	}
	return &Translator{llm: model, cache: expirable.NewLRU[string, string](size, nil, translationTTL)}
}

// translationKey is the cache key: the tenant (no tenant can tell from the
// timing whether another has the same text), the text's hash and the
// language pair.
func translationKey(tenantID, text, from, to string) string {
	h := sha256.Sum256([]byte(text))
	return tenantID + "|" + hex.EncodeToString(h[:16]) + "|" + from + "|" + to
}

// Translate translates text of a tenant from one language to another
// (ISO 639-1 codes). Only a
// translation that keeps every figure of text (guard.CheckFigures), is in
// the target language and of plausible length is returned; anything else
// comes back with outcome TranslationRejected or TranslationFailed and the
// caller keeps the original.
func (tr *Translator) Translate(ctx context.Context, tenantID, text, from, to string) Translation {
	key := translationKey(tenantID, text, from, to)
	if s, ok := tr.cache.Get(key); ok {
		return Translation{Text: s, Outcome: TranslationCached}
	}
	ctx, cancel := context.WithTimeout(ctx, translationDeadline)
	defer cancel()
	resp, err := tr.llm.Complete(ctx, ragkb.ChatRequest{Messages: BuildTranslationPrompt(text, from, to)})
	if err != nil {
		return Translation{Outcome: TranslationFailed, Reason: "translation model unavailable: " + ragkb.ErrorMessage(err), Usage: ragkb.Usage{LLMCalls: 1}}
	}
	u := ragkb.Usage{LLMCalls: 1, PromptTokens: resp.PromptTokens, CompletionTokens: resp.CompletionTokens, ReasoningTokens: resp.ReasoningTokens}
	out := CleanTranslation(resp.Content)
	if reason := implausible(text, out, to); reason != "" {
		return Translation{Outcome: TranslationFailed, Reason: reason, Usage: u}
	}
	if v := guard.CheckFigures(text, out); !v.OK {
		// The response names what the translation lost, never what it made
		// up: a wrong figure must not reach a customer, even through a
		// developer field.
		reason := "the translation added figures"
		if len(v.Missing) > 0 {
			reason = fmt.Sprintf("the translation changed or lost %q", v.Missing)
		}
		return Translation{Outcome: TranslationRejected, Reason: reason, detail: v.Reason, Usage: u}
	}
	tr.cache.Add(key, out)
	return Translation{Text: out, Outcome: TranslationDone, Usage: u}
}

// implausible says why a reply cannot be the translation of text into to,
// or "" when it can: empty, cut off, far longer or shorter than the
// original, or plainly in another language.
func implausible(text, out, to string) string {
	n, m := utf8.RuneCountInString(text), utf8.RuneCountInString(out)
	switch {
	case m == 0:
		return "the translation is empty"
	case m > 3*n+40 || 3*m+40 < n:
		return fmt.Sprintf("the translation has %d characters for %d in the original", m, n)
	}
	if l, _ := lang.Detect(guard.WithoutLinks(out)); l != "" && l != to {
		return fmt.Sprintf("the translation is in %q, not %q", l, to)
	}
	return ""
}

// customerLanguage is the language a translation is made into: the
// request's language, else the question's when it can be told; "" when
// neither is known.
func (t *turn) customerLanguage() string {
	if t.req.Language != "" {
		return t.req.Language
	}
	l, _ := lang.Detect(t.question)
	return l
}

// translateAnswer translates a fast or grounded answer into the customer's
// language when the assistant allows it ("translate": true), an LLM is
// configured, and the answer's text is in another language. A translation
// that does not keep every figure is discarded and the original returned
// (counted as rejected). The model's tokens count towards the answer's
// usage, hence towards the intent's cost in /v1/stats.
func (t *turn) translateAnswer(resp *ragkb.AnswerResponse) {
	s := t.s
	if resp.Status != ragkb.AnswerAnswered || (resp.Tier != ragkb.TierFast && resp.Tier != ragkb.TierGrounded) {
		return
	}
	to := t.customerLanguage()
	from, _ := lang.Detect(guard.WithoutLinks(resp.Answer))
	if from == "" || to == "" || from == to {
		return
	}
	if resp.AnswerLanguage == "" {
		resp.AnswerLanguage = from
	}
	if s.translator == nil || t.sc.assistant == nil || !t.sc.assistant.Translate {
		return
	}
	tr := s.translator.Translate(t.ctx, t.tenantID, resp.Answer, from, to)
	resp.Usage.LLMCalls += tr.Usage.LLMCalls
	resp.Usage.PromptTokens += tr.Usage.PromptTokens
	resp.Usage.CompletionTokens += tr.Usage.CompletionTokens
	resp.Usage.ReasoningTokens += tr.Usage.ReasoningTokens
	s.cfg.Metrics.translated(tr.Outcome)
	if tr.Outcome != TranslationDone && tr.Outcome != TranslationCached {
		s.log.Warn("answer: translation discarded, original returned", "tenant_id", t.tenantID,
			"outcome", tr.Outcome, "from", from, "to", to, "reason", cmp.Or(tr.detail, tr.Reason))
		resp.Reason = tr.Reason + ": original text returned"
		return
	}
	resp.Answer, resp.AnswerLanguage, resp.Translated = tr.Text, to, true
}
