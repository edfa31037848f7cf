package triage

import (
	"slices"
	"strings"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name, text                 string
		intent                     string
		priority, sentiment, topic string
		needsAgent                 bool
		tag                        string
	}{
		{"polish anger, diacritics dropped", "to jest skandal, zamowienie nadal nie dotarlo, pisze juz trzeci raz", "", "urgent", "negative", "delivery", true, TagRepeatContact},
		{"negated praise is not praise", "Je ne suis pas du tout satisfait de la qualité.", "", "high", "negative", "product", false, TagUnhappy},
		{"no problem is not a problem", "No problem, thanks, I will wait.", "", "low", "positive", "other", false, TagThanks},
		{"thanks in advance is politeness", "Do you ship to Austria? Thanks in advance.", "delivery_methods", "normal", "neutral", "delivery", false, ""},
		{"a hypothetical damage is a question", "What happens if my parcel arrives damaged?", "returns", "normal", "neutral", "returns", false, ""},
		{"guten Morgen is no deadline", "Guten Morgen, gibt es die Jacke in Größe L?", "product_question", "normal", "neutral", "product", false, ""},
		{"deadline question", "Me voy de viaje el viernes, ¿llegará el pedido antes?", "delivery_time", "high", "neutral", "delivery", false, TagDeadline},
		{"shouting", "WHERE IS MY ORDER I PAID TWO WEEKS AGO", "order_status", "urgent", "negative", "delivery", true, TagAnger},
		{"billing error", "Mi avete addebitato due volte il pagamento.", "payment", "high", "negative", "billing", true, TagBillingError},
		{"cancel is an action", "Bitte stornieren Sie meine Bestellung.", "", "high", "neutral", "other", true, TagCancel},
		{"greeting", "hello", "greeting", "low", "neutral", "other", false, ""},
	} {
		in := Input{Text: tc.text}
		if tc.intent != "" {
			in.Intent = &ragkb.IntentMatch{Name: tc.intent, Confidence: 0.9}
		}
		got := Classify(in)
		if got.Priority != tc.priority || got.Sentiment != tc.sentiment || got.Topic != tc.topic || got.NeedsAgent != tc.needsAgent ||
			tc.tag != "" && !slices.Contains(got.Tags, tc.tag) {
			t.Errorf("%s: got %s/%s/%s/needs_agent=%v tags %v, want %s/%s/%s/needs_agent=%v tag %q", tc.name,
				got.Priority, got.Sentiment, got.Topic, got.NeedsAgent, got.Tags, tc.priority, tc.sentiment, tc.topic, tc.needsAgent, tc.tag)
		}
	}
}

func TestClassifyUsesRoutingAndConversation(t *testing.T) {
	got := Classify(Input{Text: "hello", Routing: &guard.Routing{ToAgent: true, Reason: guard.ReasonLegal}})
	if got.Priority != ragkb.PriorityUrgent || !got.NeedsAgent || !slices.Contains(got.Tags, TagLegalThreat) {
		t.Errorf("legal routing: got %+v", got)
	}
	earlier := []string{"My order has not arrived yet.", "Any news? Still not arrived."}
	got = Classify(Input{Text: "Hello? The parcel is still not here.", Earlier: earlier})
	if !slices.Contains(got.Tags, TagRepeatContact) || got.Priority == ragkb.PriorityNormal || got.Priority == ragkb.PriorityLow {
		t.Errorf("third message about a late parcel: got %+v", got)
	}
	if got := Classify(Input{Text: "Hello? The parcel is still not here."}); slices.Contains(got.Tags, TagRepeatContact) && got.Priority == ragkb.PriorityUrgent {
		t.Errorf("first message: got %+v", got)
	}
}

