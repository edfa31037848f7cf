package answer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/answer/intent"
)

// maxGuessConfidence caps the confidence reported for a classification: 1.00
// is kept for questions that are an approved phrasing word for word and for
// chosen clarify options, never for a guess.
const maxGuessConfidence = 0.99

// maxOptions is the most options a clarify answer offers (WhatsApp shows
// three quick-reply buttons).
const maxOptions = 3

// Clarify thresholds: a candidate is offered when its confidence is at
// least clarifyMin, and a clarify answer needs two candidates that together
// reach the fast-lane confidence.
const clarifyMin = 0.2

// supportedMin is the confidence above which an approved text that names
// exactly the specific things of the question (the country, the product…)
// is answered although a more generic intent ranked first.
const supportedMin = 0.1

// classify runs the tenant's lane: the semantic classifier when the lane has
// one and the question could be embedded, else the lexical one.
func (t *turn) classify(ln *lane) intent.Prediction {
	if ln.sem != nil && t.s.cfg.Embedder != nil {
		ctx, cancel := context.WithTimeout(t.ctx, t.s.cfg.EmbedTimeout)
		vecs, err := ragkb.EmbedQueries(ctx, t.s.cfg.Embedder, []string{intentText(t.question)})
		cancel()
		if err == nil && len(vecs) == 1 {
			return ln.sem.Classify(t.question, vecs[0])
		}
		t.s.log.Warn("answer: question embedding failed, lexical lane", "tenant_id", t.tenantID, "err", err)
	}
	return ln.classify(t.question)
}

// intentText bounds what is embedded of a question.
func intentText(q string) string {
	if len(q) <= intent.MaxTextBytes {
		return q
	}
	return strings.ToValidUTF8(q[:intent.MaxTextBytes], "")
}

// candidate is an approved text the lane proposes.
type candidate struct {
	name       string // classifier intent
	doc        *ragkb.Document
	confidence float64
	fit        guard.Fit
}

// docFor returns the in-scope approved document of a classifier intent.
func (t *turn) docFor(ln *lane, name string) *ragkb.Document {
	if id, ok := strings.CutPrefix(name, CustomPrefix); ok {
		if d := ln.byDoc[id]; d != nil && t.sc.inScope(d.ResourceID) {
			return d
		}
		return nil
	}
	doc := t.pickByLanguage(ln.byIntent[name])
	if doc == nil && relatedField[name] != "" {
		doc = t.pickByLanguage(ln.byIntent[relatedField[name]])
	}
	if doc == nil {
		doc = t.linkedDoc(ln, name)
	}
	return doc
}

// linkedDoc is the custom question standing for a built-in intent: the only
// one linked to it, or of several ("Can I pay with PayPal?", "Can I pay by
// bank transfer?" both stand for payment) the only one naming exactly the
// specific things of the question.
func (t *turn) linkedDoc(ln *lane, name string) *ragkb.Document {
	var in []*ragkb.Document
	for _, id := range ln.linked[name] {
		if d := ln.byDoc[id]; d != nil && t.sc.inScope(d.ResourceID) {
			in = append(in, d)
		}
	}
	if len(in) <= 1 {
		if len(in) == 1 {
			return in[0]
		}
		return nil
	}
	var fit *ragkb.Document
	for _, d := range in {
		if t.fit(content(d)) == guard.FitSupported {
			if fit != nil {
				return nil
			}
			fit = d
		}
	}
	return fit
}

// content is what an approved text says and is asked as, for the specific
// words check.
func content(d *ragkb.Document) string {
	return d.Title + "\n" + strings.Join(d.Examples, "\n") + "\n" + d.Text
}

