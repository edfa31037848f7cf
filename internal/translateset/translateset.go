// Package translateset is the translation guardrail's benchmark set:
// approved shop texts full of figures (prices, thresholds, percentages,
// dates, times, discount codes, order numbers, SKUs, postcodes, URLs,
// e-mails) in en, pl, de, fr, it and es, each with a faithful translation
// into another of the six languages, and a deterministic "model" that
// sometimes spoils a translation the way models do: a changed digit, a
// changed currency, a changed code, a dropped URL, a changed date; or
// reformats a number without changing its value (1 299,00 zł → 1299.00 zł),
// which a good guardrail must accept.
//
// The templates are parallel sentences written for this set (not taken
// from any shop); figures are copied into each language verbatim, as the
// translation prompt asks.
package translateset

import (
	"fmt"
	"strings"
)

// Languages are the six languages of the set.
var Languages = []string{"en", "pl", "de", "fr", "it", "es"}

// templates[t][lang] is template t in lang; {name} is a figure.
var templates = []map[string]string{
	{ // delivery
		"en": "Delivery by courier costs {p1}; orders over {p2} ship free. Orders placed before {time} leave the warehouse the same day.",
		"pl": "Dostawa kurierem kosztuje {p1}; zamówienia powyżej {p2} wysyłamy za darmo. Zamówienia złożone przed {time} opuszczają magazyn tego samego dnia.",
		"de": "Die Lieferung per Kurier kostet {p1}; Bestellungen über {p2} versenden wir kostenlos. Bestellungen, die vor {time} eingehen, verlassen das Lager am selben Tag.",
		"fr": "La livraison par coursier coûte {p1} ; les commandes de plus de {p2} sont livrées gratuitement. Les commandes passées avant {time} quittent l'entrepôt le jour même.",
		"it": "La consegna con corriere costa {p1}; gli ordini superiori a {p2} sono spediti gratis. Gli ordini effettuati prima delle {time} lasciano il magazzino in giornata.",
		"es": "El envío por mensajero cuesta {p1}; los pedidos de más de {p2} se envían gratis. Los pedidos realizados antes de las {time} salen del almacén el mismo día.",
	},
	{ // discount
		"en": "With the code {code} you get {pct} off until {date}. The code can be used once per customer.",
		"pl": "Z kodem {code} otrzymasz {pct} rabatu do {date}. Kod można wykorzystać raz na klienta.",
		"de": "Mit dem Code {code} erhalten Sie {pct} Rabatt bis zum {date}. Der Code kann einmal pro Kunde verwendet werden.",
		"fr": "Avec le code {code}, vous obtenez {pct} de réduction jusqu'au {date}. Le code est utilisable une fois par client.",
		"it": "Con il codice {code} ottieni uno sconto del {pct} fino al {date}. Il codice si può usare una volta per cliente.",
		"es": "Con el código {code} obtienes un {pct} de descuento hasta el {date}. El código se puede usar una vez por cliente.",
	},
	{ // returns
		"en": "You can return goods within {days} days. Fill in the form at {url} and write to {email} quoting order number {order}.",
		"pl": "Towar możesz zwrócić w ciągu {days} dni. Wypełnij formularz na {url} i napisz na {email}, podając numer zamówienia {order}.",
		"de": "Sie können Waren innerhalb von {days} Tagen zurückgeben. Füllen Sie das Formular unter {url} aus und schreiben Sie an {email} mit der Bestellnummer {order}.",
		"fr": "Vous pouvez retourner les articles sous {days} jours. Remplissez le formulaire sur {url} et écrivez à {email} en indiquant le numéro de commande {order}.",
		"it": "Puoi restituire la merce entro {days} giorni. Compila il modulo su {url} e scrivi a {email} indicando il numero d'ordine {order}.",
		"es": "Puedes devolver los productos en un plazo de {days} días. Rellena el formulario en {url} y escribe a {email} indicando el número de pedido {order}.",
	},
	{ // product and pickup
		"en": "The product {sku} costs {p1} and you can pick it up in our shop at {postcode} {city}, Monday to Friday until {time}.",
		"pl": "Produkt {sku} kosztuje {p1} i możesz go odebrać w naszym sklepie pod adresem {postcode} {city}, od poniedziałku do piątku do {time}.",
		"de": "Das Produkt {sku} kostet {p1} und Sie können es in unserem Geschäft in {postcode} {city} abholen, montags bis freitags bis {time}.",
		"fr": "Le produit {sku} coûte {p1} et vous pouvez le retirer dans notre magasin au {postcode} {city}, du lundi au vendredi jusqu'à {time}.",
		"it": "Il prodotto {sku} costa {p1} e puoi ritirarlo nel nostro negozio in {postcode} {city}, dal lunedì al venerdì fino alle {time}.",
		"es": "El producto {sku} cuesta {p1} y puedes recogerlo en nuestra tienda en {postcode} {city}, de lunes a viernes hasta las {time}.",
	},
}

