package guard

import "testing"

func TestAsksContact(t *testing.T) {
	for q, want := range map[string]string{
		"What is your phone number?":             PIIPhone,
		"Jaki jest numer telefonu do księgarni?": PIIPhone,
		"Wie ist Ihre Telefonnummer?":            PIIPhone,
		"Kann ich Sie anrufen?":                  PIIPhone,
		"Posso chiamarvi?":                       PIIPhone,
		"Quel est votre numéro de téléphone ?":   PIIPhone,
		"¿Cuál es vuestro teléfono?":             PIIPhone,
		"What's your e-mail address?":            PIIEmail,
		"Podajcie adres email":                   PIIEmail,
		"Quelle est votre adresse courriel ?":    PIIEmail,
		"Phone or e-mail, whatever works":        PIIPhone,
		"I want to talk to a human":              "",
		"When will my order arrive?":             "",
		"Do you sell telescopes?":                "", // "tele" is not a phone
	} {
		if got := AsksContact(q); got != want {
			t.Errorf("AsksContact(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestHasContact(t *testing.T) {
	for _, c := range []struct {
		text, kind string
		want       bool
	}{
		{"Call us on +48 22 123 45 67, Monday to Friday.", PIIPhone, true},
		{"Write to sklep@example.com.", PIIEmail, true},
		{"Write to sklep@example.com.", PIIPhone, false},
		{"Delivery takes 2-3 working days; order 5531 ships today.", PIIPhone, false},
	} {
		if got := HasContact(c.text, c.kind); got != c.want {
			t.Errorf("HasContact(%q, %s) = %v, want %v", c.text, c.kind, got, c.want)
		}
	}
}
