package connectors

import (
	"fmt"
	"strconv"
	"strings"
)

// Words are the phrases offer documents are written with in one language,
// so that a Polish shop's offers read (and are found) in Polish. Connectors
// take them from WordsFor(resource language); English is the default.
type Words struct {
	Costs, OnSale                                        string // "%s costs %s.", "%s costs %s on sale (regular price %s)."
	InStock, OutOfStock, Preorder, Backorder             string
	Condition, Brand, Category, ProductCode, Description string
	New, Used, Refurbished                               string
	ReturnsWithin, NoReturns, SellerPays, BuyerPays      string
	Lifetime, Warranty, ManufacturerWarranty             string
	SellerWarranty, ImpliedWarranty                      string
	From, FreeDelivery, ShipsWithin, Delivery            string
	DeliveryWord, DeliveryTo, Free                       string // "Delivery", "Delivery to %s", "free"
	ArrivesIn, ReturnsAnytime, FreeReturn, FreeShipping  string // "arrives in %s", ..., ", free of charge", "free delivery"
	// unit names the n-th duration unit (year, month, week, day, hour,
	// minute, second) for a count; within is its form after "within"
	// (Polish genitive, German dative), nil when it is the same.
	unit, within func(i, n int) string
}

var enUnits = [7]string{"year", "month", "week", "day", "hour", "minute", "second"}

