package guard

import (
	"regexp"
	"slices"
	"strings"
)

// Kinds of specific things a question can name.
const (
	SpecCountry = "country"
	SpecColour  = "colour"
	SpecPayment = "payment"
	SpecDay     = "day"
	SpecModel   = "model" // product model codes such as X200, Z5, iPhone 15
)

// Specific is one specific thing named in a text: its kind and a canonical
// value shared by its spellings in the six languages ("de" for Germany,
// Niemcy, Deutschland, Germania, Allemagne, Alemania).
type Specific struct {
	Kind, Value string
}

// specWord lists, per kind and canonical value, folded word prefixes that
// name it in en, pl, de, it, fr and es (prefixes also catch Polish and
// German inflections: "Niemiec", "Niemczech", "Austrii").
var specWords = map[string]map[string][]string{
	SpecCountry: {
		"at": {"austria", "austrii", "austri", "osterreich", "autriche"},
		"de": {"germany", "german", "niemiec", "niemcz", "niemcy", "deutschland", "germania", "allemagne", "alemania"},
		"ch": {"switzerland", "swiss", "szwajcari", "schweiz", "svizzera", "suisse", "suiza"},
		"fr": {"france", "french", "francj", "frankreich", "francia"},
		"it": {"italy", "italian", "wloch", "wlosz", "wlochy", "italien", "italia", "italie"},
		"es": {"spain", "spanish", "hiszpani", "spanien", "spagna", "espagne", "espana"},
		"pl": {"poland", "polish", "polsk", "polski", "polen", "polonia", "pologne"},
		"gb": {"uk", "united kingdom", "britain", "england", "wielkiej brytanii", "wielka brytania", "anglii", "grossbritannien", "england", "regno unito", "inghilterra", "royaume-uni", "angleterre", "reino unido", "inglaterra"},
		"us": {"usa", "united states", "america", "stanow zjednoczonych", "stany zjednoczone", "vereinigte staaten", "stati uniti", "etats-unis", "estados unidos"},
		"jp": {"japan", "japoni", "japonia", "giappone", "japon"},
		"cn": {"china", "chinach", "chiny", "cina", "chine", "chin"},
		"nl": {"netherlands", "holland", "dutch", "holandi", "niderland", "niederlande", "olanda", "paesi bassi", "pays-bas", "hollande", "holanda", "paises bajos"},
		"be": {"belgium", "belgi", "belgien", "belgio", "belgique", "belgica"},
		"cz": {"czech", "czech republic", "czechy", "czech", "tschechien", "repubblica ceca", "republique tcheque", "republica checa", "chequia"},
		"sk": {"slovakia", "slowacj", "slowakei", "slovacchia", "slovaquie", "eslovaquia"},
		"se": {"sweden", "szwecj", "schweden", "svezia", "suede", "suecia"},
		"no": {"norway", "norwegi", "norwegen", "norvegia", "norvege", "noruega"},
		"dk": {"denmark", "danii", "danemark", "danimarca", "dinamarca", "danish", "dansk", "danemark", "danmark", "dania"},
		"ie": {"ireland", "irlandi", "irland", "irlanda", "irlande"},
		"pt": {"portugal", "portugali", "portogallo"},
		"ca": {"canada", "kanad", "kanada"},
		"au": {"australia", "australi", "australien", "australie"},
		"ua": {"ukraine", "ukrain", "ucraina", "ucrania"},
		"lt": {"lithuania", "litw", "litauen", "lituania", "lituanie"},
		"hu": {"hungary", "wegr", "ungarn", "ungheria", "hongrie", "hungria"},
		"ro": {"romania", "rumuni", "rumanien", "roumanie", "rumania"},
		"gr": {"greece", "grecj", "griechenland", "grecia", "grece"},
	},
	SpecColour: {
		"red":    {"red", "czerwon", "rot", "rosso", "rossa", "rosse", "rossi", "rouge", "rojo", "roja"},
		"blue":   {"blue", "niebiesk", "blau", "blu", "bleu", "azul"},
		"green":  {"green", "zielon", "grun", "verde", "verdi", "vert", "verte"},
		"black":  {"black", "czarn", "schwarz", "nero", "nera", "neri", "nere", "noir", "noire", "negro", "negra"},
		"white":  {"white", "bialy", "biala", "biale", "bialej", "weiss", "bianco", "bianca", "bianchi", "blanc", "blanche", "blanco", "blanca"},
		"yellow": {"yellow", "zolty", "zolta", "zolte", "gelb", "giallo", "gialla", "jaune", "amarillo", "amarilla"},
		"pink":   {"pink", "rozow", "rosa", "rose"},
		"grey":   {"grey", "gray", "szary", "szara", "szare", "grau", "grigio", "grigia", "gris"},
		"brown":  {"brown", "brazow", "braun", "marrone", "marron"},
		"purple": {"purple", "fiolet", "lila", "viola", "violet", "morado", "morada"},
		"orange": {"orange", "pomarancz", "arancion", "naranja"},
	},
	SpecPayment: {
		"paypal":   {"paypal"},
		"bitcoin":  {"bitcoin", "crypto", "kryptowalut", "krypto", "cripto", "btc"},
		"blik":     {"blik"},
		"klarna":   {"klarna"},
		"applepay": {"apple pay", "applepay"},
		"gpay":     {"google pay", "gpay"},
		"cod":      {"cash on delivery", "pobrani", "nachnahme", "contrassegno", "contre-remboursement", "contra reembolso", "contrarreembolso"},
		"transfer": {"bank transfer", "wire transfer", "przelew", "uberweisung", "bonifico", "virement", "transferencia"},
		"card":     {"credit card", "debit card", "visa", "mastercard", "amex", "karta kredytow", "kreditkarte", "carta di credito", "carte bancaire", "carte de credit", "tarjeta de credito"},
		"cash":     {"cash", "gotowk", "bargeld", "bar bezahlen", "contanti", "especes", "efectivo"},
		"sofort":   {"sofort"},
		// Paying in instalments is a way to pay that a text about cards
		// and BLIK does not promise.
		"instalments": {"instalment", "installment", "raty", "ratach", "ratal", "na rat", "rat 0", "raten", "a rate", "in rate", "rateal", "rateizz",
			"en plusieurs fois", "en 3 fois", "en 4 fois", "en 10 fois", "mensualit", "paiement fractionn", "a plazos", "en plazos", "en cuotas"},
	},
	SpecDay: {
		"mon": {"monday", "poniedzial", "montag", "lunedi", "lundi", "lunes"},
		"tue": {"tuesday", "wtorek", "wtork", "dienstag", "martedi", "mardi", "martes"},
		"wed": {"wednesday", "sroda", "srode", "srody", "mittwoch", "mercoledi", "mercredi", "miercoles"},
		"thu": {"thursday", "czwart", "donnerstag", "giovedi", "jeudi", "jueves"},
		"fri": {"friday", "piatek", "piatki", "piatk", "freitag", "venerdi", "vendredi", "viernes"},
		"sat": {"saturday", "sobot", "samstag", "sabato", "samedi", "sabado"},
		"sun": {"sunday", "niedziel", "sonntag", "domenica", "dimanche", "domingo"},
		"hol": {"christmas", "easter", "swiet", "swieta", "wigili", "weihnacht", "ostern", "natale", "pasqua", "noel", "paques", "navidad", "semana santa"},
	},
}

