package lang

// hardQuestions are a second, harder table: chat-style questions with
// typos, no diacritics, brand names and very few words, written after the
// detector was built and not used to tune it.
var hardQuestions = map[string][]string{
	"en": {"hi is the nike air max 90 in stock", "u guys open sunday", "pls cancel asap", "wheres my stuff", "got charged twice??",
		"size chart for kids", "any promo codes", "courier lost it", "iphone case fits 15 pro?", "how many days to ireland"},
	"it": {"ciao avete le nike air max 90", "siete aperti domenica", "annullate subito per favore", "dove sono le mie cose", "mi avete addebitato due volte",
		"tabella taglie bimbi", "ci sono codici promo", "il corriere l'ha perso", "la cover va bene per iphone 15 pro?", "quanti giorni per la sardegna"},
	"fr": {"salut vous avez les nike air max 90", "ouvert le dimanche ?", "annulez vite svp", "ou sont mes affaires", "debite deux fois ??",
		"guide des tailles enfant", "un code promo ?", "le livreur l'a perdu", "la coque va sur iphone 15 pro ?", "combien de jours pour la corse"},
	"de": {"habt ihr die nike air max 90 da", "sonntags offen?", "bitte sofort stornieren", "wo bleibt mein zeug", "zweimal abgebucht??",
		"groessentabelle kinder", "gibts rabattcodes", "der bote hat es verloren", "passt die huelle aufs iphone 15 pro?", "wie lange nach oesterreich"},
	"pl": {"czesc macie nike air max 90", "otwarte w niedziele?", "prosze anulowac szybko", "gdzie moje rzeczy", "pobraliscie dwa razy??",
		"tabela rozmiarow dla dzieci", "sa jakies kody rabatowe", "kurier to zgubil", "etui pasuje na iphone 15 pro?", "ile dni do gdanska"},
	"es": {"hola teneis las nike air max 90", "abris el domingo", "cancelad ya porfa", "donde estan mis cosas", "me cobrasteis dos veces??",
		"guia de tallas ninos", "hay codigos promo", "el mensajero lo perdio", "la funda vale para iphone 15 pro?", "cuantos dias a canarias"},
}
