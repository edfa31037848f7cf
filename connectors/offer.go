package connectors

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/ragkb/ragkb"
)

// MaxDescriptionRunes is where offer descriptions are cut.
const MaxDescriptionRunes = 1500

// Product is what an offer source knows about one product; Document turns
// it into a ragkb.DocOffer document with readable text.
type Product struct {
	SourceID    string
	Name        string
	URL         string
	Description string // plain text (convert HTML with HTMLText first)
	Category    string
	Language    string
	Offer       ragkb.Offer
	// Details are extra facts shown as lines ("Colour: black").
	Details []string
}

// Document returns the product as a DocOffer document with its hash set.
func (p *Product) Document() *ragkb.Document {
	o := p.Offer
	d := &ragkb.Document{
		SourceID: p.SourceID,
		Kind:     ragkb.DocOffer,
		Title:    p.Name,
		URL:      p.URL,
		Text:     p.Text(),
		Language: p.Language,
		Offer:    &o,
	}
	d.ComputeHash()
	return d
}

// Text is the offer as prose: name and price first, then availability,
// condition, brand, warranty, returns, delivery, identifiers and the
// (truncated) description.
func (p *Product) Text() string {
	o := p.Offer
	w := WordsFor(p.Language)
	var lines []string
	first := p.Name + "."
	if o.Price != "" {
		price := strings.TrimSpace(o.Price + " " + o.Currency)
		switch {
		case o.SalePrice != "" && o.SalePrice != o.Price:
			first = fmt.Sprintf(w.OnSale, p.Name, strings.TrimSpace(o.SalePrice+" "+o.Currency), price)
		default:
			first = fmt.Sprintf(w.Costs, p.Name, price)
		}
	} else if o.SalePrice != "" {
		first = fmt.Sprintf(w.Costs, p.Name, strings.TrimSpace(o.SalePrice+" "+o.Currency))
	}
	lines = append(lines, strings.Join(strings.Fields(first), " "))
	if a := w.Availability(o.Availability); a != "" {
		lines = append(lines, a+".")
	}
	if o.Condition != "" {
		lines = append(lines, w.Condition+": "+w.ConditionWord(o.Condition)+".")
	}
	if o.Brand != "" {
		lines = append(lines, w.Brand+": "+o.Brand+".")
	}
	if p.Category != "" {
		lines = append(lines, w.Category+": "+p.Category+".")
	}
	for _, s := range []string{o.Warranty, o.Returns, o.Delivery} {
		if s != "" {
			lines = append(lines, sentence(s))
		}
	}
	for _, s := range p.Details {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, sentence(s))
		}
	}
	var ids []string
	if o.SKU != "" {
		ids = append(ids, "SKU "+o.SKU)
	}
	if o.GTIN != "" {
		ids = append(ids, "GTIN "+o.GTIN)
	}
	if len(ids) > 0 {
		lines = append(lines, w.ProductCode+": "+strings.Join(ids, ", ")+".")
	}
	if desc := strings.TrimSpace(p.Description); desc != "" {
		lines = append(lines, w.Description+": "+Truncate(desc, MaxDescriptionRunes))
	}
	return strings.Join(lines, "\n")
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// AvailabilityWords says an availability value in English words.
func AvailabilityWords(a string) string { return WordsFor("en").Availability(a) }