// abroadWords (folded prefixes) mean "other countries" in general: an
// approved text about shipping abroad covers a question naming a country.
var abroadWords = []string{
	"abroad", "international", "overseas", "foreign", "other countr", "another countr", "different countr", "outside", "worldwide", "eu countr", "europe",
	"zagranic", "za granic", "inne kraj", "innych kraj", "europ", "swiat",
	"ausland", "international", "andere lander", "anderen lander", "weltweit",
	"estero", "internazional", "altri paesi", "mondo",
	"etranger", "internationa", "autres pays", "monde",
	"extranjero", "internacional", "otros paises", "todo el mundo",
}

// abroad is the Specific value of "other countries" in general
// (abroadWords): a text about shipping abroad covers a question naming any
// country, and a question about shipping abroad is not answered by a text
// about one country.
const abroad = "abroad"

// modelRe matches product model codes: a letter run and a digit run glued
// or hyphenated (X200, Z5, RTX-4090, A5s); "has 3" is no model.
var modelRe = regexp.MustCompile(`\b([a-z]{1,5})-?(\d{1,5}[a-z]{0,2})\b`)

// notModel are letter-digit shapes that are not model codes (units, times,
// order and tax words).
var notModel = map[string]bool{
	"h": true, "hr": true, "hrs": true, "min": true, "kg": true, "g": true, "cm": true, "mm": true, "m": true, "km": true,
	"l": true, "ml": true, "eur": true, "usd": true, "pln": true, "gbp": true, "chf": true, "zl": true, "nr": true, "no": true,
	"n": true, "vat": true, "iva": true, "tva": true, "mwst": true, "am": true, "pm": true, "top": true, "in": true,
	"within": true, "to": true, "do": true, "of": true, "days": true, "dni": true, "tage": true, "giorni": true, "jours": true, "dias": true,
	"order": true, "zamowienie": true, "ordine": true, "commande": true, "bestellung": true, "pedido": true,
}