// amounts are the five figure sets' prices: integer part, cents ("" for
// none); thresholds are whole amounts.
var (
	amounts    = [][2]string{{"49", ""}, {"15", "99"}, {"1299", "00"}, {"9", "90"}, {"2349", "50"}}
	thresholds = []string{"299", "150", "2000", "99", "500"}
	codes      = []string{"LATO15", "SAVE-20", "WINTER2026", "BF30X", "NEWS10"}
	pcts       = []string{"15%", "20%", "10%", "30%", "5%"}
	dates      = []string{"31.08.2026", "15.12.2026", "01.03.2027", "30.11.2026", "24.06.2026"}
	times      = []string{"14:00", "12:30", "16:00", "11:00", "15:30"}
	days       = []string{"30", "14", "100", "21", "60"}
	orders     = []string{"#100234", "#58811", "#200017", "#73002", "#914455"}
	skus       = []string{"AB-1234-XL", "TR-88-BLK", "K2-450", "SHOE-42-W", "PL-7710"}
	cities     = map[string][]string{
		"pl": {"00-950 Warszawa", "30-001 Kraków", "80-180 Gdańsk", "50-100 Wrocław", "61-001 Poznań"},
		"de": {"10115 Berlin", "80331 München", "20095 Hamburg", "50667 Köln", "60311 Frankfurt"},
		"en": {"SW1A 1AA London", "M1 1AE Manchester", "EH1 1YZ Edinburgh", "B1 1AA Birmingham", "LS1 4AP Leeds"},
		"fr": {"75001 Paris", "69001 Lyon", "13001 Marseille", "31000 Toulouse", "33000 Bordeaux"},
		"it": {"00184 Roma", "20121 Milano", "10121 Torino", "50123 Firenze", "80133 Napoli"},
		"es": {"28013 Madrid", "08001 Barcelona", "41001 Sevilla", "46001 Valencia", "48001 Bilbao"},
	}
	domains = map[string]string{"pl": "sklep.example.pl", "de": "shop.example.de", "en": "shop.example.co.uk", "fr": "boutique.example.fr", "it": "negozio.example.it", "es": "tienda.example.es"}
)

// money writes an amount as a shop in lang would: "1 299,00 zł", "1.299,00 €",
// "£1,299.00".
func money(lang, integer, cents string, set int) string {
	sep, dec := ".", ","
	switch lang {
	case "pl", "fr":
		sep = " "
	case "en":
		sep, dec = ",", "."
	}
	n := integer
	if len(n) > 3 {
		n = n[:len(n)-3] + sep + n[len(n)-3:]
	}
	if cents != "" {
		n += dec + cents
	}
	switch lang {
	case "pl":
		if set%2 == 0 {
			return n + " PLN"
		}
		return n + " zł"
	case "en":
		if set%2 == 0 {
			return "£" + n
		}
		return "$" + n
	default:
		if set%2 == 0 {
			return n + " €"
		}
		return n + " EUR"
	}
}

// Case is one approved text and its faithful translation.
type Case struct {
	ID       int
	From, To string
	Source   string
	Faithful string
	// figures are the values filled in, by placeholder name.
	figures map[string]string
}

