package guard

import "testing"

func TestRoute(t *testing.T) {
	const (
		human   = ReasonHumanRequested
		card    = ReasonCard
		fraud   = ReasonFraud
		dispute = ReasonDispute
		legal   = ReasonLegal
		health  = ReasonHealth
		none    = ""
	)
	tests := []struct {
		name, text, want string
	}{
		// English
		{"en human real person", "I want to talk to a real person", human},
		{"en human please", "human please", human},
		{"en agent", "Agent!", human},
		{"en speak to someone", "Can I speak to someone from your team?", human},
		{"en connect me", "please connect me with a customer service representative", human},
		{"en card stolen", "My credit card was stolen, what should I do?", card},
		{"en card redacted stolen", "my card [card] has been stolen", card},
		{"en someone stole card with number", "Someone stole my card [card], block it", card},
		{"en thief took card", "a thief stole my debit card yesterday", card},
		{"en lost card", "I lost my debit card yesterday", card},
		{"en block card", "Please block my card", card},
		{"en fraud", "I think this is fraud", fraud},
		{"en unauthorised", "There is an unauthorised charge on my statement", fraud},
		{"en didn't make", "I didn't make this purchase", fraud},
		{"en scammed", "I was scammed by your seller", fraud},
		{"en chargeback", "I will file a chargeback", dispute},
		{"en dispute", "I want to dispute the charge", dispute},
		{"en lawyer", "My lawyer will contact you", legal},
		{"en sue", "I'm going to sue you", legal},
		{"en court", "See you in court", legal},
		{"en consumer protection", "I'll report this to consumer protection", legal},
		{"en allergic", "My son had an allergic reaction after eating your cookies", health},
		{"en hospital", "I ended up in hospital after using the cream", health},
		{"en injured", "The ladder broke and I got injured", health},
		{"en no injury product", "Does this knee brace help with injury recovery?", none},
		{"en no card games", "do you sell card games", none},
		{"en no pay by card", "Can I pay by credit card?", none},
		{"en no blocked calendar", "Can I return a blocked-out calendar?", none},
		{"en no allergens", "Does this contain nuts? I have an allergy question", none},
		{"en no tennis court", "Do you have tennis court shoes?", none},
		{"en no lost parcel order", "Where is my parcel?", none},
		{"en no talk about", "I'd like to talk about my order", none},
		{"en no sue name", "Sue from your shop said it ships tomorrow", none},
		{"en no gift card", "Do you sell gift cards?", none},
		// Italian
		{"it operatore", "voglio parlare con un operatore", human},
		{"it operatore solo", "operatore per favore", human},
		{"it persona vera", "posso parlare con una persona vera?", human},
		{"it carta rubata", "mi hanno rubato la carta di credito", card},
		{"it carta bloccata", "la mia carta è bloccata", card},
		{"it truffa", "Questa è una truffa!", fraud},
		{"it addebito non autorizzato", "c'è un addebito non autorizzato sul conto", fraud},
		{"it contestare", "voglio contestare l'addebito con la banca", dispute},
		{"it avvocato", "mi rivolgerò al mio avvocato", legal},
		{"it vie legali", "procederò per vie legali", legal},
		{"it reazione allergica", "ho avuto una reazione allergica alla crema", health},
		{"it pronto soccorso", "siamo finiti al pronto soccorso", health},
		{"it no ferite prodotto", "Questo cerotto va bene per le ferite?", none},
		{"it no ustioni prodotto", "Avete una crema per ustioni?", none},
		{"it ferito", "mio figlio è rimasto ferito con il giocattolo", health},
		{"it no carta pagamento", "Posso pagare con carta?", none},
		{"it no parlare prodotto", "vorrei parlare del mio ordine", none},
		{"it no allergeni", "Questo prodotto contiene allergeni?", none},
		{"it no spedizione", "Quanto costa la spedizione in Italia?", none},
		// French
		{"fr conseiller", "je veux parler à un conseiller", human},
		{"fr humain", "un humain svp", human},
		{"fr vraie personne", "Est-ce que je peux parler à une vraie personne ?", human},
		{"fr carte volée", "On m'a volé ma carte bancaire, ma carte est volée", card},
		{"fr carte perdue", "j'ai perdu ma carte bleue", card},
		{"fr fraude", "c'est une fraude", fraud},
		{"fr prelevement", "il y a un prélèvement non autorisé", fraud},
		{"fr contester", "je vais contester le paiement auprès de ma banque", dispute},
		{"fr avocat", "je vais contacter mon avocat", legal},
		{"fr plainte", "je vais porter plainte", legal},
		{"fr urgences", "mon fils est aux urgences après avoir avalé une pièce", health},
		{"fr blesse", "je me suis blessé avec votre couteau", health},
		{"fr no blessures produit", "Ce pansement convient-il aux blessures ?", none},
		{"fr no brulures produit", "Avez-vous une crème pour les brûlures ?", none},
		{"fr est blesse", "ma fille s'est blessée avec la trottinette", health},
		{"fr no avocats fruit", "Avez-vous des avocats bio ?", none},
		{"fr no carte cadeau", "Acceptez-vous les cartes cadeaux ?", none},
		{"fr no parler commande", "Je voudrais parler de ma commande", none},
		{"fr no personne", "Personne ne m'a livré le colis", none},
		{"fr no poursuivre", "Comment poursuivre ma commande ?", none},
		// German
		{"de mitarbeiter", "ich möchte mit einem Mitarbeiter sprechen", human},
		{"de mensch", "Kann ich bitte mit einem echten Menschen reden?", human},
		{"de mitarbeiter bitte", "Mitarbeiter bitte", human},
		{"de karte gestohlen", "Meine Kreditkarte wurde gestohlen", card},
		{"de karte sperren", "Bitte Karte sperren!", card},
		{"de betrug", "Das ist Betrug", fraud},
		{"de nicht bestellt", "Ich habe das Paket nicht bestellt, es ist eine nicht autorisierte Abbuchung", fraud},
		{"de rueckbuchung", "Ich mache eine Rückbuchung bei meiner Bank", dispute},
		{"de anwalt", "Mein Anwalt wird sich melden", legal},
		{"de verbraucherzentrale", "Ich gehe zur Verbraucherzentrale", legal},
		{"de allergische", "Ich hatte eine allergische Reaktion", health},
		{"de verletzt", "Mein Kind hat sich an dem Spielzeug verletzt", health},
		{"de no verbrennungen produkt", "Habt ihr eine Salbe gegen Verbrennungen?", none},
		{"de no gericht", "Ist das Gericht vegan?", none},
		{"de no speisekarte", "Wo finde ich die Karte mit den Filialen?", none},
		{"de no paket", "Wo ist mein Paket?", none},
		{"de no bezahlen", "Kann ich mit Karte bezahlen?", none},
		// Polish
		{"pl konsultant", "chcę rozmawiać z konsultantem", human},
		{"pl konsultant bez ogonkow", "chce rozmawiac z konsultantem", human},
		{"pl konsultant prosze", "konsultant proszę", human},
		{"pl czlowiek", "Czy mogę porozmawiać z człowiekiem?", human},
		{"pl karta skradziona", "Ukradli mi kartę płatniczą", card},
		{"pl karta zablokowana", "moja karta została zablokowana", card},
		{"pl oszustwo", "To jest oszustwo!", fraud},
		{"pl nieautoryzowana", "Mam nieautoryzowaną transakcję na koncie", fraud},
		{"pl chargeback", "zgłoszę to do banku jako chargeback", dispute},
		{"pl sad", "Podam was do sądu", legal},
		{"pl uokik", "Zgłoszę sprawę do UOKiK", legal},
		{"pl alergia", "Po kremie miałam reakcję alergiczną", health},
		{"pl szpital", "Dziecko trafiło do szpitala", health},
		{"pl no oparzenia produkt", "Czy macie krem na oparzenia?", none},
		{"pl no wysypka produkt", "Czy ten krem pomaga na wysypkę?", none},
		{"pl wysypka", "Po tym kremie dostałam wysypki na twarzy", health},
		{"pl no faktura", "Czy wystawiacie faktury VAT?", none},
		{"pl no karta platnosc", "Czy mogę zapłacić kartą?", none},
		{"pl no reklamacja", "Jak złożyć reklamację butów?", none},
		{"pl no osoba", "Czy mogę zamówić dla innej osoby?", none},
		{"pl no sadze", "Sądzę, że paczka jest za mała", none},
		// Spanish
		{"es persona", "quiero hablar con una persona", human},
		{"es agente", "agente por favor", human},
		{"es humano", "¿Puedo hablar con un humano?", human},
		{"es tarjeta robada", "Me robaron la tarjeta", card},
		{"es tarjeta bloqueada", "mi tarjeta está bloqueada", card},
		{"es estafa", "Esto es una estafa", fraud},
		{"es cargo", "Tengo un cargo no autorizado", fraud},
		{"es contracargo", "Voy a pedir un contracargo", dispute},
		{"es abogado", "Hablaré con mi abogado", legal},
		{"es denunciar", "Os voy a denunciar", legal},
		{"es urgencias", "Tuvimos que ir a urgencias", health},
		{"es reaccion", "Tuve una reacción alérgica", health},
		{"es no heridas producto", "¿Este apósito sirve para heridas?", none},
		{"es no quemaduras producto", "¿Tenéis crema para quemaduras?", none},
		{"es herido", "Mi hijo está herido por culpa del patinete", health},
		{"es no factura", "¿Hacéis factura?", none},
		{"es no tarjeta pago", "¿Aceptáis tarjeta de crédito?", none},
		{"es no pasar persona", "¿Puedo pasar a recoger el pedido con otra persona?", none},
		{"es no hablar pedido", "Quiero hablar de mi pedido", none},
		{"es no aguacates", "¿Tenéis aguacates?", none},
		// empty
		{"empty", "   ", none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Route(tt.text)
			want := Routing{ToAgent: tt.want != "", Reason: tt.want}
			if got != want {
				t.Errorf("Route(%q) = %+v, want %+v", tt.text, got, want)
			}
		})
	}
}

func BenchmarkRoute(b *testing.B) {
	qs := []string{"Where is my parcel?", "Czy wystawiacie faktury VAT?", "ich möchte mit einem Mitarbeiter sprechen", "Tengo un cargo no autorizado en mi tarjeta de crédito y quiero saber qué pasó con mi pedido"}
	for b.Loop() {
		for _, q := range qs {
			Route(q)
		}
	}
}
