package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

// Insights is the question log and what is learnt from it (insights.Service).
type Insights interface {
	// Flush writes the answers still queued for the log.
	Flush(ctx context.Context) error
	Feedback(ctx context.Context, tenantID, answerID string, f *ragkb.Feedback) error
	Answer(ctx context.Context, tenantID, answerID string) (*ragkb.AnswerLog, error)
	DeleteAnswer(ctx context.Context, tenantID, answerID string) error
	DeleteLog(ctx context.Context, tenantID string, before time.Time) (int64, error)
	Report(ctx context.Context, q ragkb.InsightsQuery) (*ragkb.InsightsReport, error)
	TopicQuestions(ctx context.Context, q ragkb.InsightsQuery, topicID string) (*ragkb.InsightsTopic, []string, error)
	// SelectQuestions returns the questions of all that the merchant chose
	// (all when chosen is empty); one not in all is EINVALID.
	SelectQuestions(all, chosen []string) ([]string, error)
	AddExamples(kb *ragkb.KnowledgeBase, question, answer string, questions []string) (*ragkb.AppliedTopic, error)
}

// maxCommentChars bounds a feedback comment.
const maxCommentChars = 2000

// insightsOr answers 503 when the service runs without a question log.
func (s *Server) insightsOr(c *gin.Context) (Insights, bool) {
	if s.d.Insights == nil {
		writeError(c, s.log, ragkb.Errorf(ragkb.EUNAVAILABLE, "insights are not configured on this server"))
		return nil, false
	}
	return s.d.Insights, true
}

type feedbackRequest struct {
	Helpful  *bool  `json:"helpful"`
	Resolved *bool  `json:"resolved"`
	Comment  string `json:"comment"`
}

func (s *Server) handleAnswerFeedback() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		var req feedbackRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		comment := strings.TrimSpace(req.Comment)
		switch {
		case req.Helpful == nil && req.Resolved == nil && comment == "":
			writeError(c, s.log, ragkb.Invalid("helpful", "give helpful, resolved or a comment"))
			return
		case utf8.RuneCountInString(comment) > maxCommentChars:
			writeError(c, s.log, ragkb.Invalid("comment", "must be at most %d characters", maxCommentChars))
			return
		}
		// Insights.Feedback redacts personal data from the comment.
		f := &ragkb.Feedback{Helpful: req.Helpful, Resolved: req.Resolved, Comment: comment}
		if err := in.Feedback(c.Request.Context(), tenantOf(c), c.Param("id"), f); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func (s *Server) handleGetAnswer() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		l, err := in.Answer(c.Request.Context(), tenantOf(c), c.Param("id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		l.TenantID = ""
		c.JSON(http.StatusOK, l)
	}
}

func (s *Server) handleDeleteAnswer() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		if err := in.DeleteAnswer(c.Request.Context(), tenantOf(c), c.Param("id")); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func (s *Server) handleDeleteInsightsLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		var before time.Time
		if v := c.Query("before"); v != "" {
			t, err := parseTime(v, false)
			if err != nil {
				writeError(c, s.log, ragkb.Invalid("before", "must be an RFC 3339 time or a date such as 2026-12-01"))
				return
			}
			before = t
		}
		n, err := in.DeleteLog(c.Request.Context(), tenantOf(c), before)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"deleted": n})
	}
}

// parseTime reads an RFC 3339 time or a date; a date as the end of a range
// means the end of that day.
func parseTime(v string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}

// maxInsightsDays bounds the period of one report.
const maxInsightsDays = 400

// insightsRange reads from and to (default: the last 30 days up to now).
func (s *Server) insightsRange(from, to string) (time.Time, time.Time, error) {
	end := s.d.Now().UTC()
	if to != "" {
		t, err := parseTime(to, true)
		if err != nil {
			return time.Time{}, time.Time{}, ragkb.Invalid("to", "must be an RFC 3339 time or a date such as 2026-12-01")
		}
		end = t
	}
	start := end.AddDate(0, 0, -30)
	if from != "" {
		t, err := parseTime(from, false)
		if err != nil {
			return time.Time{}, time.Time{}, ragkb.Invalid("from", "must be an RFC 3339 time or a date such as 2026-11-01")
		}
		start = t
	}
	switch {
	case !start.Before(end):
		return time.Time{}, time.Time{}, ragkb.Invalid("from", "must be before to")
	case end.Sub(start) > maxInsightsDays*24*time.Hour:
		return time.Time{}, time.Time{}, ragkb.Invalid("from", "the period may be at most %d days", maxInsightsDays)
	}
	return start, end, nil
}

