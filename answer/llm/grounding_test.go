package llm

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer"
	"github.com/ragkb/ragkb/answer/guard"
)

// TestCompleteThenCheck runs the premium tier's path end to end against the
// fake API: build the prompt from sources, complete, read the citations,
// and let guard.Check judge the reply.
func TestCompleteThenCheck(t *testing.T) {
	sources := []answer.PromptSource{
		{N: 1, Title: "Shipping", URL: "https://shop.example/shipping", Text: "Standard delivery costs €4.99 and takes 2-3 working days. Orders over €49 ship free of charge."},
		{N: 2, Title: "Returns", URL: "https://shop.example/returns", Text: "Returns are accepted within 30 days of delivery."},
	}
	texts := make([]string, len(sources))
	for i, s := range sources {
		texts[i] = s.Text
	}
	tests := []struct {
		name, reply   string
		wantOK        bool
		wantCitations []int
		wantFlagged   string
	}{
		{"faithful", "Standard delivery costs €4.99 and takes 2-3 working days [1]. You can return items within 30 days of delivery [2].", true, []int{1, 2}, ""},
		{"invented price", "Standard delivery costs €3.99 and takes 2-3 working days [1].", false, []int{1}, "€3.99"},
		{"invented discount", "Use code WELCOME10 for 10% off your first order [1].", false, []int{1}, "WELCOME10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, completion(tt.reply, 230, 40))
			c := newClient(t, f.srv.URL, &sleeper{}, nil)
			resp, err := c.Complete(context.Background(), ragkb.ChatRequest{Messages: answer.BuildPrompt("How much is delivery?", "en", sources)})
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			msgs := f.bodies[0]["messages"].([]any)
			if user := msgs[1].(map[string]any)["content"].(string); !strings.Contains(user, "€4.99") || !strings.Contains(user, `<source id="2">`) {
				t.Errorf("prompt sent lacks the sources:\n%s", user)
			}
			if got := answer.ParseCitations(resp.Content); !slices.Equal(got, tt.wantCitations) {
				t.Errorf("citations = %v, want %v", got, tt.wantCitations)
			}
			v := guard.Check(resp.Content, texts)
			if v.OK != tt.wantOK {
				t.Fatalf("Check OK = %v, want %v (%+v)", v.OK, tt.wantOK, v)
			}
			if tt.wantFlagged != "" && !slices.Contains(v.Unsupported, tt.wantFlagged) {
				t.Errorf("Unsupported = %q, want %q among them", v.Unsupported, tt.wantFlagged)
			}
		})
	}
}