// fast answers from an approved text when the lane is confident, asks the
// customer to choose when two or three approved texts are close, and
// otherwise steps aside (nil) for retrieval. Precision first: an approved
// text that names another country, product, colour, payment method or day
// than the question is never the answer, and a lead over the runner-up
// smaller than MinMargin is not a decision.
func (t *turn) fast(ln *lane, pred intent.Prediction) *ragkb.AnswerResponse {
	cfg := t.s.cfg
	if name, ok := ln.phrasings[phrasingKey(t.question)]; ok {
		// Word for word an approved question or example: not a guess.
		if d := t.docFor(ln, name); d != nil {
			t.intent = &ragkb.IntentMatch{Name: publicIntent(name), Confidence: 1}
			return t.approved(d, 1)
		}
	}
	if pred.Intent == "" {
		return nil
	}
	if len(pred.Unsupported) > 0 {
		if d := t.docFor(ln, pred.Intent); d != nil {
			t.unsupported = map[string]bool{d.ID: true}
		}
	}
	if !pred.OutOfScope && pred.Confidence >= cfg.FastConfidence {
		if pred.Intent == "human_agent" {
			if kind := guard.AsksContact(t.question); kind != "" {
				// "What is your phone number?": the number, when the shop's
				// texts give it, else an agent. The one approved text that
				// gives it answers; otherwise retrieval looks (run).
				if d := t.contactDoc(ln, kind); d != nil {
					return t.approved(d, min(pred.Confidence, maxGuessConfidence))
				}
				t.contact = kind
				return nil
			}
			t.reason = guard.ReasonHumanRequested
			return t.agent()
		}
		if def, ok := ln.tenantIntents[pred.Intent]; ok && def.Tier == "agent" {
			t.reason = "intent " + def.Name + " goes to an agent"
			return t.agent()
		}
	}
	if pred.Intent == intent.OutOfScopeIntent {
		return nil
	}
	var cands []candidate
	seen := map[string]int{}
	docOf := make([]string, len(pred.Top))
	for i, sc := range pred.Top {
		d := t.docFor(ln, sc.Intent)
		if d == nil {
			continue
		}
		docOf[i] = d.ID
		if j, ok := seen[d.ID]; ok {
			// Two intents answered by one text (a custom question and the
			// built-in it stands for): their probabilities add up.
			cands[j].confidence += sc.Confidence
			continue
		}
		seen[d.ID] = len(cands)
		cands = append(cands, candidate{name: sc.Intent, doc: d, confidence: sc.Confidence, fit: t.fit(content(d))})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(b.confidence, a.confidence) })
	// lead is the lead of a candidate over every other intent the lane
	// weighed (with or without an approved text).
	lead := func(c candidate) float64 {
		other := 0.0
		for i, sc := range pred.Top {
			if docOf[i] != c.doc.ID {
				other = max(other, sc.Confidence)
			}
		}
		for _, o := range cands {
			if o.doc.ID != c.doc.ID {
				other = max(other, o.confidence)
			}
		}
		return c.confidence - other
	}
	var vetoedCands []candidate
	for _, c := range cands {
		if c.fit == guard.FitConflict {
			vetoedCands = append(vetoedCands, c)
		}
	}
	vetoed := len(vetoedCands) > 0
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return c.fit == guard.FitConflict })
	if vetoed {
		if c, ok := t.covering(ln); ok {
			return t.approvedAs(c)
		}
	}
	if opts := t.sharedTopic(ln, pred, cands); len(opts) >= 2 {
		// The question is about a topic several custom questions stand for
		// ("I want to return a product": sale items, gifts): ask which.
		return t.clarify(opts)
	}
	if len(cands) == 0 {
		return nil
	}
	defer func() {
		// Tell developers what the lane weighed when it stepped aside.
		var b strings.Builder
		for i, c := range cands {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %.2f", c.name, c.confidence)
			if c.fit == guard.FitSupported {
				b.WriteString(" (names the same specific things)")
			}
		}
		if vetoed {
			b.WriteString("; vetoed: texts naming other specific things")
		}
		t.laneNote = b.String()
	}()
	best := cands[0]
	runnerUp := 0.0
	if len(cands) > 1 {
		runnerUp = cands[1].confidence
	}
	// A vetoed text of another topic still tells what the question is
	// about: "Does the warranty hold in Italy?" is about the warranty
	// (whose text names Poland), not about shipping abroad, when the
	// warranty is the more likely.
	otherTopic := 0.0
	for _, c := range vetoedCands {
		if !sameTopic(t.builtinOf(ln, c.doc), t.builtinOf(ln, best.doc)) {
			otherTopic = max(otherTopic, c.confidence)
		}
	}
	// The margin counts intents without an approved text too (a built-in
	// intent the merchant did not fill in).
	margin := lead(best)
	top := len(docOf) > 0 && docOf[0] == best.doc.ID
	outOfScope := pred.OutOfScope
	if outOfScope && pred.ScopeFloor > 0 && top && best.confidence >= pred.ScopeFloor {
		// Out of scope only for a confidence shared between intents that
		// one text answers (a custom question and its built-in).
		outOfScope = false
	}
	if top {
		t.laneBest, t.laneLead = &best, margin
	}
	switch {
	case top && !outOfScope && best.confidence >= cfg.FastConfidence && margin >= cfg.MinMargin:
		return t.approvedAs(best)
	case best.fit == guard.FitSupported && best.confidence >= supportedMin && best.confidence >= 2*runnerUp && best.confidence > otherTopic &&
		(top || vetoed):
		// A text naming exactly the question's specific words (a custom
		// "Do you ship to Austria?") outranks a generic one that was vetoed.
		return t.approvedAs(best)
	}
	if opts := t.clarifyOptions(cands, pred); len(opts) >= 2 {
		return t.clarify(opts)
	}
	return nil
}

