package triage

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
)

// Limits of an assistant's triage configuration.
const (
	MaxRules      = 50
	MaxValues     = 50
	MaxTopicNames = 200
)

// apply runs the first rule whose conditions hold.
func apply(t *ragkb.Triage, rules []ragkb.TriageRule) {
	for i, r := range rules {
		if !matches(t, r.When) {
			continue
		}
		if r.Priority != "" && r.Priority != t.Priority {
			t.Priority = r.Priority
		}
		switch {
		case r.NeedsAgent != nil:
			t.NeedsAgent = *r.NeedsAgent
		case r.Priority == ragkb.PriorityUrgent:
			// Urgent means a person looks now, whoever decided it.
			t.NeedsAgent = true
		}
		t.Reasons = append(t.Reasons, fmt.Sprintf("assistant rule %d: %s", i+1, describe(r)))
		return
	}
}

func matches(t *ragkb.Triage, w ragkb.TriageWhen) bool {
	intent := ""
	if t.Intent != nil && !t.Intent.OutOfScope {
		intent = t.Intent.Name
	}
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	anyTag := len(w.Tag) == 0 || slices.ContainsFunc(w.Tag, func(tg string) bool { return slices.Contains(t.Tags, tg) })
	return in(w.Intent, intent) && in(w.Topic, t.Topic) && in(w.Sentiment, t.Sentiment) &&
		in(w.Priority, t.Priority) && in(w.Language, t.Language) && anyTag
}

// describe renders a rule as "complaint + negative → urgent".
func describe(r ragkb.TriageRule) string {
	var parts []string
	for _, l := range [][]string{r.When.Intent, r.When.Topic, r.When.Sentiment, r.When.Priority, r.When.Tag, r.When.Language} {
		if len(l) > 0 {
			parts = append(parts, strings.Join(l, "|"))
		}
	}
	out := strings.Join(parts, " + ") + " → " + cmpOr(r.Priority, "same priority")
	if r.NeedsAgent != nil {
		out += fmt.Sprintf(", needs_agent %v", *r.NeedsAgent)
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var (
	sentiments = []string{ragkb.SentimentNegative, ragkb.SentimentNeutral, ragkb.SentimentPositive}
	priorities = []string{ragkb.PriorityUrgent, ragkb.PriorityHigh, ragkb.PriorityNormal, ragkb.PriorityLow}
	// nameRe is an intent or topic name: lower case, digits, "_", "-" and
	// ":" (custom:<document id>).
	nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_:\-]{0,99}$`)
)

// Validate checks an assistant's triage configuration; errors name the
// field under prefix ("triage.rules[0].when.sentiment[1]").
func Validate(c *ragkb.TriageConfig, prefix string) error {
	if c == nil {
		return nil
	}
	if len(c.Rules) > MaxRules {
		return ragkb.Invalid(prefix+".rules", "must have at most %d rules", MaxRules)
	}
	for i, r := range c.Rules {
		field := fmt.Sprintf("%s.rules[%d]", prefix, i)
		if r.Priority == "" && r.NeedsAgent == nil {
			return ragkb.Invalid(field+".priority", "is required (one of %s) unless needs_agent is set", strings.Join(priorities, ", "))
		}
		if r.Priority != "" && !slices.Contains(priorities, r.Priority) {
			return ragkb.Invalid(field+".priority", "must be one of %s", strings.Join(priorities, ", "))
		}
		w := r.When
		if len(w.Intent)+len(w.Topic)+len(w.Sentiment)+len(w.Priority)+len(w.Tag)+len(w.Language) == 0 {
			return ragkb.Invalid(field+".when", "needs at least one condition: intent, topic, sentiment, priority, tag or language")
		}
		for _, cond := range []struct {
			name  string
			vals  []string
			valid func(string) bool
			want  string
		}{
			{"intent", w.Intent, nameRe.MatchString, "an intent name"},
			{"topic", w.Topic, nameRe.MatchString, "a topic name such as " + strings.Join(Topics(), ", ")},
			{"sentiment", w.Sentiment, func(v string) bool { return slices.Contains(sentiments, v) }, strings.Join(sentiments, ", ")},
			{"priority", w.Priority, func(v string) bool { return slices.Contains(priorities, v) }, strings.Join(priorities, ", ")},
			{"tag", w.Tag, func(v string) bool { return slices.Contains(Tags(), v) }, strings.Join(Tags(), ", ")},
			{"language", w.Language, ragkb.ValidLanguage, "an ISO 639-1 code such as \"pl\""},
		} {
			if len(cond.vals) > MaxValues {
				return ragkb.Invalid(fmt.Sprintf("%s.when.%s", field, cond.name), "must list at most %d values", MaxValues)
			}
			for j, v := range cond.vals {
				if !cond.valid(v) {
					return ragkb.Invalid(fmt.Sprintf("%s.when.%s[%d]", field, cond.name, j), "%q is not valid: use %s", v, cond.want)
				}
			}
		}
	}
	if len(c.Topics) > MaxTopicNames {
		return ragkb.Invalid(prefix+".topics", "must map at most %d intents", MaxTopicNames)
	}
	for k, v := range c.Topics {
		if !nameRe.MatchString(k) {
			return ragkb.Invalid(prefix+".topics", "%q is not an intent name", k)
		}
		if !nameRe.MatchString(v) {
			return ragkb.Invalid(fmt.Sprintf("%s.topics.%s", prefix, k), "%q is not a topic name (lower case letters, digits, _ and -)", v)
		}
	}
	return nil
}
