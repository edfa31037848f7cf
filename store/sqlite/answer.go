package sqlite

import (
	"context"
	"time"

	"github.com/ragkb/ragkb"
)

// RecordAnswer stores one answer log.
func (s *Store) RecordAnswer(ctx context.Context, l *ragkb.AnswerLog) error {
	if l.CreatedAt.IsZero() {
		l.CreatedAt = s.now().UTC()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO answer_logs (tenant_id, assistant_id, intent, status, tier, llm_calls,
		prompt_tokens, completion_tokens, latency_ms, topic, priority, sentiment, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.TenantID, l.AssistantID, l.Intent, string(l.Status), string(l.Tier), l.LLMCalls, l.PromptTokens,
		l.CompletionTokens, l.LatencyMS, l.Topic, l.Priority, l.Sentiment, l.CreatedAt.UnixNano())
	return translate("record answer", "answer log", err)
}

// ListAnswerLogs lists the tenant's answer logs created at or after since, oldest first.
func (s *Store) ListAnswerLogs(ctx context.Context, tenantID string, since time.Time) ([]*ragkb.AnswerLog, error) {
	var from int64
	if !since.IsZero() {
		from = since.UnixNano()
	}
	rows, err := s.r.QueryContext(ctx, `SELECT tenant_id, assistant_id, intent, status, tier, llm_calls, prompt_tokens,
		completion_tokens, latency_ms, topic, priority, sentiment, created_at FROM answer_logs WHERE tenant_id = ? AND created_at >= ?
		ORDER BY created_at, seq`, tenantID, from)
	if err != nil {
		return nil, translate("list answer logs", "answer log", err)
	}
	defer rows.Close()
	var out []*ragkb.AnswerLog
	for rows.Next() {
		var l ragkb.AnswerLog
		var status, tier string
		var created int64
		if err := rows.Scan(&l.TenantID, &l.AssistantID, &l.Intent, &status, &tier, &l.LLMCalls, &l.PromptTokens,
			&l.CompletionTokens, &l.LatencyMS, &l.Topic, &l.Priority, &l.Sentiment, &created); err != nil {
			return nil, translate("list answer logs", "answer log", err)
		}
		l.Status, l.Tier, l.CreatedAt = ragkb.AnswerStatus(status), ragkb.Tier(tier), time.Unix(0, created).UTC()
		out = append(out, &l)
	}
	return out, translate("list answer logs", "answer log", rows.Err())
}
