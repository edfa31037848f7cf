package ragkb_test

import (
	"testing"

	"github.com/ragkb/ragkb"
)

func TestAnswerStats(t *testing.T) {
	logs := []*ragkb.AnswerLog{
		{Intent: "invoice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, LatencyMS: 1},
		{Intent: "invoice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierFast, LatencyMS: 3},
		{Intent: "invoice", Status: ragkb.AnswerFallback, Tier: ragkb.TierGrounded, LatencyMS: 10},
		{Intent: "product_advice", Status: ragkb.AnswerAnswered, Tier: ragkb.TierPremium, LLMCalls: 1, PromptTokens: 500, CompletionTokens: 80, LatencyMS: 900},
	}
	got := ragkb.AnswerStats(logs)
	if len(got) != 2 || got[0].Intent != "invoice" {
		t.Fatalf("rows: got %+v, want invoice first", got)
	}
	inv := got[0]
	if inv.Requests != 3 || inv.Answered != 2 || inv.Fallback != 1 || inv.Tiers["fast"] != 2 || inv.Tiers["grounded"] != 1 {
		t.Fatalf("invoice: got %+v", inv)
	}
	if inv.P50MS != 3 || inv.P95MS != 10 {
		t.Fatalf("invoice latency: got p50=%v p95=%v, want 3 and 10", inv.P50MS, inv.P95MS)
	}
	if pa := got[1]; pa.LLMCalls != 1 || pa.PromptTokens != 500 || pa.CompletionTokens != 80 || pa.Tiers["premium"] != 1 {
		t.Fatalf("product_advice: got %+v", pa)
	}
}
