package guard

import (
	"strings"

	"github.com/ragkb/ragkb/internal/textnorm"
)

// fold lower-cases s and strips diacritics (textnorm.FoldRune), and writes
// the typographic apostrophes and accents ’ ‘ ` ´ as "'". The result has the
// same number of runes as s ('ß', 'æ', 'œ', 'þ' are kept as they are) so
// that "chcę", "chce" and "CHCĘ" compare equal; it is only used for
// matching, never for positions.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '’', '‘', '`', '´':
			b.WriteByte('\'')
		default:
			b.WriteRune(textnorm.FoldRune(r))
		}
	}
	return b.String()
}
