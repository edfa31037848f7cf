package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
)

const answerLogColumns = `id, tenant_id, assistant_id, intent, status, tier, llm_calls, prompt_tokens,
	completion_tokens, latency_ms, created_at, question, language, confidence, citations, model, cost, turn,
	reason, feedback, topic, priority, sentiment`

// RecordAnswer stores one answer log.
func (s *Store) RecordAnswer(ctx context.Context, l *ragkb.AnswerLog) error {
	return s.RecordAnswers(ctx, []*ragkb.AnswerLog{l})
}

// RecordAnswers stores answer logs in one transaction.
func (s *Store) RecordAnswers(ctx context.Context, logs []*ragkb.AnswerLog) error {
	if len(logs) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO answer_logs (`+answerLogColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, l := range logs {
			if l.CreatedAt.IsZero() {
				l.CreatedAt = s.now().UTC()
			}
			cites, fb, err := encodeLogJSON(l)
			if err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, l.ID, l.TenantID, l.AssistantID, l.Intent, string(l.Status), string(l.Tier),
				l.LLMCalls, l.PromptTokens, l.CompletionTokens, l.LatencyMS, l.CreatedAt.UnixNano(), l.Question, l.Language,
				l.Confidence, cites, l.Model, l.Cost, l.Turn, l.Reason, fb, l.Topic, l.Priority, l.Sentiment); err != nil {
				return err
			}
		}
		return nil
	})
	return translate("record answers", "answer log", err)
}

// encodeLogJSON encodes the JSON columns of l (feedback NULL when absent).
func encodeLogJSON(l *ragkb.AnswerLog) (cites string, fb *string, err error) {
	c := l.Citations
	if c == nil {
		c = []ragkb.LogCitation{}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", nil, err
	}
	if l.Feedback != nil {
		f, err := json.Marshal(l.Feedback)
		if err != nil {
			return "", nil, err
		}
		v := string(f)
		fb = &v
	}
	return string(b), fb, nil
}

// ListAnswerLogs lists the tenant's answer logs created at or after since, oldest first.
func (s *Store) ListAnswerLogs(ctx context.Context, tenantID string, since time.Time) ([]*ragkb.AnswerLog, error) {
	return s.FindAnswerLogs(ctx, ragkb.AnswerLogFilter{TenantID: tenantID, From: since})
}

// FindAnswerLogs lists a tenant's answer logs in [f.From, f.To), oldest first.
func (s *Store) FindAnswerLogs(ctx context.Context, f ragkb.AnswerLogFilter) ([]*ragkb.AnswerLog, error) {
	q := `SELECT ` + answerLogColumns + ` FROM answer_logs WHERE tenant_id = ?`
	args := []any{f.TenantID}
	if !f.From.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, f.From.UnixNano())
	}
	if !f.To.IsZero() {
		q += ` AND created_at < ?`
		args = append(args, f.To.UnixNano())
	}
	q += ` ORDER BY created_at, seq`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate("list answer logs", "answer log", err)
	}
	defer rows.Close()
	var out []*ragkb.AnswerLog
	for rows.Next() {
		l, err := scanAnswerLog(rows)
		if err != nil {
			return nil, translate("list answer logs", "answer log", err)
		}
		out = append(out, l)
	}
	return out, translate("list answer logs", "answer log", rows.Err())
}

func scanAnswerLog(row interface{ Scan(...any) error }) (*ragkb.AnswerLog, error) {
	var l ragkb.AnswerLog
	var status, tier, cites string
	var fb sql.NullString
	var created int64
	if err := row.Scan(&l.ID, &l.TenantID, &l.AssistantID, &l.Intent, &status, &tier, &l.LLMCalls, &l.PromptTokens,
		&l.CompletionTokens, &l.LatencyMS, &created, &l.Question, &l.Language, &l.Confidence, &cites, &l.Model, &l.Cost,
		&l.Turn, &l.Reason, &fb, &l.Topic, &l.Priority, &l.Sentiment); err != nil {
		return nil, err
	}
	l.Status, l.Tier, l.CreatedAt = ragkb.AnswerStatus(status), ragkb.Tier(tier), time.Unix(0, created).UTC()
	if cites != "" && cites != "[]" {
		if err := json.Unmarshal([]byte(cites), &l.Citations); err != nil {
			return nil, err
		}
	}
	if fb.Valid {
		l.Feedback = &ragkb.Feedback{}
		if err := json.Unmarshal([]byte(fb.String), l.Feedback); err != nil {
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
	l, err := scanAnswerLog(s.r.QueryRowContext(ctx, `SELECT `+answerLogColumns+` FROM answer_logs
		WHERE tenant_id = ? AND id = ? ORDER BY seq LIMIT 1`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
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
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE answer_logs SET feedback = ? WHERE tenant_id = ? AND id = ?`, string(b), tenantID, id)
	return affected("set answer feedback", "answer", res, err)
}

// DeleteAnswerLogs deletes answer logs and returns how many went.
func (s *Store) DeleteAnswerLogs(ctx context.Context, d ragkb.AnswerLogDeletion) (int64, error) {
	var where []string
	var args []any
	switch {
	case d.TenantID != "":
		where, args = append(where, "tenant_id = ?"), append(args, d.TenantID)
	case d.Before.IsZero():
		return 0, ragkb.Invalid("tenant_id", "deleting every tenant's answer logs needs a cut-off time")
	}
	if d.ID != "" {
		where, args = append(where, "id = ?"), append(args, d.ID)
	}
	if !d.Before.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, d.Before.UnixNano())
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM answer_logs WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return 0, translate("delete answer logs", "answer log", err)
	}
	n, err := res.RowsAffected()
	return n, translate("delete answer logs", "answer log", err)
}
