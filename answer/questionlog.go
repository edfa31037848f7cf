package answer

import (
	"strings"

	"github.com/ragkb/ragkb"
)

// logQuestion fills the question-log fields of l and gives the response its
// answer id: the redacted question, its language, the intent confidence,
// the cited sources, the conversation turn and the reason.
func logQuestion(l *ragkb.AnswerLog, resp *ragkb.AnswerResponse, question, reason string, turns int) {
	if resp.AnswerID == "" {
		resp.AnswerID = ragkb.NewID("ans")
	}
	l.ID, l.Question, l.Language, l.Turn, l.Reason = resp.AnswerID, question, resp.Language, turns, reason
	if resp.Intent != nil {
		l.Confidence = resp.Intent.Confidence
	}
	for _, c := range resp.Citations {
		l.Citations = append(l.Citations, ragkb.LogCitation{ResourceID: c.ResourceID, ChunkID: c.ChunkID, Title: c.Title})
	}
}

// customerTurns counts the customer's earlier messages (the question itself,
// when the chatbot repeats it as the last message, excluded): 0 means the
// question starts a conversation.
func customerTurns(conv []ragkb.Message, question string) int {
	n := 0
	for i, m := range conv {
		if m.Role != "user" {
			continue
		}
		if i == len(conv)-1 && strings.TrimSpace(m.Content) == strings.TrimSpace(question) {
			continue
		}
		n++
	}
	return n
}