func TestRules(t *testing.T) {
	yes, no := true, false
	complaint := Input{Text: "I'm disappointed, the colour is different from the photo.", Intent: &ragkb.IntentMatch{Name: "complaint", Confidence: 0.95}}
	for _, tc := range []struct {
		name       string
		rules      []ragkb.TriageRule
		priority   string
		needsAgent bool
	}{
		{"no rules", nil, "high", false},
		{"complaint + negative → urgent", []ragkb.TriageRule{{When: ragkb.TriageWhen{Intent: []string{"complaint"}, Sentiment: []string{"negative"}}, Priority: "urgent"}}, "urgent", true},
		{"not matching", []ragkb.TriageRule{{When: ragkb.TriageWhen{Language: []string{"pl"}}, Priority: "urgent"}}, "high", false},
		{"first match wins", []ragkb.TriageRule{
			{When: ragkb.TriageWhen{Topic: []string{"product"}}, Priority: "low", NeedsAgent: &no},
			{When: ragkb.TriageWhen{Intent: []string{"complaint"}}, Priority: "urgent"},
		}, "low", false},
		{"needs_agent only", []ragkb.TriageRule{{When: ragkb.TriageWhen{Tag: []string{TagUnhappy}}, NeedsAgent: &yes}}, "high", true},
	} {
		in := complaint
		in.Config = &ragkb.TriageConfig{Rules: tc.rules}
		got := Classify(in)
		if got.Priority != tc.priority || got.NeedsAgent != tc.needsAgent {
			t.Errorf("%s: got %s needs_agent=%v (reasons %v), want %s needs_agent=%v", tc.name, got.Priority, got.NeedsAgent, got.Reasons, tc.priority, tc.needsAgent)
		}
		if len(tc.rules) > 0 && tc.priority != "high" && !strings.Contains(strings.Join(got.Reasons, ";"), "assistant rule") {
			t.Errorf("%s: reasons %v do not name the rule", tc.name, got.Reasons)
		}
	}
}

func TestValidate(t *testing.T) {
	rule := func(w ragkb.TriageWhen, p string) *ragkb.TriageConfig {
		return &ragkb.TriageConfig{Rules: []ragkb.TriageRule{{When: w, Priority: p}}}
	}
	for _, tc := range []struct {
		name  string
		cfg   *ragkb.TriageConfig
		field string // "" = valid
	}{
		{"nil", nil, ""},
		{"valid", rule(ragkb.TriageWhen{Intent: []string{"complaint"}, Sentiment: []string{"negative"}}, "urgent"), ""},
		{"custom intent", rule(ragkb.TriageWhen{Intent: []string{"custom:doc_abc"}}, "high"), ""},
		{"bad priority", rule(ragkb.TriageWhen{Intent: []string{"complaint"}}, "asap"), "triage.rules[0].priority"},
		{"no priority", rule(ragkb.TriageWhen{Intent: []string{"complaint"}}, ""), "triage.rules[0].priority"},
		{"no condition", rule(ragkb.TriageWhen{}, "low"), "triage.rules[0].when"},
		{"bad sentiment", rule(ragkb.TriageWhen{Sentiment: []string{"neutral", "angry"}}, "low"), "triage.rules[0].when.sentiment[1]"},
		{"bad tag", rule(ragkb.TriageWhen{Tag: []string{"vip"}}, "low"), "triage.rules[0].when.tag[0]"},
		{"bad language", rule(ragkb.TriageWhen{Language: []string{"pol"}}, "low"), "triage.rules[0].when.language[0]"},
		{"bad intent", rule(ragkb.TriageWhen{Intent: []string{"Not An Intent"}}, "low"), "triage.rules[0].when.intent[0]"},
		{"bad topic name", &ragkb.TriageConfig{Topics: map[string]string{"subscription": "Billing!"}}, "triage.topics.subscription"},
		{"too many rules", &ragkb.TriageConfig{Rules: make([]ragkb.TriageRule, MaxRules+1)}, "triage.rules"},
	} {
		err := Validate(tc.cfg, "triage")
		var field string
		if e, ok := err.(*ragkb.Error); ok {
			field = e.Field
		} else if err != nil {
			t.Fatalf("%s: error %v is not a *ragkb.Error", tc.name, err)
		}
		if field != tc.field || (tc.field == "") != (err == nil) {
			t.Errorf("%s: got field %q (%v), want %q", tc.name, field, err, tc.field)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "!!", "ÄÖÜ ß", "nie nie nie", "n'importe quoi", "WHERE IS MY ORDER", "¿¡", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Classify(Input{Text: s, Routing: &guard.Routing{}})
		if !slices.Contains(priorities, got.Priority) || !slices.Contains(sentiments, got.Sentiment) || got.Topic == "" || got.Reasons == nil || got.Tags == nil {
			t.Fatalf("Classify(%q) = %+v", s, got)
		}
	})
}
