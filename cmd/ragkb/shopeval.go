package main

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors/knowledgebase"
)

// shopSetJSON is the six-language shop question set (testdata/shopset.json).
//
//go:embed testdata/shopset.json
var shopSetJSON []byte

// shopSet2JSON is the held-out shop question set (testdata/shopset2.json):
// another shop, with an Italian questionnaire and its own custom questions,
// written before the lane was tuned and not used for tuning.
//
//go:embed testdata/shopset2.json
var shopSet2JSON []byte

// shopSet3JSON is a third shop (testdata/shopset3.json): a Polish bike shop
// whose custom questions come in close pairs (assembly and servicing, BLIK
// and instalments), 170 questions in the six languages written before it
// was run. It is a development set: its failures are listed.
//
//go:embed testdata/shopset3.json
var shopSet3JSON []byte

// shopSet4JSON is a fourth shop (testdata/shopset4.json), held out: a
// French furniture shop's questionnaire with custom questions in close
// pairs, and 179 questions in the six languages, written blind on
// 2026-12-04 by someone who had not read the lane's code.
//
//go:embed testdata/shopset4.json
var shopSet4JSON []byte

// shopSet5JSON is a fifth shop (testdata/shopset5.json), held out: a
// German baby and children's shop's questionnaire with nine custom
// questions in close pairs, and 185 questions in the six languages, written
// blind on 2026-12-04 by someone who had not read the lane's code.
//
//go:embed testdata/shopset5.json
var shopSet5JSON []byte

// shopSet is the question set: a questionnaire and questions with the
// outcome expected of each.
type shopSet struct {
	// Language is the questionnaire's language (en when empty).
	Language      string `json:"language"`
	KnowledgeBase struct {
		ragkb.KnowledgeBase
		Custom []struct {
			Key string `json:"key"`
			ragkb.CustomQuestion
		} `json:"custom"`
	} `json:"knowledge_base"`
	// Questions are [expect, language, question].
	Questions [][3]string `json:"questions"`
	// FollowUps are [expect, language, question, previous question].
	FollowUps [][4]string `json:"follow_ups"`
}

// shopOutcome is what happened to one question.
type shopOutcome struct {
	Expect, Lang, Question, Got string
	Verdict                     string // right, wrong, refused
	Status                      ragkb.AnswerStatus
	Detail                      string // tier, confidence and reason, for reading failures
}

// shopReport counts the outcomes.
type shopReport struct {
	Right, Wrong, Refused int
	Clarify               int
	Outcomes              []shopOutcome
}

func (r *shopReport) total() int { return r.Right + r.Wrong + r.Refused }

func (r *shopReport) share(n int) float64 { return float64(n) / float64(max(r.total(), 1)) }

// runShopEval indexes the set's questionnaire into env (in its language) and asks
// every question through /v1/answer. Scoring, precision first: an answer
// with another approved text than expected, or any answer where a refusal
// or an agent was expected, is wrong; a fallback, clarify or agent where an
// answer was expected is refused; an agent where one was expected, and a
// fallback, clarify or agent where a refusal was expected, are right.
func runShopEval(ctx context.Context, env *benchEnv, setJSON []byte) (*shopReport, error) {
	var set shopSet
	if err := json.Unmarshal(setJSON, &set); err != nil {
		return nil, fmt.Errorf("shop set: %w", err)
	}
	kb := set.KnowledgeBase.KnowledgeBase
	titleOf := map[string]string{}
	for _, f := range knowledgebase.Fields {
		titleOf[f.Name] = f.Question
	}
	kb.Custom = nil
	for _, c := range set.KnowledgeBase.Custom {
		kb.Custom = append(kb.Custom, c.CustomQuestion)
		titleOf[c.Key] = c.Question
	}
	lang := cmp.Or(set.Language, "en")
	r := &ragkb.Resource{ID: ragkb.NewID("res"), Name: "Shop questionnaire", Type: ragkb.TypeKnowledgeBase, Language: lang, KnowledgeBase: &kb}
	if _, _, err := env.index(ctx, r, knowledgebase.Documents(&kb, lang)); err != nil {
		return nil, err
	}
	rep := &shopReport{}
	ask := func(expect, lng, q, prev string) error {
		req := ragkb.AnswerRequest{Question: q}
		if prev != "" {
			req.Conversation = []ragkb.Message{{Role: "user", Content: prev}}
		}
		resp, err := env.answer(req)
		if err != nil {
			return err
		}
		o := shopOutcome{Expect: expect, Lang: lng, Question: q, Status: resp.Status}
		if resp.Intent != nil {
			o.Detail = fmt.Sprintf("%s %.2f %s", resp.Tier, resp.Intent.Confidence, resp.Reason)
		} else {
			o.Detail = fmt.Sprintf("%s %s", resp.Tier, resp.Reason)
		}
		if resp.Status == ragkb.AnswerAnswered && len(resp.Citations) > 0 {
			o.Got = resp.Citations[0].Title
		} else {
			o.Got = string(resp.Status)
		}
		if resp.Status == ragkb.AnswerClarify {
			rep.Clarify++
		}
		switch {
		case expect == "agent" && resp.Status == ragkb.AnswerAgent:
			o.Verdict = "right"
		case (expect == "agent" || expect == "refuse") && resp.Status == ragkb.AnswerAnswered:
			o.Verdict = "wrong"
		case expect == "refuse":
			o.Verdict = "right"
		case expect == "agent":
			o.Verdict = "refused" // a fallback or clarify where a person was needed
		case resp.Status != ragkb.AnswerAnswered:
			o.Verdict = "refused"
		case o.Got == titleOf[expect]:
			o.Verdict = "right"
		default:
			o.Verdict = "wrong"
		}
		switch o.Verdict {
		case "right":
			rep.Right++
		case "wrong":
			rep.Wrong++
		default:
			rep.Refused++
		}
		rep.Outcomes = append(rep.Outcomes, o)
		return nil
	}
	for _, q := range set.Questions {
		if err := ask(q[0], q[1], q[2], ""); err != nil {
			return nil, err
		}
	}
	for _, q := range set.FollowUps {
		if err := ask(q[0], q[1], q[2], q[3]); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// answer posts one request to /v1/answer through the handler.
func (e *benchEnv) answer(r ragkb.AnswerRequest) (*ragkb.AnswerResponse, error) {
	body, _ := json.Marshal(r)
	req := httptest.NewRequest(http.MethodPost, "/v1/answer", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.chatKey)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("answer %q: status %d: %s", r.Question, rec.Code, rec.Body.String())
	}
	var resp ragkb.AnswerResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}