// sharedTopic returns the custom questions (at most maxOptions, the most
// likely first) standing for the lane's top intent when that is a built-in
// intent several of them stand for and none is named by the question, and
// the intent is likely enough to ask about.
func (t *turn) sharedTopic(ln *lane, pred intent.Prediction, cands []candidate) []candidate {
	if len(pred.Top) == 0 || pred.Top[0].Confidence < clarifyMin || len(ln.linked[pred.Intent]) < 2 || t.docFor(ln, pred.Intent) != nil {
		return nil
	}
	conf := map[string]float64{}
	for _, c := range cands {
		conf[c.doc.ID] = c.confidence
	}
	var opts []candidate
	for _, id := range ln.linked[pred.Intent] {
		d := ln.byDoc[id]
		if d == nil || !t.sc.inScope(d.ResourceID) || t.fit(content(d)) == guard.FitConflict {
			continue
		}
		opts = append(opts, candidate{name: CustomPrefix + id, doc: d, confidence: conf[id]})
	}
	slices.SortStableFunc(opts, func(a, b candidate) int { return cmp.Compare(b.confidence, a.confidence) })
	return opts[:min(len(opts), maxOptions)]
}

// covering looks, when the best candidates were vetoed for naming other
// specific things, for the one approved text that covers exactly what the
// question names ("Do you ship abroad?" for "Do you ship to Austria?") even
// if the classifier ranked it low: it answers when it is the only such text
// or at least twice as likely as the next, and its confidence is its share
// of the probability of the texts that are not vetoed. The probabilities of
// intents one text answers (a custom question and the built-in intent it
// stands for) add up, as in fast.
func (t *turn) covering(ln *lane) (candidate, bool) {
	qs := t.questionSpecifics()
	if len(qs) == 0 || len(ln.specifics) == 0 {
		return candidate{}, false
	}
	probs := ln.probabilities(t.question)
	type text struct {
		name string // the intent the text's specifics are kept under
		doc  *ragkb.Document
		p    float64
	}
	byDoc := map[string]*text{}
	textless := map[string]float64{}
	var pool float64
	// Only intents with a probability can count (the lane's custom
	// questions have one when they are candidates): walk those, not every
	// text that names something specific.
	for name, p := range probs {
		d := t.docFor(ln, name)
		if d == nil {
			// An intent the shop has no text for ("Are your bikes made in
			// Germany?": original products) competes: the question may
			// well be about it.
			textless[name] = p
			continue
		}
		tx := byDoc[d.ID]
		if tx == nil {
			tx = &text{name: specificsKey(d), doc: d}
			byDoc[d.ID] = tx
		}
		tx.p += p
	}
	var sup []candidate
	var conflicts []*text
	for _, tx := range byDoc {
		ts, ok := ln.specifics[tx.name]
		if !ok {
			// Texts that name nothing specific compete too.
			pool += tx.p
			continue
		}
		fit := guard.FitSpecifics(qs, ts)
		if fit == guard.FitConflict {
			conflicts = append(conflicts, tx)
			continue
		}
		pool += tx.p
		if fit == guard.FitSupported {
			sup = append(sup, candidate{name: tx.name, doc: tx.doc, confidence: tx.p, fit: fit})
		}
	}
	if len(sup) == 0 || pool <= 0 {
		return candidate{}, false
	}
	slices.SortFunc(sup, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.confidence, a.confidence), cmp.Compare(a.doc.ID, b.doc.ID))
	})
	if len(sup) > 1 && sup[0].confidence < 2*sup[1].confidence {
		return candidate{}, false
	}
	best := sup[0]
	topic := t.builtinOf(ln, best.doc)
	for name, p := range textless {
		// Except one of the same topic as the text: "Do you ship to
		// Austria?" is as much about delivery methods as about shipping
		// abroad, and the abroad text answers it.
		if !sameTopic(name, topic) {
			pool += p
		}
	}
	for _, tx := range conflicts {
		// A vetoed text of another topic still says what the question is
		// about: "Does the warranty hold in Italy?" is about the warranty
		// (whose text names Poland), not about shipping abroad.
		if !sameTopic(t.builtinOf(ln, tx.doc), topic) {
			pool += tx.p
		}
	}
	best.confidence /= pool
	if best.confidence < t.s.cfg.FastConfidence {
		return candidate{}, false
	}
	return best, true
}