var words = map[string]*Words{
	"en": {
		ArrivesIn: "arrives in %s", ReturnsAnytime: "Returns accepted at any time", FreeReturn: ", free of charge", FreeShipping: "free delivery",
		DeliveryWord: "Delivery", DeliveryTo: "Delivery to %s", Free: "free",
		Costs: "%s costs %s.", OnSale: "%s costs %s on sale (regular price %s).",
		InStock: "In stock", OutOfStock: "Out of stock", Preorder: "Available for pre-order", Backorder: "Available on back-order",
		Condition: "Condition", Brand: "Brand", Category: "Category", ProductCode: "Product code", Description: "Description",
		New: "new", Used: "used", Refurbished: "refurbished",
		ReturnsWithin: "Returns within %s", NoReturns: "Returns are not accepted",
		SellerPays: "the seller pays for the return", BuyerPays: "the buyer pays for the return",
		Lifetime: "lifetime", Warranty: "Warranty: %s", ManufacturerWarranty: " (manufacturer's warranty)",
		SellerWarranty: " (seller's warranty)", ImpliedWarranty: "Implied warranty (statutory): %s",
		From: "from %s", FreeDelivery: "free delivery available", ShipsWithin: "ships within %s", Delivery: "Delivery: %s",
		unit: func(i, n int) string {
			if n == 1 {
				return enUnits[i]
			}
			return enUnits[i] + "s"
		},
	},
	"pl": {
		ArrivesIn: "czas dostawy %s", ReturnsAnytime: "Zwrot możliwy w dowolnym momencie", FreeReturn: ", bezpłatnie", FreeShipping: "darmowa dostawa",
		DeliveryWord: "Dostawa", DeliveryTo: "Dostawa do %s", Free: "bezpłatnie",
		Costs: "%s kosztuje %s.", OnSale: "%s kosztuje %s w promocji (cena regularna %s).",
		InStock: "Dostępny", OutOfStock: "Niedostępny", Preorder: "Dostępny w przedsprzedaży", Backorder: "Dostępny na zamówienie",
		Condition: "Stan", Brand: "Marka", Category: "Kategoria", ProductCode: "Kod produktu", Description: "Opis",
		New: "nowy", Used: "używany", Refurbished: "odnowiony",
		ReturnsWithin: "Zwrot w ciągu %s", NoReturns: "Zwroty nie są przyjmowane",
		SellerPays: "koszt zwrotu pokrywa sprzedający", BuyerPays: "koszt zwrotu pokrywa kupujący",
		Lifetime: "dożywotnia", Warranty: "Gwarancja: %s", ManufacturerWarranty: " (gwarancja producenta)",
		SellerWarranty: " (gwarancja sprzedawcy)", ImpliedWarranty: "Rękojmia: %s",
		From: "od %s", FreeDelivery: "dostępna darmowa dostawa", ShipsWithin: "wysyłka w ciągu %s", Delivery: "Dostawa: %s",
		unit: func(i, n int) string {
			forms := [7][3]string{
				{"rok", "lata", "lat"}, {"miesiąc", "miesiące", "miesięcy"}, {"tydzień", "tygodnie", "tygodni"},
				{"dzień", "dni", "dni"}, {"godzina", "godziny", "godzin"}, {"minuta", "minuty", "minut"}, {"sekunda", "sekundy", "sekund"},
			}
			switch {
			case n == 1:
				return forms[i][0]
			case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
				return forms[i][1]
			}
			return forms[i][2]
		},
		within: func(i, n int) string {
			gen := [7][2]string{{"roku", "lat"}, {"miesiąca", "miesięcy"}, {"tygodnia", "tygodni"}, {"dnia", "dni"}, {"godziny", "godzin"}, {"minuty", "minut"}, {"sekundy", "sekund"}}
			if n == 1 {
				return gen[i][0]
			}
			return gen[i][1]
		},
	},
	"it": {
		ArrivesIn: "arriva in %s", ReturnsAnytime: "Reso accettato in qualsiasi momento", FreeReturn: ", gratuito", FreeShipping: "spedizione gratuita",
		DeliveryWord: "Consegna", DeliveryTo: "Consegna in %s", Free: "gratis",
		Costs: "%s costa %s.", OnSale: "%s costa %s in offerta (prezzo normale %s).",
		InStock: "Disponibile", OutOfStock: "Non disponibile", Preorder: "Disponibile in preordine", Backorder: "Disponibile su ordinazione",
		Condition: "Condizione", Brand: "Marca", Category: "Categoria", ProductCode: "Codice prodotto", Description: "Descrizione",
		New: "nuovo", Used: "usato", Refurbished: "ricondizionato",
		ReturnsWithin: "Reso entro %s", NoReturns: "Resi non accettati",
		SellerPays: "spese di reso a carico del venditore", BuyerPays: "spese di reso a carico dell'acquirente",
		Lifetime: "a vita", Warranty: "Garanzia: %s", ManufacturerWarranty: " (garanzia del produttore)",
		SellerWarranty: " (garanzia del venditore)", ImpliedWarranty: "Garanzia legale: %s",
		From: "da %s", FreeDelivery: "spedizione gratuita disponibile", ShipsWithin: "spedizione entro %s", Delivery: "Consegna: %s",
		unit: plural([7][2]string{{"anno", "anni"}, {"mese", "mesi"}, {"settimana", "settimane"}, {"giorno", "giorni"}, {"ora", "ore"}, {"minuto", "minuti"}, {"secondo", "secondi"}}),
	},
	"fr": {
		ArrivesIn: "livré en %s", ReturnsAnytime: "Retours acceptés à tout moment", FreeReturn: ", gratuit", FreeShipping: "livraison gratuite",
		DeliveryWord: "Livraison", DeliveryTo: "Livraison vers %s", Free: "gratuite",
		Costs: "%s coûte %s.", OnSale: "%s coûte %s en promotion (prix normal %s).",
		InStock: "En stock", OutOfStock: "En rupture de stock", Preorder: "Disponible en précommande", Backorder: "Disponible sur commande",
		Condition: "État", Brand: "Marque", Category: "Catégorie", ProductCode: "Code produit", Description: "Description",
		New: "neuf", Used: "d'occasion", Refurbished: "reconditionné",
		ReturnsWithin: "Retour sous %s", NoReturns: "Les retours ne sont pas acceptés",
		SellerPays: "frais de retour à la charge du vendeur", BuyerPays: "frais de retour à la charge de l'acheteur",
		Lifetime: "à vie", Warranty: "Garantie : %s", ManufacturerWarranty: " (garantie du fabricant)",
		SellerWarranty: " (garantie du vendeur)", ImpliedWarranty: "Garantie légale : %s",
		From: "à partir de %s", FreeDelivery: "livraison gratuite disponible", ShipsWithin: "expédition sous %s", Delivery: "Livraison : %s",
		unit: plural([7][2]string{{"an", "ans"}, {"mois", "mois"}, {"semaine", "semaines"}, {"jour", "jours"}, {"heure", "heures"}, {"minute", "minutes"}, {"seconde", "secondes"}}),
	},
	"de": {
		ArrivesIn: "Lieferzeit %s", ReturnsAnytime: "Rückgabe jederzeit möglich", FreeReturn: ", kostenlos", FreeShipping: "kostenloser Versand",
		DeliveryWord: "Lieferung", DeliveryTo: "Lieferung nach %s", Free: "kostenlos",
		Costs: "%s kostet %s.", OnSale: "%s kostet im Angebot %s (regulärer Preis %s).",
		InStock: "Auf Lager", OutOfStock: "Nicht auf Lager", Preorder: "Vorbestellbar", Backorder: "Lieferbar auf Nachbestellung",
		Condition: "Zustand", Brand: "Marke", Category: "Kategorie", ProductCode: "Produktcode", Description: "Beschreibung",
		New: "neu", Used: "gebraucht", Refurbished: "generalüberholt",
		ReturnsWithin: "Rückgabe innerhalb von %s", NoReturns: "Keine Rückgabe möglich",
		SellerPays: "die Rücksendekosten trägt der Verkäufer", BuyerPays: "die Rücksendekosten trägt der Käufer",
		Lifetime: "lebenslang", Warranty: "Garantie: %s", ManufacturerWarranty: " (Herstellergarantie)",
		SellerWarranty: " (Verkäufergarantie)", ImpliedWarranty: "Gesetzliche Gewährleistung: %s",
		From: "ab %s", FreeDelivery: "kostenloser Versand verfügbar", ShipsWithin: "Versand innerhalb von %s", Delivery: "Lieferung: %s",
		unit:   plural([7][2]string{{"Jahr", "Jahre"}, {"Monat", "Monate"}, {"Woche", "Wochen"}, {"Tag", "Tage"}, {"Stunde", "Stunden"}, {"Minute", "Minuten"}, {"Sekunde", "Sekunden"}}),
		within: plural([7][2]string{{"Jahr", "Jahren"}, {"Monat", "Monaten"}, {"Woche", "Wochen"}, {"Tag", "Tagen"}, {"Stunde", "Stunden"}, {"Minute", "Minuten"}, {"Sekunde", "Sekunden"}}),
	},
	"es": {
		ArrivesIn: "llega en %s", ReturnsAnytime: "Devoluciones aceptadas en cualquier momento", FreeReturn: ", gratis", FreeShipping: "envío gratuito",
		DeliveryWord: "Entrega", DeliveryTo: "Envío a %s", Free: "gratis",
		Costs: "%s cuesta %s.", OnSale: "%s cuesta %s en oferta (precio normal %s).",
		InStock: "En stock", OutOfStock: "Agotado", Preorder: "Disponible en preventa", Backorder: "Disponible bajo pedido",
		Condition: "Estado", Brand: "Marca", Category: "Categoría", ProductCode: "Código de producto", Description: "Descripción",
		New: "nuevo", Used: "usado", Refurbished: "reacondicionado",
		ReturnsWithin: "Devolución en %s", NoReturns: "No se aceptan devoluciones",
		SellerPays: "el vendedor paga la devolución", BuyerPays: "el comprador paga la devolución",
		Lifetime: "de por vida", Warranty: "Garantía: %s", ManufacturerWarranty: " (garantía del fabricante)",
		SellerWarranty: " (garantía del vendedor)", ImpliedWarranty: "Garantía legal: %s",
		From: "desde %s", FreeDelivery: "envío gratuito disponible", ShipsWithin: "envío en %s", Delivery: "Entrega: %s",
		unit: plural([7][2]string{{"año", "años"}, {"mes", "meses"}, {"semana", "semanas"}, {"día", "días"}, {"hora", "horas"}, {"minuto", "minutos"}, {"segundo", "segundos"}}),
	},
}

