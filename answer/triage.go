package answer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/intent"
	"github.com/ragkb/ragkb/answer/lang"
	"github.com/ragkb/ragkb/answer/triage"
)

// Triage classifies a customer message for a helpdesk (topic, sentiment,
// priority, needs_agent) without answering it and without a model call. The
// text is redacted first, like a question; the call is counted in the
// triage stats and an urgent message records a ticket_urgent event.
func (s *Service) Triage(ctx context.Context, tenantID string, req *ragkb.TriageRequest) (*ragkb.Triage, error) {
	if err := s.Validate(&ragkb.AnswerRequest{Question: req.Text, Language: req.Language, Conversation: req.Conversation}); err != nil {
		var e *ragkb.Error
		if errors.As(err, &e) && e.Field == "question" {
			return nil, ragkb.Invalid("text", "%s", e.Message)
		}
		return nil, err
	}
	var a *ragkb.Assistant
	if req.AssistantID != "" {
		var err error
		if a, err = s.cfg.Store.GetAssistant(ctx, tenantID, req.AssistantID); err != nil {
			if ragkb.IsNotFound(err) {
				return nil, ragkb.Invalid("assistant_id", "no assistant %q in this account", req.AssistantID)
			}
			return nil, err
		}
	}
	start := time.Now()
	text, _ := guard.Redact(strings.TrimSpace(req.Text))
	language := req.Language
	if language == "" {
		language, _ = lang.Detect(text)
	}
	ln, _, err := s.lanes.get(ctx, s.cfg.Store, tenantID)
	if err != nil {
		s.log.Error("answer: intent lane", "tenant_id", tenantID, "err", err)
	}
	var im *ragkb.IntentMatch
	if ln != nil {
		if p := ln.classify(text); p.Intent != "" && p.Intent != intent.OutOfScopeIntent {
			im = &ragkb.IntentMatch{Name: publicIntent(p.Intent), Confidence: round(p.Confidence), OutOfScope: p.OutOfScope}
		}
	}
	tr := s.classifyTicket(ln, a, text, language, im, req.Conversation, nil)
	asst := ""
	if a != nil {
		asst = a.ID
	}
	l := &ragkb.AnswerLog{TenantID: tenantID, AssistantID: asst, Intent: statsIntent(im), Status: ragkb.AnswerTriaged,
		LatencyMS: float64(time.Since(start).Microseconds()) / 1000, CreatedAt: s.cfg.Now().UTC()}
	setTriage(l, tr)
	s.cfg.Metrics.observeTicket(l)
	ctx = context.WithoutCancel(ctx)
	if err := s.cfg.Store.RecordAnswer(ctx, l); err != nil {
		s.log.Error("answer: record triage", "tenant_id", tenantID, "err", err)
	}
	s.recordUrgent(ctx, tenantID, asst, text, tr)
	return tr, nil
}

// triageTurn triages the question of an answered turn, reusing its intent.
func (s *Service) triageTurn(t *turn, resp *ragkb.AnswerResponse) *ragkb.Triage {
	// The tiers fetched the tenant's lane a moment ago: use it rather than
	// asking the store for the tenant version again.
	ln := s.lanes.peek(t.tenantID)
	if ln == nil {
		var err error
		if ln, _, err = s.lanes.get(t.ctx, s.cfg.Store, t.tenantID); err != nil {
			s.log.Error("answer: intent lane", "tenant_id", t.tenantID, "err", err)
		}
	}
	im := t.intent
	if im == nil && ln != nil && resp.Status == ragkb.AnswerAgent {
		// Routed to a person before the lane ran: classify for the topic.
		if p := ln.classify(t.question); p.Intent != "" && p.Intent != intent.OutOfScopeIntent {
			im = &ragkb.IntentMatch{Name: publicIntent(p.Intent), Confidence: round(p.Confidence), OutOfScope: p.OutOfScope}
		}
	}
	// The customer's language: the answer's, unless that is the
	// assistant's configured language.
	language := t.req.Language
	switch a := t.sc.assistant; {
	case language != "":
	case a == nil || a.Language == "":
		language = t.language
	default:
		language, _ = lang.Detect(t.question)
	}
	tr := s.classifyTicket(ln, t.sc.assistant, t.question, language, im, t.req.Conversation, turnRouting(t, resp))
	if resp.Status == ragkb.AnswerAgent && !tr.NeedsAgent {
		tr.NeedsAgent = true
		tr.Reasons = append(tr.Reasons, "answered by the contact-agent message")
	}
	return tr
}

