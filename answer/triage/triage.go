// Package triage classifies a customer message the way a helpdesk does
// before anyone reads it: its topic, the customer's sentiment, a priority
// (urgent, high, normal, low), whether a person must act, and the reasons.
// It makes no model call: features are word stems and short phrases in en,
// pl, it, de, fr and es (markers.go, matched on folded words so diacritics
// and inflection do not matter), the sensitive-topic routing of
// answer/guard, the intent found by the intent lane and the earlier turns of
// the conversation. Merchants adjust the outcome per assistant with ordered
// rules (ragkb.TriageRule); Validate checks them. The weights and thresholds
// are tuned on the dev half of testdata/tickets.jsonl and reported on the
// held-out half (`ragkb bench -sections triage`).
package triage

import (
	"slices"
	"strings"
	"unicode"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/answer/guard"
	"github.com/ragkb/ragkb/internal/textnorm"
)

// feature is one signal markers.go can find in a message.
type feature int

const (
	fAnger feature = iota
	fNegative
	fPositive
	fThanks
	fAdvance // politeness formulas: "thanks in advance", "kind regards"
	fRepeat
	fUrgent
	fDeadline
	fLate
	fDamaged
	fMissing
	fRefund
	fReview
	fCancel
	fHypothetical
	fDefect       // the product does not work
	fUnhappy      // explicit dissatisfaction
	fModify       // change the order or its address: a person must act
	fBillingError // charged twice
	fDeliveredNot // marked delivered, not received
	fSafety       // smoke, fire, sparks, injuries (besides answer/guard's)
	topicDelivery
	topicReturns
	topicWarranty
	topicBilling
	topicProduct
	topicStore
	numFeatures
)

// Topics a message can be filed under.
const (
	TopicDelivery = "delivery"
	TopicReturns  = "returns"
	TopicWarranty = "warranty"
	TopicBilling  = "billing"
	TopicProduct  = "product"
	TopicStore    = "store"
	TopicOther    = "other"
)

// Topics lists the built-in topics.
func Topics() []string {
	return []string{TopicDelivery, TopicReturns, TopicWarranty, TopicBilling, TopicProduct, TopicStore, TopicOther}
}

// intentTopics files the built-in intents under topics. Intents that say how
// the customer feels rather than what about (complaint, greeting,
// human_agent, out_of_scope) take the topic of their words instead.
var intentTopics = map[string]string{
	"delivery_time": TopicDelivery, "delivery_methods": TopicDelivery, "store_pickup": TopicDelivery,
	"order_status": TopicDelivery, "returns": TopicReturns, "warranty": TopicWarranty,
	"invoice": TopicBilling, "payment": TopicBilling, "discounts": TopicBilling,
	"product_question": TopicProduct, "product_advice": TopicProduct, "new_products_only": TopicProduct,
	"original_products_only": TopicProduct, "store_location": TopicStore,
}

// Tags of features (Triage.Tags).
const (
	TagAnger          = "anger"
	TagRepeatContact  = "repeat_contact"
	TagDeadline       = "deadline"
	TagUrgentWording  = "urgent_wording"
	TagLateDelivery   = "late_delivery"
	TagDamagedItem    = "damaged_item"
	TagWrongItem      = "wrong_or_missing_item"
	TagRefund         = "refund"
	TagDefect         = "defect"
	TagBillingError   = "billing_error"
	TagNotReceived    = "delivered_not_received"
	TagOrderChange    = "order_change"
	TagUnhappy        = "dissatisfied"
	TagReviewThreat   = "review_threat"
	TagCancel         = "cancellation"
	TagThanks         = "thanks"
	TagHumanRequested = "human_requested"
	TagLegalThreat    = "legal_threat"
	TagChargeback     = "chargeback"
	TagFraud          = "fraud"
	TagCard           = "card_security"
	TagSafety         = "safety"
)

