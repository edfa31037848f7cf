package guard

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A fact is a checkable statement found in text: a number (plain, price,
// percentage or time of day), a date or a code such as a discount code.
type fact struct {
	kind string // factNumber, factPrice, factPercent, factTime, factDate, factCode
	text string // as written, for Verdict.Unsupported
	// keys are the canonical forms the fact may stand for: "1299" for
	// "1.299,00"; both "1.299" and "1299" for the ambiguous "1,299";
	// "m3d12" and "y2025m3d12" for dates; the lower-cased code.
	keys     []string
	currency string // ISO code for prices
}

const (
	factNumber  = "number"
	factPrice   = "price"
	factPercent = "percentage"
	factTime    = "time"
	factDate    = "date"
	factCode    = "code"
)

// months maps month names and abbreviations in the six languages, with and
// without diacritics, to 1..12.
var months = buildMonths()

func buildMonths() map[string]int {
	months := map[string]int{"maerz": 3}
	names := [][]string{
		{"january", "jan", "gennaio", "janvier", "januar", "jänner", "stycznia", "styczeń", "enero"},
		{"february", "feb", "febbraio", "février", "februar", "lutego", "luty", "febrero"},
		{"march", "mar", "marzo", "mars", "märz", "marca", "marzec"},
		{"april", "apr", "aprile", "avril", "kwietnia", "kwiecień", "abril"},
		{"may", "maggio", "mai", "maja", "maj", "mayo"},
		{"june", "jun", "giugno", "juin", "juni", "czerwca", "czerwiec", "junio"},
		{"july", "jul", "luglio", "juillet", "juli", "lipca", "lipiec", "julio"},
		{"august", "aug", "agosto", "août", "sierpnia", "sierpień"},
		{"september", "sep", "sept", "settembre", "septembre", "września", "wrzesień", "septiembre", "setiembre"},
		{"october", "oct", "ottobre", "octobre", "oktober", "października", "październik", "octubre"},
		{"november", "nov", "novembre", "listopada", "listopad", "noviembre"},
		{"december", "dec", "dicembre", "décembre", "dezember", "grudnia", "grudzień", "diciembre"},
	}
	for i, ns := range names {
		for _, n := range ns {
			months[n] = i + 1
			months[fold(n)] = i + 1
		}
	}
	return months
}

func monthPattern() string {
	var ns []string
	for n := range months {
		ns = append(ns, regexp.QuoteMeta(n))
	}
	sort.Slice(ns, func(i, j int) bool { return len(ns[i]) > len(ns[j]) || (len(ns[i]) == len(ns[j]) && ns[i] < ns[j]) })
	return `(` + strings.Join(ns, "|") + `)`
}

var (
	isoDateRe = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	numDateRe = regexp.MustCompile(`\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b`)
	// "12 March 2025", "12. März", "12 de marzo de 2025", "1er mars"
	dmyRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:\.|st|nd|rd|th|er|º|°)?\s+(?:de\s+)?` + monthPattern() + `\.?(?:,?\s+(?:de\s+)?(\d{4}))?\b`)
	// "March 12, 2025", "March 12th"
	mdyRe = regexp.MustCompile(`(?i)\b` + monthPattern() + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`)

	timeRe = regexp.MustCompile(`\b(\d{1,2})(?::|h)(\d{2})\b`)
	// numRe: "1 299,00" (space-grouped thousands) or "1.299,00", "49.99", "50".
	numRe      = regexp.MustCompile(`\d{1,3}(?:[ \x{00A0}\x{202F}]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)*`)
	currBefore = regexp.MustCompile(`(?i)(€|\$|£|zł|eur|pln|usd|gbp|chf)\s?$`)
	currAfter  = regexp.MustCompile(`(?i)^\s?(€|\$|£|zł|zl\b|złotych|zlotych|złote|złoty|eur\b|euro|euros|pln\b|usd\b|dollars?\b|gbp\b|pounds?\b|chf\b)`)
	pctAfter   = regexp.MustCompile(`(?i)^\s?(%|percent\b|per cent\b|pct\b|procent\w*|prozent\b|por ciento\b|pour cent\b|per cento\b|percento\b)`)
	// codeCtxRe: the upper-case word after "code", "kod rabatowy", "codice sconto"...
	codeCtxRe = regexp.MustCompile(`(?i:\b(?:code|coupon|voucher|promo|codice|kod|kodem|kodu|kuponem|gutschein\w*|rabattcode|gutscheincode|código|codigo|cupón|cupon)(?:\s+(?:rabatowy|rabatowym|promocyjny|promo|sconto|di sconto|de descuento|promocional|de réduction|de reduction|discount|promotional|promozionale))?)\s*:?\s*["'“„«]?([A-Z0-9][A-Z0-9_-]{2,})\b`)
	tokenRe   = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}_-]*`)
	unitRe    = regexp.MustCompile(`^\d+(?:[.,]\d+)?(?:[a-zA-Zµ]{1,3}|st|nd|rd|th|er|e|x)$`)
)

// currencyCodes maps symbols and names to ISO codes.
var currencyCodes = map[string]string{
	"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
	"£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "zł": "PLN", "zl": "PLN", "pln": "PLN",
	"złotych": "PLN", "zlotych": "PLN", "złote": "PLN", "złoty": "PLN", "chf": "CHF",
}

// extractFacts finds the facts stated in text.
func extractFacts(text string) []fact {
	var facts []fact
	masked := []byte(text)
	mask := func(start, end int) {
		for i := start; i < end; i++ {
			masked[i] = ' '
		}
	}
	// dates first, so their digits are not read as numbers
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(text, -1) {
		y, mo, d := atoi(text[m[2]:m[3]]), atoi(text[m[4]:m[5]]), atoi(text[m[6]:m[7]])
		if validDM(d, mo) {
			facts = append(facts, fact{kind: factDate, text: text[m[0]:m[1]], keys: dateKeys(y, mo, d)})
			mask(m[0], m[1])
		}
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(string(masked), -1) {
		if text[m[4]:m[5]] != text[m[8]:m[9]] { // "12.03-2025" is no date
			continue
		}
		a, b, y := atoi(text[m[2]:m[3]]), atoi(text[m[6]:m[7]]), atoi(text[m[10]:m[11]])
		if y < 100 {
			y += 2000
		}
		var keys []string
		if validDM(a, b) {
			keys = append(keys, dateKeys(y, b, a)...)
		}
		if validDM(b, a) && a != b {
			keys = append(keys, dateKeys(y, a, b)...) // month first, US style
		}
		if keys != nil {
			facts = append(facts, fact{kind: factDate, text: text[m[0]:m[1]], keys: keys})
			mask(m[0], m[1])
		}
	}
	for _, m := range findNearMonths(dmyRe, string(masked)) {
		d, mo := atoi(text[m[2]:m[3]]), months[strings.ToLower(text[m[4]:m[5]])]
		y := 0
		if m[6] >= 0 {
			y = atoi(text[m[6]:m[7]])
		}
		if validDM(d, mo) {
			facts = append(facts, fact{kind: factDate, text: text[m[0]:m[1]], keys: dateKeys(y, mo, d)})
			mask(m[0], m[1])
		}
	}
	for _, m := range findNearMonths(mdyRe, string(masked)) {
		mo, d := months[strings.ToLower(text[m[2]:m[3]])], atoi(text[m[4]:m[5]])
		y := 0
		if m[6] >= 0 {
			y = atoi(text[m[6]:m[7]])
		}
		if validDM(d, mo) {
			facts = append(facts, fact{kind: factDate, text: text[m[0]:m[1]], keys: dateKeys(y, mo, d)})
			mask(m[0], m[1])
		}
	}
	for _, m := range timeRe.FindAllStringSubmatchIndex(string(masked), -1) {
		h, mi := atoi(text[m[2]:m[3]]), atoi(text[m[4]:m[5]])
		if h <= 24 && mi < 60 {
			facts = append(facts, fact{kind: factTime, text: text[m[0]:m[1]], keys: []string{"t" + strconv.Itoa(h) + ":" + pad2(mi)}})
			mask(m[0], m[1])
		}
	}
	// codes: tokens mixing letters and digits ("SAVE50"), and whatever
	// follows the word "code"
	for _, m := range codeCtxRe.FindAllStringSubmatchIndex(string(masked), -1) {
		code := text[m[2]:m[3]]
		facts = append(facts, fact{kind: factCode, text: code, keys: []string{strings.ToLower(code)}})
		mask(m[2], m[3])
	}
	for _, m := range tokenRe.FindAllStringIndex(string(masked), -1) {
		tok := text[m[0]:m[1]]
		if hasLetterAndDigit(tok) && !unitRe.MatchString(tok) && utf8.RuneCountInString(tok) >= 3 {
			facts = append(facts, fact{kind: factCode, text: tok, keys: []string{strings.ToLower(tok)}})
			mask(m[0], m[1])
		}
	}
	s := string(masked)
	for _, m := range numRe.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if start > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:start])
			if unicode.IsLetter(r) {
				continue // part of a word the code pass did not take
			}
		}
		raw := s[start:end]
		f := fact{kind: factNumber, text: raw, keys: numberKeys(raw)}
		if c := currBefore.FindStringSubmatch(s[max(0, start-5):start]); c != nil {
			f.kind, f.currency = factPrice, currencyCodes[strings.ToLower(c[1])]
			f.text = strings.TrimSpace(c[0]) + raw
		} else if c := currAfter.FindStringSubmatch(s[end:]); c != nil {
			f.kind, f.currency = factPrice, currencyCodes[strings.ToLower(c[1])]
			f.text = raw + c[0]
		} else if p := pctAfter.FindString(s[end:]); p != "" {
			f.kind = factPercent
			f.text = raw + p
		}
		facts = append(facts, f)
	}
	return facts
}

func hasLetterAndDigit(s string) bool {
	var l, d bool
	for _, r := range s {
		l = l || unicode.IsLetter(r)
		d = d || unicode.IsDigit(r)
	}
	return l && d
}

// numberKeys returns the values a written number may mean, canonical:
// no thousands separators, "." as decimal point, no trailing zeros.
func numberKeys(raw string) []string {
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(raw)
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots == 0 && commas == 0:
		return []string{canon(s)}
	case dots > 0 && commas > 0:
		lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
		if lastDot > lastComma { // 1,299.00
			return []string{canon(strings.ReplaceAll(s, ",", ""))}
		}
		return []string{canon(strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", "."))}
	}
	sep := "."
	if commas > 0 {
		sep = ","
	}
	if strings.Count(s, sep) > 1 { // 1.299.000
		return []string{canon(strings.ReplaceAll(s, sep, ""))}
	}
	i := strings.Index(s, sep)
	decimal := canon(strings.Replace(s, sep, ".", 1))
	if len(s)-i-1 == 3 && i <= 3 { // 1,299 or 1.299: thousands or decimals
		return []string{canon(strings.Replace(s, sep, "", 1)), decimal}
	}
	return []string{decimal}
}

// canon strips leading zeros of the integer part and trailing zeros of
// the fraction: "049.90" -> "49.9", "1299.00" -> "1299".
func canon(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if hasFrac {
		frac = strings.TrimRight(frac, "0")
	}
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

func dateKeys(y, m, d int) []string {
	k := "m" + strconv.Itoa(m) + "d" + strconv.Itoa(d)
	if y > 0 {
		return []string{"y" + strconv.Itoa(y) + k}
	}
	return []string{k}
}

func validDM(d, m int) bool { return d >= 1 && d <= 31 && m >= 1 && m <= 12 }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// numberWords are the small numbers sources often spell out.
var numberWords = buildNumberWords()

func buildNumberWords() map[string]string {
	numberWords := map[string]string{}
	words := [][]string{
		{"one", "uno", "una", "un", "une", "eins", "ein", "eine", "jeden", "jedna", "jedno"},
		{"two", "due", "deux", "zwei", "dwa", "dwie", "dos"},
		{"three", "tre", "trois", "drei", "trzy", "tres"},
		{"four", "quattro", "quatre", "vier", "cztery", "cuatro"},
		{"five", "cinque", "cinq", "funf", "piec", "cinco"},
		{"six", "sei", "sechs", "szesc", "seis"},
		{"seven", "sette", "sept", "sieben", "siedem", "siete"},
		{"eight", "otto", "huit", "acht", "osiem", "ocho"},
		{"nine", "nove", "neuf", "neun", "dziewiec", "nueve"},
		{"ten", "dieci", "dix", "zehn", "dziesiec", "diez"},
		{"eleven", "undici", "onze", "elf", "jedenascie", "once"},
		{"twelve", "dodici", "douze", "zwolf", "dwanascie", "doce"},
		{"fourteen", "quattordici", "quatorze", "vierzehn", "czternascie", "catorce"},
		{"thirty", "trenta", "trente", "dreissig", "dreißig", "trzydziesci", "treinta"},
	}
	vals := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "14", "30"}
	for i, ws := range words {
		for _, w := range ws {
			numberWords[w] = vals[i]
		}
	}
	return numberWords
}

// wordRe finds words for the month prefilter.
var wordRe = regexp.MustCompile(`\pL+`)

// findNearMonths runs a date regexp that needs a month name only around
// the month names of s: the regexp is slow on long text and month names
// are rare. Indices are those of s.
func findNearMonths(re *regexp.Regexp, s string) [][]int {
	var out [][]int
	lastEnd := 0
	for _, w := range wordRe.FindAllStringIndex(s, -1) {
		if _, ok := months[strings.ToLower(s[w[0]:w[1]])]; !ok {
			continue
		}
		// a window wide enough for "12. de " before and " de 2025" after
		start := max(w[0]-8, lastEnd)
		for start > 0 && !utf8.RuneStart(s[start]) {
			start--
		}
		end := min(w[1]+12, len(s))
		for end < len(s) && !utf8.RuneStart(s[end]) {
			end++
		}
		// widen to word boundaries so \b anchors behave as on s
		for start > lastEnd && isWordByte(s[start-1]) {
			start--
		}
		for end < len(s) && isWordByte(s[end]) {
			end++
		}
		for _, m := range re.FindAllStringSubmatchIndex(s[start:end], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += start
				}
			}
			if m[0] >= lastEnd {
				out = append(out, m)
				lastEnd = m[1]
			}
		}
	}
	return out
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' || c >= 0x80 }
