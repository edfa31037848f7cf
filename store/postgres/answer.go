package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ragkb/ragkb"
)

const answerLogColumns = `id, tenant_id, assistant_id, intent, status, tier, llm_calls, prompt_tokens,
	completion_tokens, latency_ms, created_at, question, language, confidence, citations, model, cost, turn,
	reason, feedback, topic, priority, sentiment`

// RecordAnswer appends l to the answer logs; a zero CreatedAt is filled in.
func (s *Store) RecordAnswer(ctx context.Context, l *ragkb.AnswerLog) error {
	return s.RecordAnswers(ctx, []*ragkb.AnswerLog{l})
}

// RecordAnswers appends answer logs in one batch (one transaction).
func (s *Store) RecordAnswers(ctx context.Context, logs []*ragkb.AnswerLog) error {
	if len(logs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, l := range logs {
		if l.CreatedAt.IsZero() {
			l.CreatedAt = s.clock()
		}
		cites := l.Citations
		if cites == nil {
			cites = []ragkb.LogCitation{}
		}
		cj, err := json.Marshal(cites)
		if err != nil {
			return fmt.Errorf("postgres: record answers: %w", err)
		}
		var fb []byte
		if l.Feedback != nil {
			if fb, err = json.Marshal(l.Feedback); err != nil {
				return fmt.Errorf("postgres: record answers: %w", err)
			}
		}
		b.Queue(`INSERT INTO answer_logs (`+answerLogColumns+`) VALUES
			($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			l.ID, l.TenantID, l.AssistantID, l.Intent, string(l.Status), string(l.Tier), l.LLMCalls, l.PromptTokens,
			l.CompletionTokens, l.LatencyMS, l.CreatedAt, l.Question, l.Language, l.Confidence, cj, l.Model, l.Cost,
			l.Turn, l.Reason, fb, l.Topic, l.Priority, l.Sentiment)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
	return translate("record answers", "answer log", err)
}

// ListAnswerLogs lists a tenant's answer logs created at or after since, oldest first.
func (s *Store) ListAnswerLogs(ctx context.Context, tenantID string, since time.Time) ([]*ragkb.AnswerLog, error) {
	return s.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: tenantID, From: since})
}

// FindAnswerLogs lists a tenant's answer logs in [f.From, f.To), oldest first.
func (s *Store) FindAnswerLogs(ctx context.Context, f ragkb.AnswerLogFilter) ([]*ragkb.AnswerLog, error) {
	q := `SELECT ` + answerLogColumns + ` FROM answer_logs WHERE tenant_id = $1`
	args := []any{f.TenantID}
	if !f.From.IsZero() {
		args = append(args, f.From)
		q += fmt.Sprintf(` AND created_at >= $%d`, len(args))
	}
	if !f.To.IsZero() {
		args = append(args, f.To)
		q += fmt.Sprintf(` AND created_at < $%d`, len(args))
	}
	q += ` ORDER BY created_at, seq`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	rows, _ := s.pool.Query(ctx, q, args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.AnswerLog, error) { return scanAnswerLog(row) })
	if err != nil {
		return nil, translate("list answer logs", "answer log", err)
	}
	return out, nil
}

func scanAnswerLog(row pgx.Row) (*ragkb.AnswerLog, error) {
	var l ragkb.AnswerLog
	var cites, fb []byte
	if err := row.Scan(&l.ID, &l.TenantID, &l.AssistantID, &l.Intent, &l.Status, &l.Tier, &l.LLMCalls, &l.PromptTokens,
		&l.CompletionTokens, &l.LatencyMS, &l.CreatedAt, &l.Question, &l.Language, &l.Confidence, &cites, &l.Model,
		&l.Cost, &l.Turn, &l.Reason, &fb, &l.Topic, &l.Priority, &l.Sentiment); err != nil {
		return nil, err
	}
	l.CreatedAt = utc(l.CreatedAt)
	if len(cites) > 0 && string(cites) != "[]" {
		if err := json.Unmarshal(cites, &l.Citations); err != nil {
			return nil, err
		}
	}
	if fb != nil {
		l.Feedback = &ragkb.Feedback{}
		if err := json.Unmarshal(fb, l.Feedback); err != nil {
			return nil, err
		}
		l.Feedback.UpdatedAt = l.Feedback.UpdatedAt.UTC()
	}
	return &l, nil
}

// GetAnswerLog returns the tenant's answer log with this answer id.
func (s *Store) GetAnswerLog(ctx context.Context, tenantID, id string) (*ragkb.AnswerLog, error) {
	if id == "" {
		return nil, ragkb.NotFound("answer")
	}
	l, err := scanAnswerLog(s.pool.QueryRow(ctx, `SELECT `+answerLogColumns+` FROM answer_logs
		WHERE tenant_id = $1 AND id = $2 ORDER BY seq LIMIT 1`, tenantID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ragkb.NotFound("answer")
	}
	return l, translate("get answer log", "answer log", err)
}

// SetAnswerFeedback replaces the feedback of one of the tenant's answers.
func (s *Store) SetAnswerFeedback(ctx context.Context, tenantID, id string, f *ragkb.Feedback) error {
	if id == "" {
		return ragkb.NotFound("answer")
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("postgres: set answer feedback: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE answer_logs SET feedback = $1 WHERE tenant_id = $2 AND id = $3`, b, tenantID, id)
	if err != nil {
		return translate("set answer feedback", "answer", err)
	}
	if tag.RowsAffected() == 0 {
		return ragkb.NotFound("answer")
	}
	return nil
}

// DeleteAnswerLogs deletes answer logs and returns how many went.
func (s *Store) DeleteAnswerLogs(ctx context.Context, d ragkb.AnswerLogDeletion) (int64, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	switch {
	case d.TenantID != "":
		add("tenant_id = $%d", d.TenantID)
	case d.Before.IsZero():
		return 0, ragkb.Invalid("tenant_id", "deleting every tenant's answer logs needs a cut-off time")
	}
	if d.ID != "" {
		add("id = $%d", d.ID)
	}
	if !d.Before.IsZero() {
		add("created_at < $%d", d.Before)
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM answer_logs WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return 0, translate("delete answer logs", "answer log", err)
	}
	return tag.RowsAffected(), nil
}