// Tags lists every tag triage can set.
func Tags() []string {
	return []string{TagAnger, TagRepeatContact, TagDeadline, TagUrgentWording, TagLateDelivery, TagDamagedItem,
		TagWrongItem, TagRefund, TagDefect, TagBillingError, TagNotReceived, TagOrderChange, TagUnhappy, TagReviewThreat, TagCancel, TagThanks, TagHumanRequested, TagLegalThreat,
		TagChargeback, TagFraud, TagCard, TagSafety}
}

// routeTags maps answer/guard routing reasons to tags and reasons.
var routeTags = map[string][2]string{
	guard.ReasonHumanRequested: {TagHumanRequested, "asks for a person"},
	guard.ReasonLegal:          {TagLegalThreat, "legal threat"},
	guard.ReasonDispute:        {TagChargeback, "chargeback or payment dispute"},
	guard.ReasonFraud:          {TagFraud, "fraud or unauthorised payment"},
	guard.ReasonCard:           {TagCard, "lost, stolen or blocked card"},
	guard.ReasonHealth:         {TagSafety, "health or safety incident"},
}

// Input is one message to triage. Text and Conversation must already be
// redacted (guard.Redact).
type Input struct {
	Text string
	// Earlier are the customer's earlier messages in this conversation,
	// oldest first.
	Earlier []string
	// Language is the message's language (detected by the caller).
	Language string
	// Intent is the intent lane's prediction; nil when there is none.
	Intent *ragkb.IntentMatch
	// IntentTopic, when set, is the topic the tenant files Intent under
	// (its own intents, custom questions, the assistant's topic map).
	IntentTopic string
	// AgentIntent says Intent must go to a person (human_agent, or a tenant
	// intent with tier "agent").
	AgentIntent bool
	// Routing is guard.Route(Text) when the caller has it already; nil
	// means Classify routes the text itself.
	Routing *guard.Routing
	// Config is the assistant's adjustment (nil = built-in rules only).
	Config *ragkb.TriageConfig
}

// Weights of the urgency score; thresholds below. Tuned on the dev half of
// testdata/tickets.jsonl.
const (
	wAnger      = 2.0
	wRepeat     = 1.5
	wTime       = 2.0 // marked urgent, or a deadline
	wProblem    = 1.5 // damaged, wrong, missing or defective item, refund owed, late with "still"
	wUnhappy    = 1.5
	wLate       = 0.5 // late or not arrived, first mention
	wReview     = 1.0
	wNegative   = 0.5 // any negative sentiment
	urgentScore = 4.0
	highScore   = 2.0
)