// deliveryTopic groups the built-in intents about getting an order to the
// customer, whose examples name countries interchangeably ("do you send
// parcels to Austria" is a delivery-methods example, "Do you ship to
// Germany?" a shipping-abroad one).
var deliveryTopic = map[string]string{"delivery_time": "delivery", "delivery_methods": "delivery", "shipping_abroad": "delivery"}

// sameTopic reports whether built-in intents a and b are about one thing:
// the same intent, or both about delivery.
func sameTopic(a, b string) bool {
	return a != "" && (a == b || (deliveryTopic[a] != "" && deliveryTopic[a] == deliveryTopic[b]))
}

// builtinOf is the built-in intent an approved text answers: its
// questionnaire intent, or the one a custom question stands for ("" when
// none).
func (t *turn) builtinOf(ln *lane, d *ragkb.Document) string {
	if d.Intent != "" {
		return d.Intent
	}
	for name, ids := range ln.linked {
		if slices.Contains(ids, d.ID) {
			return name
		}
	}
	return ""
}

// specificsKey is the name under which the lane keeps the specific things
// an approved text names: its questionnaire intent, or for a custom
// question its classifier name.
func specificsKey(d *ragkb.Document) string {
	if d.Intent != "" {
		return d.Intent
	}
	return CustomPrefix + d.ID
}

// contactDoc is the only approved text in scope that gives a contact
// detail of kind (guard.PIIPhone, guard.PIIEmail), or nil when none or
// several do.
func (t *turn) contactDoc(ln *lane, kind string) *ragkb.Document {
	var found *ragkb.Document
	check := func(d *ragkb.Document) bool {
		if d == nil || !t.sc.inScope(d.ResourceID) || (found != nil && found.ID == d.ID) || !guard.HasContact(d.Text, kind) {
			return true
		}
		if found != nil {
			return false
		}
		found = d
		return true
	}
	for _, d := range ln.byDoc {
		if !check(d) {
			return nil
		}
	}
	for _, docs := range ln.byIntent {
		for _, d := range docs {
			if !check(d) {
				return nil
			}
		}
	}
	return found
}

// approvedAs answers with a candidate's approved text.
func (t *turn) approvedAs(c candidate) *ragkb.AnswerResponse {
	conf := min(c.confidence, maxGuessConfidence)
	t.intent = &ragkb.IntentMatch{Name: publicIntent(c.name), Confidence: round(conf)}
	return t.approved(c.doc, conf)
}

// approved returns doc's text verbatim on the fast tier.
func (t *turn) approved(doc *ragkb.Document, conf float64) *ragkb.AnswerResponse {
	c := ragkb.Citation{
		ID: 1, ResourceID: doc.ResourceID, ResourceName: t.sc.names[doc.ResourceID],
		Title: doc.Title, URL: doc.URL, Snippet: snippet(doc.Text, 240), Score: round(conf),
	}
	resp := t.answered(doc.Text, ragkb.TierFast, []ragkb.Citation{c})
	if doc.Language != "" && t.language != "" && doc.Language != t.language {
		resp.AnswerLanguage = doc.Language
	}
	return resp
}

// clarifyOptions are the close candidates worth offering: at least two
// with confidence clarifyMin or more that together reach the fast-lane
// confidence, while the question is not plainly out of scope.
func (t *turn) clarifyOptions(cands []candidate, pred intent.Prediction) []candidate {
	var opts []candidate
	var sum float64
	for _, c := range cands {
		if c.confidence >= clarifyMin && len(opts) < maxOptions {
			opts = append(opts, c)
			sum += c.confidence
		}
	}
	if len(opts) < 2 || sum < t.s.cfg.FastConfidence {
		return nil
	}
	if pred.DenseSimilarity > 0 && pred.DenseSimilarity < t.s.lanes.semOpts.MinSimilarity-0.03 {
		return nil
	}
	return opts
}

