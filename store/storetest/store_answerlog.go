package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// testQuestionLog covers the question log behind /v1/insights: every field
// round-trips, batches are written whole, ranges are [From, To), feedback is
// replaced, and lookups, feedback and deletions never cross tenants.
func testQuestionLog(t *testing.T, s ragkb.Store) {
	ctx := context.Background()
	a, b := newTenant(t, s, "A"), newTenant(t, s, "B")
	full := &ragkb.AnswerLog{
		ID: "ans_full", TenantID: a.ID, AssistantID: "asst_1", Intent: "invoice", Status: ragkb.AnswerAnswered,
		Tier: ragkb.TierPremium, LLMCalls: 1, PromptTokens: 812, CompletionTokens: 96, LatencyMS: 950.5, CreatedAt: at(time.Minute),
		Question: "Czy wystawiacie faktury VAT? [email]", Language: "pl", Confidence: 0.875,
		Citations: []ragkb.LogCitation{{ResourceID: "res_1", ChunkID: "chk_1", Title: "Faktury"}, {ResourceID: "res_2", Title: "Policy"}},
		Model:     "gpt-x", Cost: 0.00042, Turn: 2, Reason: "premium intent",
	}
	batch := []*ragkb.AnswerLog{
		full,
		{ID: "ans_2", TenantID: a.ID, Intent: "none", Status: ragkb.AnswerFallback, Tier: ragkb.TierGrounded, CreatedAt: at(2 * time.Minute), Question: "Gift wrap?", Language: "en"},
		{ID: "ans_3", TenantID: a.ID, Intent: "none", Status: "clarify", Tier: ragkb.TierFast, CreatedAt: at(3 * time.Minute), Question: "Which one?"},
		{ID: "ans_b", TenantID: b.ID, Intent: "none", Status: ragkb.AnswerAgent, Tier: ragkb.TierFast, CreatedAt: at(2 * time.Minute), Question: "B's secret question"},
	}
	must(t, s.RecordAnswers(ctx, batch), "RecordAnswers")
	must(t, s.RecordAnswers(ctx, nil), "RecordAnswers(empty)")

	got, err := s.GetAnswerLog(ctx, a.ID, "ans_full")
	must(t, err, "GetAnswerLog")
	if !reflect.DeepEqual(got, full) {
		t.Errorf("GetAnswerLog = %+v, want %+v", got, full)
	}
	for _, tc := range []struct {
		name string
		f    ragkb.AnswerLogFilter
		want []string
	}{
		{"whole tenant", ragkb.AnswerLogFilter{TenantID: a.ID}, []string{"ans_full", "ans_2", "ans_3"}},
		{"from inclusive, to exclusive", ragkb.AnswerLogFilter{TenantID: a.ID, From: at(2 * time.Minute), To: at(3 * time.Minute)}, []string{"ans_2"}},
		{"limit", ragkb.AnswerLogFilter{TenantID: a.ID, Limit: 2}, []string{"ans_full", "ans_2"}},
		{"other tenant", ragkb.AnswerLogFilter{TenantID: b.ID}, []string{"ans_b"}},
	} {
		logs, err := s.FindAnswerLogs(ctx, tc.f)
		must(t, err, tc.name)
		var ids []string
		for _, l := range logs {
			ids = append(ids, l.ID)
		}
		if !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("%s: FindAnswerLogs = %v, want %v", tc.name, ids, tc.want)
		}
	}

	// Feedback: set, replaced by a repeat, never on another tenant's answer.
	first := &ragkb.Feedback{Helpful: ptr(false), Resolved: ptr(false), Comment: "wrong size chart", UpdatedAt: at(4 * time.Minute)}
	must(t, s.SetAnswerFeedback(ctx, a.ID, "ans_2", first), "SetAnswerFeedback")
	second := &ragkb.Feedback{Helpful: ptr(true), UpdatedAt: at(5 * time.Minute)}
	must(t, s.SetAnswerFeedback(ctx, a.ID, "ans_2", second), "SetAnswerFeedback again")
	got, err = s.GetAnswerLog(ctx, a.ID, "ans_2")
	must(t, err, "GetAnswerLog after feedback")
	if !reflect.DeepEqual(got.Feedback, second) {
		t.Errorf("feedback = %+v, want the replacement %+v", got.Feedback, second)
	}
	for name, err := range map[string]error{
		"GetAnswerLog of A's answer as B":      func() error { _, err := s.GetAnswerLog(ctx, b.ID, "ans_full"); return err }(),
		"SetAnswerFeedback on A's answer as B": s.SetAnswerFeedback(ctx, b.ID, "ans_full", first),
		"GetAnswerLog unknown":                 func() error { _, err := s.GetAnswerLog(ctx, a.ID, "ans_nope"); return err }(),
		"GetAnswerLog empty id":                func() error { _, err := s.GetAnswerLog(ctx, a.ID, ""); return err }(),
		"SetAnswerFeedback unknown":            s.SetAnswerFeedback(ctx, a.ID, "ans_nope", first),
	} {
		if !ragkb.IsNotFound(err) {
			t.Errorf("%s: err = %v, want not found", name, err)
		}
	}
	if got, _ := s.GetAnswerLog(ctx, a.ID, "ans_full"); got == nil || got.Feedback != nil {
		t.Errorf("B's feedback reached A's answer: %+v", got)
	}

	// Deletions.
	if _, err := s.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{}); ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
		t.Errorf("DeleteAnswerLogs of everything: err = %v, want invalid", err)
	}
	if n, err := s.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{TenantID: b.ID, ID: "ans_full"}); err != nil || n != 0 {
		t.Errorf("B deleting A's answer = %d, %v; want 0", n, err)
	}
	if n, err := s.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{TenantID: a.ID, ID: "ans_full"}); err != nil || n != 1 {
		t.Errorf("DeleteAnswerLogs(one) = %d, %v; want 1", n, err)
	}
	if _, err := s.GetAnswerLog(ctx, a.ID, "ans_full"); !ragkb.IsNotFound(err) {
		t.Errorf("deleted answer still found: %v", err)
	}
	// Retention across tenants: only what is older than the cut-off goes.
	if n, err := s.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{Before: at(2*time.Minute + time.Second)}); err != nil || n != 2 {
		t.Errorf("DeleteAnswerLogs(before) = %d, %v; want 2 (A's ans_2 and B's ans_b)", n, err)
	}
	if n, err := s.DeleteAnswerLogs(ctx, ragkb.AnswerLogDeletion{TenantID: a.ID}); err != nil || n != 1 {
		t.Errorf("DeleteAnswerLogs(tenant) = %d, %v; want 1", n, err)
	}
	for _, tn := range []*ragkb.Tenant{a, b} {
		if logs, err := s.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: tn.ID}); err != nil || len(logs) != 0 {
			t.Errorf("tenant %s after deletions: %d logs, %v; want none", tn.Name, len(logs), err)
		}
	}
}