// Classify triages one message.
func Classify(in Input) ragkb.Triage {
	f := scan(in.Text)
	var earlierProblem int
	for _, e := range in.Earlier {
		ef := scan(e)
		if ef.has(fLate) || ef.has(fDamaged) || ef.has(fMissing) || ef.has(fRefund) || ef.has(fNegative) || ef.has(fAnger) {
			earlierProblem++
		}
	}
	t := ragkb.Triage{Language: in.Language, Intent: in.Intent, Reasons: []string{}, Tags: []string{}}
	tag := func(tg, reason string) {
		if !slices.Contains(t.Tags, tg) {
			t.Tags = append(t.Tags, tg)
		}
		if reason != "" && !slices.Contains(t.Reasons, reason) {
			t.Reasons = append(t.Reasons, reason)
		}
	}

	routing := in.Routing
	if routing == nil {
		r := guard.Route(in.Text)
		routing = &r
	}
	threat := false
	// Only the sensitive topics are threats; the answer lane's other routing
	// reasons (complaint, one order, a card number) are weighed by triage's
	// own features.
	rt, routed := routeTags[routing.Reason]
	routed = routed && routing.ToAgent
	if routed {
		tag(rt[0], rt[1])
		threat = routing.Reason != guard.ReasonHumanRequested
	}
	safety := routing.Reason == guard.ReasonHealth
	if f.has(fSafety) && !(f.question && f.has(fHypothetical)) {
		safety, threat = true, true
		tag(TagSafety, "health or safety incident")
	}
	human := routing.Reason == guard.ReasonHumanRequested || in.AgentIntent

	question := f.question
	anger := f.has(fAnger) || f.shouting
	// A hypothetical question ("what if my parcel is damaged?") describes
	// no problem yet.
	hypo := question && f.has(fHypothetical) && !anger && !f.has(fRepeat)
	repeat := f.has(fRepeat) && (f.has(fLate) || f.has(fRefund) || f.has(fMissing) || f.has(fDamaged) || f.has(fNegative) || anger) ||
		len(in.Earlier) >= 2 && earlierProblem > 0 || len(in.Earlier) >= 1 && earlierProblem > 0 && (f.has(fLate) || f.has(fNegative) || anger)
	late := f.has(fLate) && !hypo
	damaged := f.has(fDamaged) && !hypo
	missing := f.has(fMissing) && !hypo
	defect := f.has(fDefect) && !hypo
	billingErr := f.has(fBillingError) && f.n[topicBilling] > 0 && !hypo
	notReceived := f.has(fDeliveredNot) && !hypo
	modify := f.has(fModify) && !hypo
	cancel := f.has(fCancel) && !hypo
	late = late || notReceived
	refund := f.has(fRefund) && !hypo && (repeat || late || f.has(fNegative) || anger)

	// Sentiment: negative words (anger counts double, problems count)
	// against positive ones; thanks inside a complaint or a politeness
	// formula is not praise.
	neg := float64(f.n[fNegative])*1 + float64(f.n[fAnger])*2
	if f.shouting {
		neg += 2
	}
	if !hypo {
		neg += float64(f.n[fDamaged] + f.n[fMissing] + f.n[fDefect] + f.n[fUnhappy] + f.n[fBillingError] + f.n[fDeliveredNot])
		if late && (repeat || f.has(fNegative)) {
			neg++
		}
		if late && !question {
			neg += 0.5
		}
	}
	if repeat {
		neg++
	}
	if threat {
		neg += 2
	}
	neg += float64(f.negated) // "not happy"
	pos := float64(f.n[fPositive] - f.negated)
	if f.has(fThanks) && !f.has(fAdvance) {
		pos++
	}
	if f.has(fThanks) && f.has(fAdvance) && f.n[fThanks] > 1 {
		pos += 0.5
	}
	switch {
	case pos >= 1 && pos > neg:
		t.Sentiment = ragkb.SentimentPositive
	case neg >= 1:
		t.Sentiment = ragkb.SentimentNegative
	default:
		t.Sentiment = ragkb.SentimentNeutral
	}
	negative := t.Sentiment == ragkb.SentimentNegative

	// Urgency score.
	u := 0.0
	if anger {
		u += wAnger
		tag(TagAnger, "angry wording")
	}
	if repeat {
		u += wRepeat
		tag(TagRepeatContact, "repeated contact")
	}
	urgentWords := f.has(fUrgent) && !hypo
	deadline := f.has(fDeadline) && (question || late || negative || urgentWords)
	if urgentWords {
		tag(TagUrgentWording, "marked urgent")
	}
	if deadline {
		tag(TagDeadline, "deadline")
	}
	if urgentWords || deadline {
		u += wTime
	}
	positive := t.Sentiment == ragkb.SentimentPositive
	problem := !positive && (damaged || missing || refund || defect || billingErr || notReceived || late && (repeat || negative))
	unhappy := negative && (f.has(fUnhappy) || f.negated > 0)
	switch {
	case problem:
		u += wProblem
	case late:
		u += wLate
	}
	for _, c := range []struct {
		on          bool
		tag, reason string
	}{
		{late, TagLateDelivery, "late delivery"}, {damaged, TagDamagedItem, "damaged item"},
		{missing, TagWrongItem, "wrong or missing item"}, {refund, TagRefund, "refund owed"},
		{defect, TagDefect, "product does not work"}, {billingErr, TagBillingError, "charged twice"},
		{notReceived, TagNotReceived, "marked delivered, not received"}, {modify, TagOrderChange, "asks to change the order"},
	} {
		if c.on {
			tag(c.tag, c.reason)
		}
	}
	if unhappy {
		u += wUnhappy
		tag(TagUnhappy, "dissatisfied")
	}
	if f.has(fReview) && negative {
		u += wReview
		tag(TagReviewThreat, "threatens a bad review")
	}
	if cancel {
		tag(TagCancel, "asks to cancel")
	}
	if negative {
		u += wNegative
	}
	if f.has(fThanks) && !f.has(fAdvance) && !negative {
		tag(TagThanks, "")
	}

	greeting := in.Intent != nil && !in.Intent.OutOfScope && in.Intent.Name == "greeting"
	switch {
	case threat:
		t.Priority = ragkb.PriorityUrgent
	case u >= urgentScore:
		t.Priority = ragkb.PriorityUrgent
	case u >= highScore || negative && problem || human || modify || cancel:
		t.Priority = ragkb.PriorityHigh
	case (t.Sentiment == ragkb.SentimentPositive || greeting) && !question && u == 0:
		t.Priority = ragkb.PriorityLow
		t.Reasons = append(t.Reasons, "no request")
	default:
		t.Priority = ragkb.PriorityNormal
	}
	// A person must act: sensitive topics and requests for one, urgent
	// tickets, and problems a bot cannot fix (a damaged or wrong item, a
	// refund owed, a customer writing again about a problem).
	switch {
	case routed, in.AgentIntent, threat:
		t.NeedsAgent = true
		if in.AgentIntent && !routed {
			tag(TagHumanRequested, "intent goes to a person")
		}
	case t.Priority == ragkb.PriorityUrgent, modify, cancel:
		t.NeedsAgent = true
	case problem && (damaged || missing || refund || defect || billingErr || notReceived || repeat):
		t.NeedsAgent = true
	}

	switch {
	case safety:
		t.Topic = TopicProduct
	case defect && !damaged && !missing && !refund:
		t.Topic = cmpOr(in.IntentTopic, TopicWarranty)
		if it := in.Intent; in.IntentTopic == "" && it != nil && !it.OutOfScope && intentTopics[it.Name] == TopicProduct {
			t.Topic = TopicProduct
		}
	case billingErr:
		t.Topic = TopicBilling
	case modify:
		t.Topic = cmpOr(wordTopic(f), TopicDelivery)
	default:
		t.Topic = topicOf(in, f, late, damaged || missing, refund, routing)
	}
	if in.Config != nil {
		apply(&t, in.Config.Rules)
	}
	return t
}

