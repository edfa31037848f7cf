package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/ragkb/ragkb"
)

// LexicalCorpus returns n deterministic documents and chunks of offer and
// FAQ text shaped like a large shop's catalogue (tenant and resource ids are
// left to the caller): every offer repeats the same boilerplate (warranty,
// delivery, returns), product words follow a long-tailed distribution. The
// backends' lexical benchmarks share it so their numbers compare.
func LexicalCorpus(n int) ([]*ragkb.Document, []*ragkb.Chunk) {
	rng := rand.New(rand.NewPCG(1, 2))
	brands := []string{"Samsung", "Apple", "Xiaomi", "Sony", "Bosch", "Philips", "Nike", "Adidas", "Lego", "Dell",
		"Lenovo", "Asus", "Canon", "Nikon", "Makita", "Dyson", "Tefal", "Braun", "Garmin", "Puma"}
	products := []string{"smartphone", "laptop", "headphones", "vacuum cleaner", "running shoes", "coffee machine",
		"drill", "camera", "monitor", "tablet", "smartwatch", "blender", "kettle", "jacket", "backpack", "toaster",
		"router", "keyboard", "mouse", "printer", "speaker", "television", "hair dryer", "electric toothbrush"}
	colors := []string{"black", "white", "silver", "blue", "red", "green", "graphite", "gold", "pink", "grey"}
	features := []string{"wireless", "waterproof", "fast charging", "noise cancelling", "bluetooth 5.3", "4K display",
		"energy class A", "stainless steel", "lightweight", "ergonomic", "USB-C", "dual SIM", "Wi-Fi 6", "OLED",
		"memory foam", "cordless", "quiet operation", "long battery life", "compact design", "LED lighting"}
	faqs := []string{
		"We issue a VAT invoice for every order; enter your tax number at checkout.",
		"Orders placed before 2 pm are shipped the same day with courier delivery.",
		"You can return any product within 30 days without giving a reason.",
		"Payment by card, bank transfer, BLIK or cash on delivery.",
		"Wystawiamy faktury VAT do każdego zamówienia.",
		"Spedizione gratuita per ordini superiori a 100 euro.",
		"Die Lieferzeit beträgt in der Regel zwei bis drei Werktage.",
		"Nous livrons en France, en Belgique et en Suisse.",
		"Store pickup is available in Warsaw, Kraków and Gdańsk.",
		"The manufacturer's warranty is honoured at authorised service centres.",
	}
	docs := make([]*ragkb.Document, 0, n)
	chunks := make([]*ragkb.Chunk, 0, n)
	for i := range n {
		d := &ragkb.Document{ID: fmt.Sprintf("doc_%06d", i), SourceID: fmt.Sprintf("src_%06d", i)}
		if i%50 == 0 {
			q := faqs[rng.IntN(len(faqs))]
			d.Kind, d.Title, d.Text = ragkb.DocQA, "FAQ "+q[:20], q
		} else {
			// Zipf-like choice: the first items are far more frequent.
			pick := func(list []string) string { return list[min(len(list)-1, int(rng.ExpFloat64()*float64(len(list))/4))] }
			brand, product, color := pick(brands), pick(products), pick(colors)
			model := fmt.Sprintf("%c%d", 'A'+rune(rng.IntN(26)), rng.IntN(1000))
			d.Kind = ragkb.DocOffer
			d.Title = fmt.Sprintf("%s %s %s %s", brand, product, model, color)
			d.Text = fmt.Sprintf("%s. %s, %s. Price %d.%02d PLN. Availability: in stock. Condition: new. "+
				"Warranty: %d months. Delivery in %d working days. Free returns within 30 days. SKU %s-%06d.",
				d.Title, pick(features), pick(features), 10+rng.IntN(5000), rng.IntN(100), 12*(1+rng.IntN(3)),
				1+rng.IntN(5), strings.ToUpper(brand[:3]), i)
		}
		docs = append(docs, d)
		chunks = append(chunks, &ragkb.Chunk{ID: fmt.Sprintf("chk_%06d", i), DocumentID: d.ID, Kind: d.Kind, Title: d.Title, Text: d.Text})
	}
	return docs, chunks
}