// Cases returns the set: 4 templates × 5 figure sets × 6 source languages =
// 120 texts, each translated into another language (rotating through the
// other five).
func Cases() []Case {
	var out []Case
	for li, from := range Languages {
		for t, tpl := range templates {
			for set := range 5 {
				id := len(out)
				to := Languages[(li+1+(t*5+set)%5)%len(Languages)]
				f := map[string]string{
					"p1": money(from, amounts[set][0], amounts[set][1], set), "p2": money(from, thresholds[set], "", set),
					"code": codes[set], "pct": pcts[set], "date": dates[set], "time": times[set], "days": days[set],
					"order": orders[set], "sku": skus[set],
					"url":   fmt.Sprintf("https://%s/%s/%d", domains[from], []string{"returns", "zwroty", "retouren", "retours", "resi", "devoluciones"}[li], 10+set),
					"email": fmt.Sprintf("help%d@%s", set+1, domains[from]),
				}
				pc, city, _ := strings.Cut(cities[from][set], " ")
				if from == "en" { // "SW1A 1AA London"
					parts := strings.Fields(cities[from][set])
					pc, city = parts[0]+" "+parts[1], parts[2]
				}
				f["postcode"], f["city"] = pc, city
				out = append(out, Case{ID: id, From: from, To: to, Source: fill(tpl[from], f), Faithful: fill(tpl[to], f), figures: f})
			}
		}
	}
	return out
}

func fill(tpl string, f map[string]string) string {
	for k, v := range f {
		tpl = strings.ReplaceAll(tpl, "{"+k+"}", v)
	}
	return tpl
}

// Kinds of translation the fake model returns.
const (
	Faithful    = "faithful"    // the faithful translation
	Reformatted = "reformatted" // a price written differently, same value: must pass
	// the spoiled ones: must be rejected
	AlteredPrice    = "altered_price"
	AlteredCurrency = "altered_currency"
	AlteredCode     = "altered_code"
	AlteredDate     = "altered_date"
	DroppedURL      = "dropped_url"
	AlteredNumber   = "altered_number" // a time, a day count, an order number, a percentage
)

// Good reports whether a kind of translation keeps every figure.
func Good(kind string) bool { return kind == Faithful || kind == Reformatted }

// Translate is the fake model: the translation of c it returns, and what
// kind it is. About half are spoiled, a fifth reformatted (value kept: a price written
// the target language's way, a date with slashes), the rest faithful;
// the choice is deterministic in c.ID.
func Translate(c Case) (text, kind string) {
	f := c.figures
	type change struct {
		figure, kind string
		to           func(string) string
	}
	price := change{"p1", AlteredPrice, bumpDigit}
	threshold := change{"p2", AlteredPrice, bumpDigit}
	currency := change{"p1", AlteredCurrency, otherCurrency}
	code := change{"code", AlteredCode, bumpDigit}
	sku := change{"sku", AlteredCode, bumpDigit}
	date := change{"date", AlteredDate, nextYear}
	url := change{"url", DroppedURL, func(string) string { return "" }}
	hour := change{"time", AlteredNumber, nextHour}
	pct := change{"pct", AlteredNumber, bumpDigit}
	order := change{"order", AlteredNumber, bumpDigit}
	days := change{"days", AlteredNumber, bumpDigit}
	reformat := change{"p1", Reformatted, plainMoney}
	reformatThreshold := change{"p2", Reformatted, plainMoney}
	localMoney := change{"p1", Reformatted, func(p string) string { return localNumber(p, c.To) }}
	// times the way the target language writes them: "2:30 pm", "12.30 Uhr"
	localTime := change{"time", Reformatted, func(t string) string { return localClock(t, c.To) }}
	slashDate := change{"date", Reformatted, func(d string) string { return strings.ReplaceAll(d, ".", "/") }}
	var prefs []change
	// slots mix the template, the figure set and the language
	switch (c.ID*7 + c.ID/20*11) % 20 {
	case 0, 1:
		prefs = []change{price, threshold, code, days}
	case 2:
		prefs = []change{threshold, sku, pct, order}
	case 3:
		prefs = []change{currency, pct, url}
	case 4:
		prefs = []change{code, sku, hour, days}
	case 5:
		prefs = []change{date, url, hour}
	case 6, 7:
		prefs = []change{url, threshold, pct, sku}
	case 8:
		prefs = []change{order, hour, date}
	case 9, 10:
		prefs = []change{reformat, slashDate}
	case 11:
		prefs = []change{reformatThreshold, slashDate, reformat}
	case 12:
		prefs = []change{url, code, price}
	case 13, 14:
		prefs = []change{localMoney, slashDate}
	case 15, 16:
		if c.To == "en" || c.To == "de" || c.To == "fr" {
			prefs = []change{localTime}
		}
	}
	for _, ch := range prefs {
		old := f[ch.figure]
		if !templateUses(c, ch.figure) || !strings.Contains(c.Faithful, old) {
			continue
		}
		if ch.kind == DroppedURL {
			old = " " + old
		}
		return strings.Replace(c.Faithful, old, ch.to(old), 1), ch.kind
	}
	return c.Faithful, Faithful
}