func plural(forms [7][2]string) func(i, n int) string {
	return func(i, n int) string {
		if n == 1 {
			return forms[i][0]
		}
		return forms[i][1]
	}
}

// WordsFor returns the phrases of a language (ISO 639-1), English when the
// language is unknown or empty.
func WordsFor(lang string) *Words {
	if w, ok := words[strings.ToLower(lang)]; ok {
		return w
	}
	return words["en"]
}

// Duration says an ISO 8601 duration ("P14D", "PT24H", "P2Y") in words,
// "" when it is not one.
func (w *Words) Duration(iso string) string { return w.duration(iso, w.unit) }

// DurationWithin is Duration in the form used after "within" (ReturnsWithin,
// ShipsWithin): "w ciągu 24 godzin", "innerhalb von 14 Tagen".
func (w *Words) DurationWithin(iso string) string {
	if w.within == nil {
		return w.Duration(iso)
	}
	return w.duration(iso, w.within)
}

func (w *Words) duration(iso string, unit func(i, n int) string) string {
	m := isoDuration.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(iso)))
	if m == nil || iso == "P" || iso == "PT" {
		return ""
	}
	var parts []string
	for i := range enUnits {
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, unit(i, n)))
	}
	return strings.Join(parts, " ")
}

// Availability says a normalised availability value in words.
func (w *Words) Availability(a string) string {
	switch a {
	case "in_stock":
		return w.InStock
	case "out_of_stock":
		return w.OutOfStock
	case "preorder":
		return w.Preorder
	case "backorder":
		return w.Backorder
	}
	return ""
}

// ConditionWord says a normalised condition (new, used, refurbished).
func (w *Words) ConditionWord(c string) string {
	switch c {
	case "new":
		return w.New
	case "used":
		return w.Used
	case "refurbished":
		return w.Refurbished
	}
	return c
}
