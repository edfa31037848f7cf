package main

import (
	"context"
	"encoding/json"
	"testing"
)

// withQuestions returns the shop set setJSON with its questions replaced by
// qs ([expect, language, question]) and no follow-ups.
func withQuestions(t *testing.T, setJSON []byte, qs [][3]string) []byte {
	t.Helper()
	var set map[string]any
	if err := json.Unmarshal(setJSON, &set); err != nil {
		t.Fatal(err)
	}
	set["questions"], set["follow_ups"] = qs, [][4]string{}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLaneAndRetrievalAgreeSemantic: a custom question of a French
// questionnaire asked in another language, which the lane ranks first
// without the confidence to answer alone and retrieval finds just below
// its threshold, is answered with that custom text when both point at it.
// A question naming a concept the text lacks is not: "Przechowujecie
// rowery przez zimę?" (winter storage) over the Polish bike shop's
// test-ride text. Without the agreement step the Spanish and Italian
// questions fall back (measured).
func TestLaneAndRetrievalAgreeSemantic(t *testing.T) {
	env := semanticShopEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		set  []byte
		qs   [][3]string
	}{
		{"furniture shop (fr)", shopSet4JSON, [][3]string{
			{"samples", "es", "¿Puedo pedir muestras de tela antes de comprar el sofá?"},
			{"samples", "de", "Kann ich Stoffmuster bestellen?"},
			{"care", "it", "Come si pulisce un tavolo in legno massello?"},
		}},
		{"bike shop (pl)", shopSet3JSON, [][3]string{
			{"refuse", "pl", "Przechowujecie rowery przez zimę?"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := newBenchEnv(ctx, env)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			rep, err := runShopEval(ctx, e, withQuestions(t, tc.set, tc.qs))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range rep.Outcomes {
				if o.Verdict != "right" {
					t.Errorf("%s %q (want %s): %s -> %s (%s)", o.Lang, o.Question, o.Expect, o.Verdict, o.Got, o.Detail)
				}
			}
		})
	}
}