// topicOf picks the topic: a problem's own topic first (late → delivery,
// damaged, wrong or refund → returns), then the intent's, then the words'.
func topicOf(in Input, f *found, late, itemProblem, refund bool, routing *guard.Routing) string {
	switch {
	case late && !itemProblem && !refund:
		return TopicDelivery
	case itemProblem || refund:
		return TopicReturns
	case routing.Reason == guard.ReasonDispute || routing.Reason == guard.ReasonFraud || routing.Reason == guard.ReasonCard:
		return TopicBilling
	}
	if in.IntentTopic != "" {
		return in.IntentTopic
	}
	if it := in.Intent; it != nil && !it.OutOfScope {
		if topic, ok := intentTopics[it.Name]; ok {
			return topic
		}
	}
	if topic := wordTopic(f); topic != "" {
		return topic
	}
	if it := in.Intent; it != nil && it.Confidence >= 0.5 {
		if topic, ok := intentTopics[it.Name]; ok {
			return topic
		}
	}
	return TopicOther
}

// WordTopic is the topic the words of text point to ("" when none does).
func WordTopic(text string) string { return wordTopic(scan(text)) }

func wordTopic(f *found) string {
	best, bestN := "", 0
	for _, c := range []struct {
		f     feature
		topic string
	}{
		{topicReturns, TopicReturns}, {topicWarranty, TopicWarranty}, {topicBilling, TopicBilling},
		{topicDelivery, TopicDelivery}, {topicStore, TopicStore}, {topicProduct, TopicProduct},
	} {
		if n := f.n[c.f]; n > bestN {
			best, bestN = c.topic, n
		}
	}
	return best
}