// Specifics returns the specific things text names, in order of kind and value.
func Specifics(text string) []Specific {
	f := " " + strings.Join(wordsOf(fold(text)), " ") + " "
	var out []Specific
	for _, n := range specNeedles {
		if strings.Contains(f, n.needle) && (len(out) == 0 || out[len(out)-1] != n.Specific) {
			out = append(out, n.Specific)
		}
	}
	for _, m := range modelRe.FindAllStringSubmatch(f, -1) {
		if notModel[m[1]] || len(m[1]) > 3 && len(m[2]) < 2 {
			continue
		}
		out = append(out, Specific{SpecModel, m[1] + m[2]})
	}
	slices.SortFunc(out, func(a, b Specific) int { return strings.Compare(a.Kind+"\x00"+a.Value, b.Kind+"\x00"+b.Value) })
	return slices.Compact(out)
}

// specNeedle is one word of specWords (or abroadWords) as the padded
// string Specifics looks for in padded folded text, built once (Specifics
// runs on every question and candidate text): a word prefix when the word
// has at least five letters (inflections: "Niemczech", "czerwona"), else a
// whole word ("rot" is not "rotate").
type specNeedle struct {
	Specific
	needle string
}

// specNeedles lists every word of specWords and abroadWords, grouped by
// Specific (Specifics sorts and de-duplicates what it finds).
var specNeedles = func() []specNeedle {
	var out []specNeedle
	add := func(s Specific, words []string) {
		for _, w := range words {
			n := " " + w
			if len(w) < 5 {
				n += " "
			}
			out = append(out, specNeedle{s, n})
		}
	}
	for kind, values := range specWords {
		for value, words := range values {
			add(Specific{kind, value}, words)
		}
	}
	add(Specific{SpecCountry, abroad}, abroadWords)
	return out
}()

// wordsOf splits folded text into words of letters, digits and hyphens
// ("all'estero" is "all estero").
func wordsOf(f string) []string {
	return strings.FieldsFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r > 0x7f)
	})
}

// Fit says how an approved text relates to the specific things a question names.
type Fit int

// Fits.
const (
	// FitNeutral: the question names nothing specific, or the text is
	// silent about a kind that does not need to match (a model code).
	FitNeutral Fit = iota
	// FitSupported: everything specific the question names is in the text
	// (or the text covers it, such as "abroad" for a country).
	FitSupported
	// FitConflict: the question names a specific thing the text does not
	// cover: another country, colour, payment method, day or model, or a
	// country, colour, payment method or day the text never mentions.
	FitConflict
)

// SpecificFit compares the specific things named in question with those in
// an approved text (its question, examples and answer joined). A conflict
// means the text is not the answer: "Do you ship to Japan?" is not answered
// by "Yes, we ship to Germany", "red jacket" not by the blue jacket's text,
// the Z5 saw not by the X200 drill's warranty, Bitcoin not by PayPal.
func SpecificFit(question, text string) Fit {
	qs := Specifics(question)
	if len(qs) == 0 {
		return FitNeutral
	}
	return FitSpecifics(qs, Specifics(text))
}

// FitSpecifics is SpecificFit over specifics already found (qs in the
// question, ts in the approved text).
func FitSpecifics(qs, ts []Specific) Fit {
	if len(qs) == 0 {
		return FitNeutral
	}
	has := func(s Specific) bool { return slices.Contains(ts, s) }
	kindIn := func(kind string) bool {
		return slices.ContainsFunc(ts, func(s Specific) bool { return s.Kind == kind })
	}
	general := has(Specific{SpecCountry, abroad})
	fit := FitSupported
	for _, s := range qs {
		switch {
		case has(s):
		case s.Kind == SpecCountry && general:
		case s.Kind == SpecModel && !kindIn(SpecModel):
			// A general text (the shop's warranty terms) may cover every model.
			fit = min(fit, FitNeutral)
		default:
			return FitConflict
		}
	}
	return fit
}