// NormalizeAvailability maps schema.org URLs and names ("https://schema.org/InStock",
// "InStock"), Google values ("in_stock", older "in stock") and common words to
// in_stock, out_of_stock, preorder or backorder ("" when unknown).
func NormalizeAvailability(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = s[strings.LastIndexAny(s, "/:")+1:]
	s = strings.Map(func(r rune) rune {
		if r == '_' || r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	switch s {
	case "instock", "available", "limitedavailability", "onlineonly", "instoreonly", "true", "yes":
		return "in_stock"
	case "outofstock", "soldout", "discontinued", "unavailable", "false", "no":
		return "out_of_stock"
	case "preorder", "presale":
		return "preorder"
	case "backorder", "onbackorder", "madetoorder":
		return "backorder"
	}
	return ""
}

// NormalizeCondition maps "NewCondition", "https://schema.org/UsedCondition",
// "new", "used", "refurbished" to new, used or refurbished.
func NormalizeCondition(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s[strings.LastIndexAny(s, "/:")+1:], "condition")
	switch s {
	case "new", "nowy":
		return "new"
	case "used", "damaged", "używany", "uzywany":
		return "used"
	case "refurbished", "odnowiony":
		return "refurbished"
	}
	return ""
}

var currencySymbols = map[string]string{
	"zł": "PLN", "zl": "PLN", "€": "EUR", "£": "GBP", "$": "USD", "us$": "USD", "kč": "CZK",
	"ft": "HUF", "lei": "RON", "kr": "SEK", "chf": "CHF", "¥": "JPY", "₴": "UAH",
}

var priceRe = regexp.MustCompile(`[0-9][0-9 .,'\x{00a0}\x{202f}]*`)

// SplitPrice splits "15.00 USD", "USD 15.00", "1 299,00 zł" or "$4.90" into
// a normalised decimal price and a currency code (either may be "").
func SplitPrice(s string) (price, currency string) {
	s = strings.TrimSpace(s)
	loc := priceRe.FindStringIndex(s)
	if loc == nil {
		return "", ""
	}
	price, _ = NormalizePrice(s[loc[0]:loc[1]])
	rest := strings.TrimSpace(s[:loc[0]] + " " + s[loc[1]:])
	cur := strings.ToLower(strings.Trim(rest, " -"))
	if c, ok := currencySymbols[cur]; ok {
		return price, c
	}
	if len(cur) == 3 && isAlpha(cur) {
		return price, strings.ToUpper(cur)
	}
	return price, ""
}

func isAlpha(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// NormalizePrice turns a price string in any common notation ("1.299,00",
// "1,299.00", "1 299", "12.5", 12) into a decimal with at least two decimals
// ("1299.00", "12.50"). A lone separator followed by exactly three digits is
// a thousands separator ("1,299" = 1299).
func NormalizePrice(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimRight(s, ".,")
	if s == "" {
		return "", false
	}
	lastDot, lastComma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	dec := max(lastDot, lastComma)
	intPart, frac := s, ""
	if dec >= 0 {
		sep := s[dec]
		nSep := strings.Count(s, string(sep))
		other := strings.Count(s, ",") + strings.Count(s, ".") - nSep
		digitsAfter := len(s) - dec - 1
		if other == 0 && (nSep > 1 || (digitsAfter == 3 && s[0] != '0')) {
			dec = -1 // only thousands separators
		}
	}
	if dec >= 0 {
		intPart, frac = s[:dec], s[dec+1:]
	}
	intPart = strings.Map(func(r rune) rune {
		if r == ',' || r == '.' {
			return -1
		}
		return r
	}, intPart)
	if intPart == "" {
		intPart = "0"
	}
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return "", false
			}
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	return intPart + "." + frac, true
}

// MinorUnits turns an integer amount in minor units ("1105", 2) into a
// decimal ("11.05").
func MinorUnits(amount string, minor int) (string, bool) {
	amount = strings.TrimSpace(amount)
	neg := strings.HasPrefix(amount, "-")
	amount = strings.TrimPrefix(amount, "-")
	if amount == "" || minor < 0 || minor > 6 {
		return "", false
	}
	if _, err := strconv.ParseUint(amount, 10, 64); err != nil {
		return "", false
	}
	for len(amount) <= minor {
		amount = "0" + amount
	}
	out := amount
	if minor > 0 {
		out = amount[:len(amount)-minor] + "." + amount[len(amount)-minor:]
	}
	if minor < 2 {
		out, _ = NormalizePrice(out)
	}
	// Beyond cents, zeros the shop's currency setting adds say nothing:
	// 18000 with currency_minor_unit 3 is "18.00", not "18.000".
	for minor > 2 && strings.HasSuffix(out, "0") {
		out, minor = out[:len(out)-1], minor-1
	}
	if neg {
		out = "-" + out
	}
	return out, true
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// DurationWords says an ISO 8601 duration ("P14D", "P2Y", "PT24H") in
// words ("14 days", "2 years", "24 hours"); "" if it cannot be read.
func DurationWords(iso string) string { return WordsFor("en").Duration(iso) }