// clarify asks the customer to choose between close approved answers.
func (t *turn) clarify(cands []candidate) *ragkb.AnswerResponse {
	opts := make([]ragkb.AnswerOption, len(cands))
	for i, c := range cands {
		opts[i] = ragkb.AnswerOption{ID: optionID(c.doc.ID), Label: t.label(c), Question: c.doc.Title}
	}
	t.reason = "close approved answers: the customer chooses"
	return &ragkb.AnswerResponse{Status: ragkb.AnswerClarify, Answer: localized(clarifyQuestion, t.language, ""), Tier: ragkb.TierFast,
		Intent: t.intent, Options: opts, Usage: t.usage, Reason: t.reason}
}

// label is an option's text for the customer: the approved question when it
// is in the customer's language, else the questionnaire topic's name in it.
func (t *turn) label(c candidate) string {
	if c.doc.Language == "" || c.doc.Language == t.language || c.doc.Intent == "" {
		return c.doc.Title
	}
	if m, ok := topicLabels[c.doc.Intent]; ok {
		if l, ok := m[t.language]; ok {
			return l
		}
	}
	return c.doc.Title
}

// chosen answers a clarify option sent back as option_id.
func (t *turn) chosen(ln *lane) *ragkb.AnswerResponse {
	if ln == nil {
		return nil
	}
	d := ln.options[t.req.OptionID]
	if d == nil || !t.sc.inScope(d.ResourceID) {
		return nil
	}
	name := d.Intent
	if name == "" {
		name = CustomPrefix + d.ID
	}
	t.intent = &ragkb.IntentMatch{Name: publicIntent(name), Confidence: 1}
	return t.approved(d, 1)
}

// validOptionID reports whether id has the shape of an option id.
func validOptionID(id string) bool {
	rest, ok := strings.CutPrefix(id, "opt_")
	if !ok || len(rest) != 16 {
		return false
	}
	for _, r := range rest {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// optedOut reports whether the assistant answers a routing reason itself
// instead of passing it to an agent (only complaints and order questions
// can be opted out of; card, fraud, legal and health topics always go to a
// person).
func (t *turn) optedOut(reason string) bool {
	a := t.sc.assistant
	if a == nil {
		return false
	}
	switch reason {
	case guard.ReasonComplaint:
		return slices.Contains(a.AgentOptOut, "complaint")
	case guard.ReasonOrder:
		return slices.Contains(a.AgentOptOut, "order_status")
	}
	return false
}

// Agreement: the lane's first approved text, below the confidence it
// answers on alone, answers when retrieval's best hit is that same text,
// close to the relevance threshold. Two signals of different kinds (the
// classifier over every approved phrasing, retrieval over the indexed
// text) agreeing on one text is stronger evidence than either alone; a
// concept of the glossary the question names and the text does not
// ("Przechowujecie rowery przez zimę?", storage, over a test-ride text)
// still says it is another topic. The values are first choices, not tuned:
// measured with them on the shop sets, the right share rose and no wrong
// share did (README, Intent lane).
const (
	// agreeMinConfidence is the lane's least confidence in the text.
	agreeMinConfidence = 0.4
	// agreeMinLead is the text's least lead over every other intent.
	agreeMinLead = 0.25
	// agreeRelevance is the share of the relevance threshold the best hit
	// must reach.
	agreeRelevance = 0.9
)

// agreed answers with the lane's first approved text when retrieval's best
// hit is that text (see above); nil otherwise.
func (t *turn) agreed(hits []ragkb.SearchHit) *ragkb.AnswerResponse {
	c := t.laneBest
	if c == nil || len(hits) == 0 || c.confidence < agreeMinConfidence || t.laneLead < agreeMinLead ||
		hits[0].Chunk.DocumentID != c.doc.ID || hits[0].Relevance < agreeRelevance*t.s.cfg.Relevance ||
		t.unsupported[c.doc.ID] || missesConcept(t.question, content(c.doc)) {
		return nil
	}
	return t.approvedAs(*c)
}