func (s *Server) handleInsights() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		from, to, err := s.insightsRange(c.Query("from"), c.Query("to"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		format := c.DefaultQuery("format", "json")
		if format != "json" && format != "csv" {
			writeError(c, s.log, ragkb.Invalid("format", "must be json or csv"))
			return
		}
		table := c.DefaultQuery("table", "day")
		if table != "day" && table != "intent" {
			writeError(c, s.log, ragkb.Invalid("table", "must be day or intent"))
			return
		}
		topics := 20
		if v := c.Query("topics"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 200 {
				writeError(c, s.log, ragkb.Invalid("topics", "must be a number from 0 to 200"))
				return
			}
			topics = n
		}
		q := ragkb.InsightsQuery{TenantID: tenantOf(c), From: from, To: to, Topics: topics, Closest: format == "json" && topics > 0}
		if format == "csv" {
			q.Topics = 0
		}
		rep, err := in.Report(c.Request.Context(), q)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if format == "csv" {
			rows := rep.ByDay
			if table == "intent" {
				rows = rep.ByIntent
			}
			writeRowsCSV(c, table, rows)
			return
		}
		c.JSON(http.StatusOK, rep)
	}
}

// writeRowsCSV writes the per-day or per-intent table as CSV.
func writeRowsCSV(c *gin.Context, table string, rows []ragkb.InsightsRow) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="insights-by-%s.csv"`, table))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	first := "date"
	if table == "intent" {
		first = "intent"
	}
	_ = w.Write([]string{first, "requests", "answered", "fallback", "agent", "clarify", "unhelpful", "feedback", "helpful",
		"conversations", "automated_resolution_rate", "escalation_rate", "fallback_rate", "satisfaction_rate", "cost",
		"cost_per_conversation", "p50_ms", "p95_ms"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, r := range rows {
		key, sat := r.Date, ""
		if table == "intent" {
			key = r.Intent
		}
		if r.Satisfaction != nil {
			sat = f(*r.Satisfaction)
		}
		_ = w.Write([]string{key, strconv.Itoa(r.Requests), strconv.Itoa(r.Answered), strconv.Itoa(r.Fallback), strconv.Itoa(r.Agent),
			strconv.Itoa(r.Clarify), strconv.Itoa(r.Unhelpful), strconv.Itoa(r.Feedback), strconv.Itoa(r.Helpful),
			strconv.Itoa(r.Conversations), f(r.AutomatedResolution), f(r.Escalation), f(r.FallbackRate), sat, f(r.Cost),
			f(r.CostPerConversation), f(r.P50MS), f(r.P95MS)})
	}
	w.Flush()
}

// appliedResource is the answer to an apply: the resource, re-indexing,
// and what changed.
type appliedResource struct {
	*ragkb.Resource
	Applied *ragkb.AppliedTopic `json:"applied"`
}

func (s *Server) handleApplyTopic() gin.HandlerFunc {
	return func(c *gin.Context) {
		in, ok := s.insightsOr(c)
		if !ok {
			return
		}
		var req ragkb.ApplyTopicRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		if req.ResourceID == "" {
			writeError(c, s.log, ragkb.Invalid("resource_id", "is required: the knowledge base to add the custom question to"))
			return
		}
		ctx := c.Request.Context()
		r, err := s.d.Store.GetResource(ctx, tenantOf(c), req.ResourceID)
		if err != nil {
			if ragkb.IsNotFound(err) {
				err = ragkb.Invalid("resource_id", "no resource %q in this account", req.ResourceID)
			}
			writeError(c, s.log, err)
			return
		}
		if r.Type != ragkb.TypeKnowledgeBase || r.KnowledgeBase == nil {
			writeError(c, s.log, ragkb.Invalid("resource_id", "names a %s resource: topics are added to a knowledge_base", r.Type))
			return
		}
		from, to, err := s.insightsRange(req.From, req.To)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		_, all, err := in.TopicQuestions(ctx, ragkb.InsightsQuery{TenantID: tenantOf(c), From: from, To: to}, c.Param("id"))
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		chosen, err := in.SelectQuestions(all, req.Questions)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		next := *r
		kb := *r.KnowledgeBase
		kb.Custom = make([]ragkb.CustomQuestion, len(r.KnowledgeBase.Custom))
		for i, q := range r.KnowledgeBase.Custom {
			q.Examples = append([]string(nil), q.Examples...)
			kb.Custom[i] = q
		}
		next.KnowledgeBase = &kb
		applied, err := in.AddExamples(&kb, req.Question, req.Answer, chosen)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		applied.TopicID = c.Param("id")
		if s.d.ValidateSpec != nil {
			if err := s.d.ValidateSpec(&next); err != nil {
				writeError(c, s.log, err)
				return
			}
		}
		next.Status, next.Error, next.Warnings, next.Attempts = ragkb.StatusProcessing, "", nil, 0
		next.UpdatedAt = s.d.Now().UTC()
		if err := s.d.Store.UpdateResource(ctx, &next, s.newJob(&next, ragkb.JobIndex)); err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusAccepted, appliedResource{Resource: s.present(&next), Applied: applied})
	}
}
