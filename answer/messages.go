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

// clarifyQuestion asks the customer to choose between options.
var clarifyQuestion = map[string]string{
	"en": "Did you mean one of these?",
	"it": "Intendevi una di queste?",
	"fr": "Vouliez-vous dire l'une de ces questions ?",
	"de": "Meinten Sie eine dieser Fragen?",
	"pl": "Czy chodziło o jedno z tych pytań?",
	"es": "¿Te refieres a una de estas?",
}

// topicLabels name the questionnaire topics in the customer's language, for
// clarify options when the approved question is in another language.
var topicLabels = map[string]map[string]string{
	"delivery_time":          {"en": "Delivery times", "it": "Tempi di consegna", "fr": "Délais de livraison", "de": "Lieferzeiten", "pl": "Czas dostawy", "es": "Plazos de entrega"},
	"store_pickup":           {"en": "Pickup in store", "it": "Ritiro in negozio", "fr": "Retrait en magasin", "de": "Abholung im Geschäft", "pl": "Odbiór osobisty", "es": "Recogida en tienda"},
	"delivery_methods":       {"en": "Delivery methods", "it": "Metodi di spedizione", "fr": "Modes de livraison", "de": "Versandarten", "pl": "Metody dostawy", "es": "Métodos de envío"},
	"discounts":              {"en": "Discounts", "it": "Sconti", "fr": "Réductions", "de": "Rabatte", "pl": "Rabaty", "es": "Descuentos"},
	"store_location":         {"en": "Where the shop is", "it": "Dove si trova il negozio", "fr": "Où se trouve la boutique", "de": "Wo das Geschäft ist", "pl": "Gdzie jest sklep", "es": "Dónde está la tienda"},
	"new_products_only":      {"en": "New products only", "it": "Solo prodotti nuovi", "fr": "Produits neufs uniquement", "de": "Nur neue Produkte", "pl": "Tylko nowe produkty", "es": "Solo productos nuevos"},
	"original_products_only": {"en": "Original products", "it": "Prodotti originali", "fr": "Produits authentiques", "de": "Originalprodukte", "pl": "Oryginalne produkty", "es": "Productos originales"},
	"warranty":               {"en": "Warranty", "it": "Garanzia", "fr": "Garantie", "de": "Garantie", "pl": "Gwarancja", "es": "Garantía"},
	"invoice":                {"en": "Invoices", "it": "Fatture", "fr": "Factures", "de": "Rechnungen", "pl": "Faktury", "es": "Facturas"},
}

// message picks an assistant's message for the customer's language: the
// per-language one, else the assistant's single one, else the built-in.
func message(builtin map[string]string, lang string, perLang map[string]string, custom string) string {
	if s := perLang[lang]; s != "" {
		return s
	}
	return localized(builtin, lang, custom)
}
