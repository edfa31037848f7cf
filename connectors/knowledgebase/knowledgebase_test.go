package knowledgebase

import (
	"context"
	"testing"

	"github.com/ragkb/ragkb"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name      string
		kb        *ragkb.KnowledgeBase
		wantField string
	}{
		{"nil", nil, "knowledge_base"},
		{"empty", &ragkb.KnowledgeBase{}, "knowledge_base"},
		{"ok field", &ragkb.KnowledgeBase{Invoice: "Yes."}, ""},
		{"custom missing answer", &ragkb.KnowledgeBase{Custom: []ragkb.CustomQuestion{{Question: "Q?"}}}, "knowledge_base.custom[0].answer"},
		{"custom missing question", &ragkb.KnowledgeBase{Invoice: "x", Custom: []ragkb.CustomQuestion{{Question: "a", Answer: "b"}, {Answer: "b"}}}, "knowledge_base.custom[1].question"},
		{"duplicate question", &ragkb.KnowledgeBase{Custom: []ragkb.CustomQuestion{{Question: "Ship to CH?", Answer: "b"}, {Question: "ship  to ch?", Answer: "c"}}}, "knowledge_base.custom[1].question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.kb)
			if got := ragkb.ErrorField(err); got != tt.wantField {
				t.Fatalf("field: got %q, want %q (err %v)", got, tt.wantField, err)
			}
			if tt.wantField != "" && ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
				t.Fatalf("code: got %q, want invalid", ragkb.ErrorCodeOf(err))
			}
		})
	}
}

func TestFetchStableSourceIDs(t *testing.T) {
	kb := &ragkb.KnowledgeBase{
		Invoice: "Yes. We issue a VAT invoice for every order.",
		Custom:  []ragkb.CustomQuestion{{Question: "Do you ship to Switzerland?", Answer: "Yes, in 3-5 days.", Examples: []string{"delivery to CH?", " "}}},
	}
	res, err := New().Fetch(context.Background(), &ragkb.Resource{KnowledgeBase: kb, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res.Documents), 2; got != want {
		t.Fatalf("documents: got %d, want %d", got, want)
	}
	inv := res.Documents[0]
	if inv.SourceID != "kb:invoice" || inv.Intent != "invoice" || inv.Text != kb.Invoice || inv.Kind != ragkb.DocQA {
		t.Fatalf("invoice doc: got %+v", inv)
	}
	custom := res.Documents[1]
	if len(custom.Examples) != 1 {
		t.Fatalf("examples: got %q, want blank dropped", custom.Examples)
	}
	// Editing the answer keeps the source id but changes the hash.
	kb.Custom[0].Answer = "No."
	res2, _ := New().Fetch(context.Background(), &ragkb.Resource{KnowledgeBase: kb, Language: "en"})
	if res2.Documents[1].SourceID != custom.SourceID {
		t.Fatalf("source id changed: got %q, want %q", res2.Documents[1].SourceID, custom.SourceID)
	}
	if res2.Documents[1].Hash == custom.Hash {
		t.Fatal("hash did not change after editing the answer")
	}
	if res2.Documents[0].Hash != inv.Hash {
		t.Fatal("hash of an unchanged document changed")
	}
}
