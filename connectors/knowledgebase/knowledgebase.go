// Package knowledgebase turns a merchant's questionnaire (ragkb.KnowledgeBase)
// into approved question-and-answer documents. Each questionnaire field is tied
// to the built-in intent of the same name, so the intent lane can answer it
// verbatim; each custom question keeps its examples for the tenant classifier.
package knowledgebase

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ragkb/ragkb"
)

// Field describes one questionnaire field.
type Field struct {
	Name     string // JSON name and built-in intent name
	Question string // canonical question shown as the citation title
	Get      func(*ragkb.KnowledgeBase) string
}

// Fields lists the questionnaire fields in display order.
var Fields = []Field{
	{"delivery_time", "How long does delivery take?", func(k *ragkb.KnowledgeBase) string { return k.DeliveryTime }},
	{"store_pickup", "Can I pick up my order in the store?", func(k *ragkb.KnowledgeBase) string { return k.StorePickup }},
	{"delivery_methods", "What delivery methods do you offer?", func(k *ragkb.KnowledgeBase) string { return k.DeliveryMethods }},
	{"discounts", "Do you offer discounts?", func(k *ragkb.KnowledgeBase) string { return k.Discounts }},
	{"store_location", "Where is your store?", func(k *ragkb.KnowledgeBase) string { return k.StoreLocation }},
	{"new_products_only", "Do you sell only new products?", func(k *ragkb.KnowledgeBase) string { return k.NewProductsOnly }},
	{"original_products_only", "Are your products original?", func(k *ragkb.KnowledgeBase) string { return k.OriginalProductsOnly }},
	{"warranty", "What warranty do your products have?", func(k *ragkb.KnowledgeBase) string { return k.Warranty }},
	{"invoice", "Do you issue invoices?", func(k *ragkb.KnowledgeBase) string { return k.Invoice }},
}

// Limits on questionnaire input.
const (
	MaxAnswerChars   = 5000
	MaxQuestionChars = 500
	MaxCustom        = 200_000 // beyond one JSON body: sent as NDJSON (API.md, Limits)
	MaxExamples      = 50
)

// Validate checks a questionnaire and names the offending field.
func Validate(kb *ragkb.KnowledgeBase) error {
	if kb == nil {
		return ragkb.Invalid("knowledge_base", "is required for a knowledge_base resource")
	}
	any := false
	for _, f := range Fields {
		v := f.Get(kb)
		if strings.TrimSpace(v) != "" {
			any = true
		}
		if utf8.RuneCountInString(v) > MaxAnswerChars {
			return ragkb.Invalid("knowledge_base."+f.Name, "must be at most %d characters", MaxAnswerChars)
		}
	}
	if len(kb.Custom) > MaxCustom {
		return ragkb.Invalid("knowledge_base.custom", "must have at most %d questions", MaxCustom)
	}
	seen := map[string]int{}
	for i, c := range kb.Custom {
		field := fmt.Sprintf("knowledge_base.custom[%d]", i)
		if strings.TrimSpace(c.Question) == "" {
			return ragkb.Invalid(field+".question", "is required")
		}
		if strings.TrimSpace(c.Answer) == "" {
			return ragkb.Invalid(field+".answer", "is required")
		}
		if utf8.RuneCountInString(c.Question) > MaxQuestionChars {
			return ragkb.Invalid(field+".question", "must be at most %d characters", MaxQuestionChars)
		}
		if utf8.RuneCountInString(c.Answer) > MaxAnswerChars {
			return ragkb.Invalid(field+".answer", "must be at most %d characters", MaxAnswerChars)
		}
		if len(c.Examples) > MaxExamples {
			return ragkb.Invalid(field+".examples", "must have at most %d examples", MaxExamples)
		}
		for j, e := range c.Examples {
			if utf8.RuneCountInString(e) > MaxQuestionChars {
				return ragkb.Invalid(fmt.Sprintf("%s.examples[%d]", field, j), "must be at most %d characters", MaxQuestionChars)
			}
		}
		key := normalise(c.Question)
		if prev, ok := seen[key]; ok {
			return ragkb.Invalid(field+".question", "repeats custom[%d].question", prev)
		}
		seen[key] = i
		any = true
	}
	if !any {
		return ragkb.Invalid("knowledge_base", "has no answers: fill at least one field or add a custom question")
	}
	return nil
}

// Connector reads knowledge_base resources. It needs no network.
type Connector struct{}

// New returns a Connector.
func New() *Connector { return &Connector{} }

// Fetch returns one approved document per filled field and per custom question.
func (c *Connector) Fetch(ctx context.Context, r *ragkb.Resource) (*ragkb.FetchResult, error) {
	if err := Validate(r.KnowledgeBase); err != nil {
		return nil, err
	}
	return &ragkb.FetchResult{Documents: Documents(r.KnowledgeBase, r.Language)}, nil
}

// Documents converts a questionnaire to documents. Source ids are stable:
// "kb:<field>" and "kb:custom:<hash of the normalised question>", so editing an
// answer changes a document instead of replacing it.
func Documents(kb *ragkb.KnowledgeBase, lang string) []*ragkb.Document {
	var docs []*ragkb.Document
	for _, f := range Fields {
		v := strings.TrimSpace(f.Get(kb))
		if v == "" {
			continue
		}
		d := &ragkb.Document{
			SourceID: "kb:" + f.Name,
			Kind:     ragkb.DocQA,
			Title:    f.Question,
			Text:     v,
			Language: lang,
			Intent:   f.Name,
		}
		d.ComputeHash()
		docs = append(docs, d)
	}
	for _, q := range kb.Custom {
		var ex []string
		for _, e := range q.Examples {
			if e = strings.TrimSpace(e); e != "" {
				ex = append(ex, e)
			}
		}
		sum := sha256.Sum256([]byte(normalise(q.Question)))
		d := &ragkb.Document{
			SourceID: "kb:custom:" + hex.EncodeToString(sum[:8]),
			Kind:     ragkb.DocQA,
			Title:    strings.TrimSpace(q.Question),
			Text:     strings.TrimSpace(q.Answer),
			Language: lang,
			Examples: ex,
		}
		d.ComputeHash()
		docs = append(docs, d)
	}
	return docs
}

func normalise(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