// found is what scan saw in a message.
type found struct {
	n        [numFeatures]int
	negated  int // positive words under a negation ("not happy")
	question bool
	shouting bool // several words in capitals, or "!!"
}

func (f *found) has(x feature) bool { return f.n[x] > 0 }

// negators turn a positive word that follows them (within three words) into a
// negative one, and cancel a negative one ("no problem").
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "didn": true, "doesn": true, "don": true, "isn": true, "wasn": true,
	"aren": true, "weren": true, "nie": true, "wcale": true, "nigdy": true, "niezbyt": true, "non": true, "mai": true,
	"nessun": true, "nessuna": true, "nicht": true, "kein": true, "keine": true, "keinen": true, "keiner": true,
	"nie_": true, "pas": true, "jamais": true, "aucun": true, "aucune": true, "nunca": true, "ningun": true,
	"ninguna": true, "ni": true, "sin": true, "ohne": true, "senza": true, "sans": true, "bez": true, "nothing": true,
}

// questionStarts are words that open a question without a question mark.
var questionStarts = map[string]bool{
	"how": true, "what": true, "when": true, "where": true, "why": true, "can": true, "could": true, "do": true,
	"does": true, "is": true, "are": true, "will": true, "would": true, "jak": true, "czy": true, "kiedy": true,
	"gdzie": true, "ile": true, "dlaczego": true, "come": true, "quando": true, "dove": true, "posso": true,
	"potete": true, "quanto": true, "wie": true, "wann": true, "wo": true, "kann": true, "konnen": true, "gibt": true,
	"ist": true, "comment": true, "quand": true, "ou": true, "pouvez": true, "est": true, "combien": true,
	"como": true, "cuando": true, "donde": true, "puedo": true, "pueden": true, "cuanto": true, "hay": true,
}

// scan finds the features of text.
func scan(text string) *found {
	f := &found{question: strings.Contains(text, "?") || strings.Contains(text, "¿")}
	f.shouting = strings.Contains(text, "!!") || shouting(text)
	words := textnorm.Words(text)
	if len(words) > 0 && questionStarts[words[0]] {
		f.question = true
	}
	words = dropGreetings(words)
	var hit [numFeatures]bool
	for i := range words {
		w := words[i]
		for l := 1; l <= len(w) && l <= maxStemBytes; l++ {
			for _, m := range index.byStem[w[:l]] {
				if m.exact[0] && l != len(w) {
					continue
				}
				if !m.matchRest(words, i) {
					continue
				}
				neg := negatedAt(words, i)
				switch {
				case m.f == fPositive && neg:
					f.negated++
					continue
				case m.f == fNegative && neg && len(m.parts) == 1:
					// "no problem", "kein Problem", "nessun problema"
					continue
				}
				if !hit[m.f] || m.f == fAnger || m.f == fNegative || m.f == fPositive || m.f >= topicDelivery {
					f.n[m.f]++
				}
				hit[m.f] = true
			}
		}
	}
	return f
}

// negatedAt reports whether one of the three words before i is a negator
// ("pas du tout satisfait").
func negatedAt(words []string, i int) bool {
	for j := max(0, i-3); j < i; j++ {
		if negators[words[j]] {
			return true
		}
	}
	return false
}

// dropGreetings removes fixed greetings whose words would read as features
// ("guten Morgen" is not a deadline, "buenos días" is not a date).
func dropGreetings(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) && (words[i] == "guten" && words[i+1] == "morgen" || words[i] == "buenos" && words[i+1] == "dias") {
			i++
			continue
		}
		out = append(out, words[i])
	}
	return out
}

// shouting reports whether at least three words of three or more letters
// are all capitals (and the message is not all capitals because it is
// short).
func shouting(text string) bool {
	caps, words := 0, 0
	for w := range strings.FieldsSeq(text) {
		letters, upper := 0, 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		if letters >= 3 {
			words++
			if upper == letters {
				caps++
			}
		}
	}
	return caps >= 3 || words >= 3 && caps*2 > words
}
