package guard

import "testing"

func TestSpecificFit(t *testing.T) {
	tests := []struct {
		name, question, text string
		want                 Fit
	}{
		{"another country", "Do you ship to Japan?", "Do you ship to Germany?\nYes, we ship to Germany in 2 days.", FitConflict},
		{"same country", "Wysyłacie do Niemiec?", "Do you ship to Germany?\nYes, we ship to Germany in 2 days.", FitSupported},
		{"country covered by abroad", "Do you ship to Austria?", "Do you ship abroad?\nYes, to all EU countries.", FitSupported},
		{"abroad in italian", "Spedite all'estero?", "What delivery methods do you offer?\nDHL; shipping in Germany 4.90 EUR.", FitConflict},
		{"country vs domestic text", "Do you ship to Austria?", "How long does delivery take?\nDelivery in Germany takes 1-2 days.", FitConflict},
		{"country vs silent text", "Versenden Sie nach Österreich?", "How long does delivery take?\nOrders ship within 24 hours.", FitConflict},
		{"other colour", "Is the red jacket waterproof?", "Is the blue jacket waterproof?\nYes.", FitConflict},
		{"same colour in polish", "Czy czerwona kurtka jest wodoodporna?", "Is the red jacket waterproof?\nYes.", FitSupported},
		{"other model", "What is the warranty of the Z5 saw?", "X200 drill warranty\nThe X200 has 3 years.", FitConflict},
		{"model vs general text", "What is the warranty of the Z5 saw?", "What warranty do you offer?\nEvery product has 2 years.", FitNeutral},
		{"other payment", "Can I pay with Bitcoin?", "Can I pay with PayPal?\nYes, PayPal and Visa.", FitConflict},
		{"same payment", "Czy mogę zapłacić PayPalem?", "Can I pay with PayPal?\nYes, PayPal and Visa.", FitSupported},
		{"instalments not promised", "can I pay for a bike in monthly instalments?", "Czy mogę zapłacić BLIKIEM?\nTak, BLIK, przelew lub karta.", FitConflict},
		{"instalments in Polish", "Kann ich das Rad in Raten zahlen?", "Czy mogę kupić rower na raty?\nTak, 10 rat 0%.", FitSupported},
		{"instalments in Italian", "si può pagare a rate?", "Can I pay in instalments?\nYes, with Klarna.", FitSupported},
		{"several tries are no instalments", "j'ai essayé plusieurs fois de payer", "Can I pay with PayPal?\nYes.", FitNeutral},
		{"delivery terms are no instalments", "¿cuáles son los plazos de entrega?", "Delivery takes 2 days.", FitNeutral},
		{"other day", "Are you open on Sunday?", "Opening hours\nMonday to Saturday 10-19.", FitConflict},
		{"nothing specific", "How long does delivery take?", "How long does delivery take?\nOrders ship within 24 hours.", FitNeutral},
		{"no false colour in rotate", "Can I rotate the screen?", "Is the red screen good?\nYes.", FitNeutral},
		{"order number is not a model", "Where is order 5531?", "Orders ship within 24 hours.", FitNeutral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SpecificFit(tt.question, tt.text); got != tt.want {
				t.Errorf("SpecificFit(%q, %q) = %v, want %v (question specifics %v, text %v)", tt.question, tt.text, got, tt.want, Specifics(tt.question), Specifics(tt.text))
			}
		})
	}
}

func TestOrderNumber(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"en", "My order 5531 still hasn't arrived", true},
		{"hash", "where is #5531?", true},
		{"pl", "Moje zamówienie nr 5531 nadal nie dotarło", true},
		{"fr", "Ma commande n° 5531 n'est pas arrivée", true},
		{"de", "Bestellung 5531 ist nicht angekommen", true},
		{"amount", "Is shipping free for orders over 100 EUR?", false},
		{"quantity", "Can I order 200 pieces?", false},
		{"no number", "Where is my order?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OrderNumber(tt.text); got != tt.want {
				t.Errorf("OrderNumber(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestRouteComplaint(t *testing.T) {
	tests := []struct {
		name, text string
		want       string
	}{
		{"en", "This is unacceptable, the worst service ever!", ReasonComplaint},
		{"pl", "To skandal, jestem wściekły!", ReasonComplaint},
		{"de", "Eine Frechheit, das ist inakzeptabel!", ReasonComplaint},
		{"it", "È inaccettabile, una vergogna!", ReasonComplaint},
		{"fr", "C'est inadmissible, je suis furieux !", ReasonComplaint},
		{"es", "¡Es inaceptable, una vergüenza!", ReasonComplaint},
		{"late parcel is no complaint", "My parcel is late, when will it come?", ""},
		{"order number", "My order 5531 still hasn't arrived", ReasonOrder},
		{"legal stays legal", "This is unacceptable, I will call my lawyer", ReasonLegal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Route(tt.text).Reason; got != tt.want {
				t.Errorf("Route(%q).Reason = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
