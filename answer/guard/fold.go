package guard

import (
	"strings"
	"unicode"
)

// foldRune maps a lower-case letter with a diacritic to its base letter, so
// that "chcę", "chce" and "CHCĘ" compare equal: customers often type
// without diacritics.
func foldRune(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ą':
		return 'a'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'è', 'é', 'ê', 'ë', 'ę', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ł':
		return 'l'
	case 'ñ', 'ń':
		return 'n'
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return 'o'
	case 'ś', 'š':
		return 's'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ý', 'ÿ':
		return 'y'
	case 'ź', 'ż', 'ž':
		return 'z'
	case '’', '‘', '`', '´':
		return '\''
	}
	return r
}

// fold lower-cases s and strips diacritics. The result has the same number
// of runes as s except for 'ß' (kept as is) so it is only used for matching,
// never for positions.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(unicode.ToLower(r)))
	}
	return b.String()
}