// turnRouting recovers the guardrail's routing of a turn without running the
// (costly) patterns again: the tiers route to an agent first whenever
// guard.Route does, so an answer that is not "agent" was not routed, and an
// "agent" answer carries the guard's reason when the guard sent it.
func turnRouting(t *turn, resp *ragkb.AnswerResponse) *guard.Routing {
	if resp.Status != ragkb.AnswerAgent {
		return &guard.Routing{}
	}
	if t.reason == guard.ReasonHumanRequested || strings.HasPrefix(t.reason, "sensitive:") {
		return &guard.Routing{ToAgent: true, Reason: t.reason}
	}
	return &guard.Routing{}
}

// classifyTicket runs triage with the tenant's intents and the assistant's
// configuration.
func (s *Service) classifyTicket(ln *lane, a *ragkb.Assistant, text, language string, im *ragkb.IntentMatch, conv []ragkb.Message, routing *guard.Routing) *ragkb.Triage {
	in := triage.Input{Text: text, Language: language, Intent: im, Routing: routing}
	for _, m := range conv {
		if m.Role != "user" {
			continue
		}
		// The current message may be repeated as the last turn.
		if red, _ := guard.Redact(strings.TrimSpace(m.Content)); red != text {
			in.Earlier = append(in.Earlier, red)
		}
	}
	if a != nil {
		in.Config = a.Triage
	}
	if im != nil && !im.OutOfScope {
		if a != nil && a.Triage != nil {
			in.IntentTopic = a.Triage.Topics[im.Name]
		}
		confident := im.Confidence >= s.cfg.FastConfidence
		switch id, custom := strings.CutPrefix(im.Name, CustomPrefix); {
		case in.IntentTopic != "":
		case custom && ln != nil && ln.byDoc[id] != nil:
			// A custom question is filed under the topic of its own words.
			in.IntentTopic = triage.WordTopic(ln.byDoc[id].Title + " " + ln.byDoc[id].Text)
		case ln != nil && ln.tenantIntents[im.Name] != nil:
			// A tenant's own intent is its own topic unless mapped.
			in.IntentTopic = im.Name
			in.AgentIntent = confident && ln.tenantIntents[im.Name].Tier == "agent"
		}
		if im.Name == "human_agent" && confident {
			in.AgentIntent = true
		}
	}
	tr := triage.Classify(in)
	return &tr
}

// statsIntent is the intent label of a log (see record).
func statsIntent(im *ragkb.IntentMatch) string {
	switch {
	case im == nil:
		return "none"
	case im.OutOfScope:
		return intent.OutOfScopeIntent
	}
	return metricIntent(im.Name)
}

// setTriage copies the triage into an answer log.
func setTriage(l *ragkb.AnswerLog, tr *ragkb.Triage) {
	if tr != nil {
		l.Topic, l.Priority, l.Sentiment = tr.Topic, tr.Priority, tr.Sentiment
	}
}

// recordUrgent records a ticket_urgent event (delivered to subscribed
// webhooks) for an urgent message; the detail lists the reasons, the
// question is the redacted text.
func (s *Service) recordUrgent(ctx context.Context, tenantID, assistantID, text string, tr *ragkb.Triage) {
	if tr == nil || tr.Priority != ragkb.PriorityUrgent {
		return
	}
	detail := "topic " + tr.Topic + ", " + tr.Sentiment
	if len(tr.Reasons) > 0 {
		detail += ": " + strings.Join(slices.Compact(slices.Clone(tr.Reasons)), "; ")
	}
	ev := &ragkb.Event{ID: ragkb.NewID("evt"), TenantID: tenantID, Type: ragkb.EventTicketUrgent, AssistantID: assistantID,
		Question: text, Detail: detail, CreatedAt: s.cfg.Now().UTC()}
	if err := s.cfg.Events.Record(ctx, ev); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("answer: record event", "tenant_id", tenantID, "type", ev.Type, "err", err)
	}
}