func templateUses(c Case, name string) bool {
	for _, tpl := range templates {
		if fill(tpl[c.To], c.figures) == c.Faithful {
			return strings.Contains(tpl[c.To], "{"+name+"}")
		}
	}
	return false
}

// bumpDigit changes the first digit of s (1→2 … 9→1, 0→1).
func bumpDigit(s string) string {
	for i, r := range s {
		if r >= '0' && r <= '9' {
			d := byte(r-'0')%9 + 1
			return s[:i] + string('0'+d) + s[i+1:]
		}
	}
	return s + "1"
}

// otherCurrency swaps a price's currency for another one.
func otherCurrency(p string) string {
	for old, new := range map[string]string{" PLN": " EUR", " zł": " €", "£": "€", "$": "£", " €": " zł", " EUR": " USD"} {
		if strings.Contains(p, old) {
			return strings.Replace(p, old, new, 1)
		}
	}
	return p + " USD"
}

// plainMoney writes a price with no thousands separator and a decimal
// point: "1 299,00 zł" → "1299.00 zł", "£1,299.00" → "£1299.00", "49 PLN" →
// "49.00 PLN". The value is unchanged.
func plainMoney(p string) string {
	i := strings.IndexAny(p, "0123456789")
	j := strings.LastIndexAny(p, "0123456789") + 1
	num := p[i:j]
	intPart, cents := num, ""
	if k := strings.LastIndexAny(num, ".,"); k >= 0 && len(num)-k-1 == 2 {
		intPart, cents = num[:k], num[k+1:]
	}
	intPart = strings.NewReplacer(" ", "", ".", "", ",", "").Replace(intPart)
	if cents == "" {
		cents = "00"
	}
	return p[:i] + intPart + "." + cents + p[j:]
}

// nextYear moves a dd.mm.yyyy date one year on.
func nextYear(d string) string {
	y := d[len(d)-4:]
	n := 0
	fmt.Sscan(y, &n)
	return d[:len(d)-4] + fmt.Sprint(n+1)
}

// nextHour moves an hh:mm time one hour on.
func nextHour(t string) string {
	h, m, _ := strings.Cut(t, ":")
	n := 0
	fmt.Sscan(h, &n)
	return fmt.Sprintf("%d:%s", (n+1)%24, m)
}

// localNumber writes a price's number the way lang writes numbers
// (thousands and decimal separators), keeping its currency where it was:
// "1 299,00 €" for English is "1,299.00 €".
func localNumber(p, lang string) string {
	plain := plainMoney(p) // "1299.00 €"
	i := strings.IndexAny(plain, "0123456789")
	j := strings.LastIndexAny(plain, "0123456789") + 1
	intPart, cents, _ := strings.Cut(plain[i:j], ".")
	sep, dec := ".", ","
	switch lang {
	case "pl", "fr":
		sep = "\u00a0" // a no-break space, as word processors write it
	case "en":
		sep, dec = ",", "."
	}
	if len(intPart) > 3 {
		intPart = intPart[:len(intPart)-3] + sep + intPart[len(intPart)-3:]
	}
	return plain[:i] + intPart + dec + cents + plain[j:]
}

// localClock writes an hh:mm time as lang usually does in running text:
// English "2:30 pm", German "14.30 Uhr", French "14h30"; others unchanged.
func localClock(t, lang string) string {
	h, m, _ := strings.Cut(t, ":")
	n := 0
	fmt.Sscan(h, &n)
	switch lang {
	case "en":
		suffix := "am"
		if n >= 12 {
			suffix = "pm"
		}
		if n > 12 {
			n -= 12
		}
		if m == "00" {
			return fmt.Sprintf("%d %s", n, suffix)
		}
		return fmt.Sprintf("%d:%s %s", n, m, suffix)
	case "de":
		return h + "." + m + " Uhr"
	case "fr":
		return h + "h" + m
	}
	return t
}
