package guard

import (
	"slices"
	"strings"
)

// contactWords are folded word prefixes (at least five letters) or whole
// words (shorter ones) that ask for the shop's phone number or e-mail
// address, in en, pl, de, it, fr, es and cs.
var contactWords = map[string][]string{
	PIIPhone: {"phone", "telephone", "telefon", "rufnummer", "hotline", "infolinia", "infolinii",
		"zadzwon", "anrufen", "chiamar", "appeler", "llamar", "tel", "call"},
	PIIEmail: {"email", "e-mail", "mail", "mailowo", "maila", "courriel", "correo", "posta elettronica", "pec"},
}

// AsksContact returns the kind of contact detail a question asks for:
// PIIPhone ("what is your phone number?", "numer telefonu?", "kann ich
// Sie anrufen?") or PIIEmail ("what's your e-mail address?"), the phone
// first when it names both, "" when it names neither. A customer who wants
// the shop's number is better served by the number than by a hand-off
// when the shop's own texts give it.
func AsksContact(question string) string {
	f := " " + strings.Join(wordsOf(fold(question)), " ") + " "
	for _, kind := range []string{PIIPhone, PIIEmail} {
		if slices.ContainsFunc(contactWords[kind], func(w string) bool {
			if len(w) >= 5 {
				return strings.Contains(f, " "+w)
			}
			return strings.Contains(f, " "+w+" ")
		}) {
			return kind
		}
	}
	return ""
}

// HasContact reports whether text holds a contact detail of kind (PIIPhone
// or PIIEmail) as Redact finds them.
func HasContact(text, kind string) bool {
	_, found := Redact(text)
	return slices.ContainsFunc(found, func(f Finding) bool { return f.Type == kind })
}
