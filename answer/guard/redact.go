package guard

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of personal data Redact finds; each is replaced by "[" + kind + "]".
const (
	PIICard  = "card"
	PIIIBAN  = "iban"
	PIIEmail = "email"
	PIIPhone = "phone"
)

// Finding locates one piece of personal data Redact replaced. It never
// carries the value: Start and End are byte offsets in the original text.
type Finding struct {
	Type       string
	Start, End int
}

var (
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}`)
	// ibanStartRe finds where an IBAN may start; ibanAt reads the rest.
	ibanStartRe = regexp.MustCompile(`(?i)\b[a-z]{2}\d{2}`)
	// digitRunRe matches digits separated by single spaces or dashes, the
	// shape of card numbers and of Polish account numbers (NRB).
	digitRunRe = regexp.MustCompile(`\d(?:[ .\-]?\d)+`)
	// phoneRunRe matches what a phone number can look like: an optional +
	// or opening parenthesis, digits, and single separators between them.
	phoneRunRe = regexp.MustCompile(`(?:\+\s?|\()?\d(?:(?:[ .\-/]|\)\s?|\s?\()?\d)*\)?`)
)

// phoneContext and orderContext are words (folded) that, shortly before a
// number, say what it is.
var (
	phoneContext = []string{"phone", "tel", "call", "mobile", "cell", "whatsapp", "sms", "text me", "number is",
		"numer", "komork", "zadzwon", "cellulare", "chiama", "telefono", "portable", "appele", "joindre",
		"handy", "anruf", "rufen", "movil", "llama", "contact", "kontakt", "reach me", "fax"}
	orderContext = []string{"order", "zamowien", "ordine", "commande", "bestell", "pedido", "tracking", "track",
		"sendung", "paczk", "przesylk", "spedizion", "colis", "envio", "invoice", "faktur", "fattura", "factur",
		"rechnung", "sku", "ref", "nr", "no.", "n.", "#", "num", "code", "kod", "codice", "artikel", "article",
		"product", "produkt", "prodotto", "awb", "rma", "ticket", "case", "id"}
)

// Redact replaces card numbers (Luhn-valid, 13–19 digits), IBANs (valid
// mod-97 check digits, with or without spaces, and Polish account numbers
// without the country code), e-mail addresses and phone numbers with
// "[card]", "[iban]", "[email]" and "[phone]". Order numbers, prices, dates,
// times and postcodes are kept: a bare digit run counts as a phone number
// only when it starts with + or 00, is formatted like a phone number, or
// follows a word such as "phone" or "call"; a word such as "order" or
// "invoice" just before it keeps it.
func Redact(text string) (redacted string, found []Finding) {
	var spans []Finding
	taken := func(start, end int) bool {
		for _, s := range spans {
			if start < s.End && s.Start < end {
				return true
			}
		}
		return false
	}
	add := func(kind string, start, end int) {
		if !taken(start, end) {
			spans = append(spans, Finding{Type: kind, Start: start, End: end})
		}
	}
	for _, m := range emailRe.FindAllStringIndex(text, -1) {
		add(PIIEmail, m[0], m[1])
	}
	for _, m := range ibanStartRe.FindAllStringIndex(text, -1) {
		if end, ok := ibanAt(text, m[0]); ok {
			add(PIIIBAN, m[0], end)
		}
	}
	for _, m := range digitRunRe.FindAllStringIndex(text, -1) {
		if !isolated(text, m[0], m[1]) {
			continue
		}
		findCardsAndAccounts(text, m[0], m[1], add)
	}
	for _, m := range phoneRunRe.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		// the run regexp may take a closing parenthesis that belongs to the text
		if text[end-1] == ')' && !strings.Contains(text[start:end], "(") {
			end--
		}
		if taken(start, end) || !isolated(text, start, end) {
			continue
		}
		if isPhone(text, start, end) {
			add(PIIPhone, start, end)
		}
	}
	if len(spans) == 0 {
		return text, nil
	}
	slices.SortFunc(spans, func(a, b Finding) int { return a.Start - b.Start })
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.Start])
		b.WriteString("[" + s.Type + "]")
		last = s.End
	}
	b.WriteString(text[last:])
	return b.String(), spans
}

// isolated reports whether text[start:end] is not glued to letters or
// digits, nor part of a decimal number ("1.299,00") or a percentage.
func isolated(text string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			return false
		}
		if (r == '.' || r == ',') && start > 1 && isDigit(text[start-2]) {
			return false
		}
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '%' {
			return false
		}
		if (r == '.' || r == ',') && end+1 < len(text) && isDigit(text[end+1]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// group is a maximal run of digits inside a digit run.
type group struct{ start, end int }

func digitGroups(text string, start, end int) []group {
	var gs []group
	for i := start; i < end; {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < end && isDigit(text[j]) {
			j++
		}
		gs = append(gs, group{i, j})
		i = j
	}
	return gs
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// findCardsAndAccounts looks in a digit run for card numbers and Polish
// account numbers. A run may hold more than one number ("4111 1111 1111
// 1111 12 27"), so sub-runs on group boundaries are tried, longest first.
func findCardsAndAccounts(text string, start, end int, add func(string, int, int)) {
	gs := digitGroups(text, start, end)
	for i := 0; i < len(gs); i++ {
		// no number of interest has more than 26 digits
		jmax, n := i-1, 0
		for k := i; k < len(gs); k++ {
			n += gs[k].end - gs[k].start
			if n > 26 {
				break
			}
			jmax = k
		}
		for j := jmax; j >= i; j-- {
			d := digitsOf(text[gs[i].start:gs[j].end])
			if len(d) == 26 && validIBAN("PL"+d) {
				add(PIIIBAN, gs[i].start, gs[j].end)
				i = j
				break
			}
			if len(d) >= 13 && len(d) <= 19 && d[0] >= '2' && d[0] <= '6' && strings.Count(d, d[:1]) != len(d) &&
				(luhn(d) || typedCard(text, gs, i, j)) {
				add(PIICard, gs[i].start, gs[j].end)
				i = j
				break
			}
		}
	}
}

// typedCard reports whether groups i..j are written the way a card is
// printed, four groups of four digits that are not part of a longer run of
// such groups (an account number), in a message that says it is a card
// ("my card", "moja karta", "ma carte", "la mia carta", "mi tarjeta"). A
// customer who mistypes one digit of their card still sent a card: it is
// redacted and handed to a person although the Luhn check fails, while an
// order number that merely looks like one is left alone.
func typedCard(text string, gs []group, i, j int) bool {
	four := func(k int) bool { return k >= 0 && k < len(gs) && gs[k].end-gs[k].start == 4 }
	if j-i != 3 || four(i-1) || four(j+1) || !namesCard(text) {
		return false
	}
	for k := i; k <= j; k++ {
		if !four(k) {
			return false
		}
	}
	return true
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// ibanLengths are the IBAN lengths of the countries that use IBANs.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// ibanAt reads an IBAN starting at text[start]: the country's number of
// letters and digits, optionally grouped by single spaces or dashes, with
// valid mod-97 check digits. It returns the end offset.
func ibanAt(text string, start int) (int, bool) {
	if start > 0 && isAlnum(text[start-1]) {
		return 0, false
	}
	want, ok := ibanLengths[strings.ToUpper(text[start:start+2])]
	if !ok {
		return 0, false
	}
	var b strings.Builder
	i := start
	for i < len(text) && b.Len() < want {
		c := text[i]
		switch {
		case isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'):
			b.WriteByte(c)
			i++
		case (c == ' ' || c == '-') && b.Len() >= 4 && i+1 < len(text) && isAlnum(text[i+1]):
			i++
		default:
			return 0, false
		}
	}
	if b.Len() != want || (i < len(text) && isAlnum(text[i])) {
		return 0, false
	}
	return i, validIBAN(strings.ToUpper(b.String()))
}

func isAlnum(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// validIBAN checks the mod-97 check digits of an upper-case IBAN.
func validIBAN(iban string) bool {
	if len(iban) < 15 || len(iban) > 34 {
		return false
	}
	rearranged := iban[4:] + iban[:4]
	var num strings.Builder
	for i := 0; i < len(rearranged); i++ {
		c := rearranged[i]
		switch {
		case isDigit(c):
			num.WriteByte(c)
		case 'A' <= c && c <= 'Z':
			n := int(c-'A') + 10
			num.WriteByte(byte('0' + n/10))
			num.WriteByte(byte('0' + n%10))
		default:
			return false
		}
	}
	// piecewise mod 97 keeps this allocation-free for any length
	s := num.String()
	rem := 0
	for i := 0; i < len(s); i++ {
		rem = (rem*10 + int(s[i]-'0')) % 97
	}
	return rem == 1
}

// isPhone decides whether the number-like run text[start:end] is a phone
// number.
func isPhone(text string, start, end int) bool {
	run := text[start:end]
	d := digitsOf(run)
	before := fold(text[max(0, start-32):start])
	for _, k := range []string{PIICard, PIIIBAN, PIIEmail, PIIPhone} {
		before = strings.ReplaceAll(before, "["+k+"]", " ") // a placeholder is no context
	}
	if strings.Count(d, d[:1]) == len(d) {
		return false
	}
	hasPhoneCtx := containsAny(lastWords(before, 4), phoneContext)
	hasOrderCtx := containsAny(lastWords(before, 3), orderContext)
	if hasOrderCtx && !hasPhoneCtx {
		return false
	}
	if afterPriceOrUnit(text, start, end) {
		return false
	}
	// international: +CC or 00CC
	if strings.HasPrefix(run, "+") || (strings.HasPrefix(run, "00") && len(d) > 2 && d[2] != '0') {
		n := len(d)
		if strings.HasPrefix(run, "00") {
			n -= 2
		}
		return n >= 8 && n <= 15
	}
	if hasPhoneCtx {
		return len(d) >= 7 && len(d) <= 13
	}
	if len(d) < 9 || len(d) > 11 {
		return false
	}
	seps, groups := shape(run)
	if len(groups) == 1 {
		// unformatted: only national numbers with a trunk 0 (FR, DE, IT landlines, UK)
		return d[0] == '0' && len(d) >= 10
	}
	if strings.HasPrefix(run, "(") {
		return true // "(030) 1234567", "(555) 123-4567": an area code
	}
	if len(seps) > 1 {
		return false // "12.05.2024 10" and similar mixtures
	}
	if d[0] == '0' {
		return true
	}
	return knownShapes[strings.Join(groups, "-")]
}

// knownShapes are digit group lengths of common national phone formats
// without a trunk 0: Polish and Spanish 3-3-3, Spanish 3-2-2-2, Italian
// mobiles 3-7 and 3-3-4, North American 3-3-4.
var knownShapes = map[string]bool{
	"3-3-3": true, "3-2-2-2": true, "3-7": true, "3-3-4": true, "3-4-3": true, "2-3-2-2": true, "3-3-2-2": true,
}

// shape returns the distinct separators of a run (parentheses ignored) and
// its digit group lengths as strings.
func shape(run string) (seps []string, groups []string) {
	seen := map[string]bool{}
	cur := 0
	var sep strings.Builder
	flush := func() {
		if cur > 0 {
			groups = append(groups, itoa(cur))
			cur = 0
		}
		if s := strings.TrimSpace(sep.String()); s != "" || sep.Len() > 0 {
			if s == "" {
				s = " "
			}
			if !seen[s] {
				seen[s] = true
				seps = append(seps, s)
			}
		}
		sep.Reset()
	}
	for i := 0; i < len(run); i++ {
		c := run[i]
		switch {
		case isDigit(c):
			if sep.Len() > 0 {
				flush()
			}
			cur++
		case c == '(' || c == ')' || c == '+':
			if cur > 0 {
				groups = append(groups, itoa(cur))
				cur = 0
			}
		default:
			if cur > 0 {
				groups = append(groups, itoa(cur))
				cur = 0
			}
			sep.WriteByte(c)
		}
	}
	if cur > 0 {
		groups = append(groups, itoa(cur))
	}
	return seps, groups
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// afterPriceOrUnit reports whether the run is a price or a measure: a
// currency or unit right before or after it.
func afterPriceOrUnit(text string, start, end int) bool {
	before := strings.TrimRight(text[max(0, start-5):start], " ")
	after := fold(strings.TrimLeft(text[end:min(len(text), end+6)], " "))
	for _, s := range []string{"€", "$", "£", "zł", "zl", "eur", "pln", "usd", "gbp", "chf"} {
		if strings.HasSuffix(fold(before), s) || strings.HasPrefix(after, s) {
			return true
		}
	}
	for _, s := range []string{"kg", "cm", "mm", "ml", "km", "%", "min", "h ", "sek", "sec"} {
		if strings.HasPrefix(after, s) {
			return true
		}
	}
	return false
}

// lastWords returns the last n whitespace-separated words of s.
func lastWords(s string, n int) []string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[len(f)-n:]
	}
	return f
}

// containsAny reports whether a word starts with one of the prefixes, or
// a prefix with a space (a phrase) occurs across the words.
func containsAny(words []string, prefixes []string) bool {
	joined := " " + strings.Join(words, " ")
	for _, p := range prefixes {
		if strings.Contains(p, " ") {
			if strings.Contains(joined, p) {
				return true
			}
			continue
		}
		for _, w := range words {
			w = strings.Trim(w, ":()[],;\"'")
			if strings.HasPrefix(w, p) || (p == "#" && strings.HasSuffix(w, "#")) {
				return true
			}
		}
	}
	return false
}

// cardWords are the word starts that name a payment card in the six
// languages (lower case): card, karta and its cases, Karte, carte, carta,
// tarjeta, the German compounds and the card schemes. Whole words are
// compared (and any word starting with "card"), so "karton" or "revisa"
// do not count.
var cardWords = []string{"card", "karta", "karty", "kartę", "kartą", "karcie", "karte", "karten", "kreditkarte", "bankkarte", "debitkarte", "carte", "carta", "tarjeta", "tarjetas", "visa", "mastercard", "maestro", "amex"}

// namesCard reports whether text mentions a payment card.
func namesCard(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(cardWords, w) || strings.HasPrefix(w, "card") })
}
