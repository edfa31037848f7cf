package insights

import (
	"fmt"
	"strings"

	"github.com/ragkb/ragkb"
)

// AddExamples adds questions as examples of kb's custom question whose text
// is question (compared without case, spacing or end punctuation), creating
// it with answer when there is none. An existing question keeps its
// approved answer. At most max examples are kept.
func AddExamples(kb *ragkb.KnowledgeBase, question, answer string, questions []string, max int) (*Applied, error) {
	question = strings.TrimSpace(question)
	if question == "" {
		return nil, ragkb.Invalid("question", "is required: the custom question the topic's questions become examples of")
	}
	ap := &Applied{Question: question, ExamplesAdded: []string{}}
	at := -1
	for i, c := range kb.Custom {
		if normalise(c.Question) == normalise(question) {
			at = i
			break
		}
	}
	if at < 0 {
		if strings.TrimSpace(answer) == "" {
			return nil, ragkb.Invalid("answer", "is required: the knowledge base has no custom question %q yet, and it needs its approved answer", question)
		}
		kb.Custom = append(kb.Custom, ragkb.CustomQuestion{Question: question, Answer: strings.TrimSpace(answer)})
		at, ap.Created = len(kb.Custom)-1, true
	}
	c := &kb.Custom[at]
	known := map[string]bool{normalise(c.Question): true}
	for _, e := range c.Examples {
		known[normalise(e)] = true
	}
	for _, q := range questions {
		k := normalise(q)
		if k == "" || known[k] || len(c.Examples) >= max {
			ap.Skipped++
			continue
		}
		known[k] = true
		c.Examples = append(c.Examples, strings.TrimSpace(q))
		ap.ExamplesAdded = append(ap.ExamplesAdded, strings.TrimSpace(q))
	}
	return ap, nil
}

// Select returns the questions of all that the merchant chose (all when
// chosen is empty); a chosen question not in the topic is EINVALID.
func Select(all, chosen []string) ([]string, error) {
	if len(chosen) == 0 {
		return all, nil
	}
	in := map[string]string{}
	for _, q := range all {
		in[normalise(q)] = q
	}
	out := make([]string, 0, len(chosen))
	for i, q := range chosen {
		orig, ok := in[normalise(q)]
		if !ok {
			return nil, ragkb.Invalid(fmt.Sprintf("questions[%d]", i), "%q is not one of the topic's questions", q)
		}
		out = append(out, orig)
	}
	return out, nil
}

// SelectQuestions is Select (for callers that hold a Service).
func (s *Service) SelectQuestions(all, chosen []string) ([]string, error) { return Select(all, chosen) }

// AddExamples adds questions to kb as AddExamples does, within the
// configured examples limit.
func (s *Service) AddExamples(kb *ragkb.KnowledgeBase, question, answer string, questions []string) (*Applied, error) {
	return AddExamples(kb, question, answer, questions, s.cfg.MaxExamples)
}
