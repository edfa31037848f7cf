package answer

// defaultFallback and defaultAgent are used when the assistant has no message
// of its own, in the question's language where we have one.
var defaultFallback = map[string]string{
	"en": "Sorry, I don't have that information. A member of our team will get back to you.",
	"it": "Mi dispiace, non ho questa informazione. Un membro del nostro team ti risponderà al più presto.",
	"fr": "Désolé, je n'ai pas cette information. Un membre de notre équipe vous répondra rapidement.",
	"de": "Entschuldigung, diese Information habe ich nicht. Ein Mitglied unseres Teams meldet sich bei Ihnen.",
	"pl": "Przepraszamy, nie mam tej informacji. Ktoś z naszego zespołu wkrótce odpowie.",
	"es": "Lo siento, no tengo esa información. Un miembro de nuestro equipo te responderá pronto.",
}

var defaultAgent = map[string]string{
	"en": "I'm passing you to a member of our team, who will reply as soon as possible.",
	"it": "Ti metto in contatto con un membro del nostro team, che ti risponderà al più presto.",
	"fr": "Je vous mets en relation avec un membre de notre équipe, qui vous répondra au plus vite.",
	"de": "Ich leite Sie an ein Mitglied unseres Teams weiter, das sich so schnell wie möglich meldet.",
	"pl": "Przekazuję rozmowę do osoby z naszego zespołu, która odpowie najszybciej, jak to możliwe.",
	"es": "Te paso con un miembro de nuestro equipo, que te responderá lo antes posible.",
}

func localized(m map[string]string, lang, custom string) string {
	if custom != "" {
		return custom
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}
