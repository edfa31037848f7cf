package main

import (
	"fmt"
	"log/slog"
	"math/rand/v2"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/app"
	"github.com/ragkb/ragkb/connectors/knowledgebase"
	"github.com/ragkb/ragkb/indexer"
)

func newIndexerWith(a *app.App, c ragkb.Connector) (*indexer.Indexer, error) {
	return indexer.New(indexer.Config{Store: a.Store, Vectors: a.Vectors, Embedder: a.Embedder, Connector: c, Logger: slog.New(slog.DiscardHandler)})
}

func benchKB() *ragkb.KnowledgeBase {
	return &ragkb.KnowledgeBase{
		DeliveryTime:         "Orders placed before 2 pm ship the same day; delivery takes 1-2 working days in Poland and 3-5 in the EU.",
		StorePickup:          "Yes, you can collect your order for free at our shop in Kraków, ul. Długa 12, Monday to Saturday 10:00-18:00.",
		DeliveryMethods:      "We ship with InPost parcel lockers, DPD courier and Poczta Polska.",
		Discounts:            "We do not run discount codes; prices on the site are final. Newsletter subscribers hear about seasonal sales first.",
		StoreLocation:        "Our shop is at ul. Długa 12, 31-146 Kraków, Poland.",
		NewProductsOnly:      "Yes, we sell only new, unused products.",
		OriginalProductsOnly: "All products are 100% original, bought from authorised distributors.",
		Warranty:             "Every product has a 24-month manufacturer warranty; we handle claims for you.",
		Invoice:              "Yes. We issue a VAT invoice for every order; enter your company's tax number at checkout.",
		Custom: []ragkb.CustomQuestion{
			{Question: "Do you ship to Switzerland?", Answer: "Yes, we ship to Switzerland with DHL in 4-6 working days; customs duties are paid by the buyer.", Examples: []string{"Can you deliver to Zurich?", "shipping to CH?"}},
			{Question: "Do you offer gift wrapping?", Answer: "Yes, gift wrapping costs 9 PLN and can be chosen at checkout."},
		},
	}
}

func benchKBDocs(kb *ragkb.KnowledgeBase) []*ragkb.Document {
	return knowledgebase.Documents(kb, "en")
}

var (
	productKinds = []string{"running shoes", "trail shoes", "rain jacket", "down jacket", "backpack", "tent", "sleeping bag", "headlamp", "water bottle", "trekking poles", "hiking boots", "fleece", "base layer", "gloves", "beanie", "camping stove", "cookset", "hammock", "sunglasses", "GPS watch"}
	brands       = []string{"Salomon", "Merrell", "Osprey", "Deuter", "Black Diamond", "Petzl", "Garmin", "The North Face", "Patagonia", "Arc'teryx", "Vaude", "Jack Wolfskin", "Columbia", "Hoka", "La Sportiva"}
	colours      = []string{"black", "red", "blue", "green", "grey", "orange", "navy", "olive", "yellow", "white"}
	materials    = []string{"Gore-Tex membrane", "recycled polyester", "merino wool", "ripstop nylon", "aluminium frame", "vegan leather", "down fill 650 cuin", "softshell fabric"}
	features     = []string{"waterproof", "lightweight", "breathable", "windproof", "packable", "reflective details", "adjustable fit", "reinforced toe", "YKK zips", "lifetime repairs"}
)

// syntheticOffers makes n offer documents with realistic, varied text.
func syntheticOffers(n int, seed uint64) []*ragkb.Document {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	docs := make([]*ragkb.Document, n)
	for i := range docs {
		kind := productKinds[rng.IntN(len(productKinds))]
		brand := brands[rng.IntN(len(brands))]
		colour := colours[rng.IntN(len(colours))]
		model := fmt.Sprintf("%s %c%d", brand, 'A'+rune(rng.IntN(26)), 100+rng.IntN(900))
		title := fmt.Sprintf("%s %s %s", model, colour, kind)
		price := fmt.Sprintf("%d.%02d", 20+rng.IntN(980), rng.IntN(100))
		avail := "in stock"
		if rng.IntN(5) == 0 {
			avail = "out of stock"
		}
		text := fmt.Sprintf("%s. Price: %s PLN. Availability: %s. Condition: new. Made of %s; %s and %s. Warranty: 2 years. Returns within 30 days. Delivery: InPost from 12.99 PLN, ships within 24 hours. SKU %s-%06d.",
			title, price, avail, materials[rng.IntN(len(materials))], features[rng.IntN(len(features))], features[rng.IntN(len(features))],
			brand[:3], i)
		d := &ragkb.Document{
			SourceID: fmt.Sprintf("offer-%d", i), Kind: ragkb.DocOffer, Title: title,
			URL: fmt.Sprintf("https://shop.example/products/%d", i), Text: text, Language: "en",
			Offer: &ragkb.Offer{ID: fmt.Sprint(i), Price: price, Currency: "PLN", Availability: avail, Condition: "new"},
		}
		d.ComputeHash()
		docs[i] = d
	}
	return docs
}

var fastQuestions = []string{
	"Can I get a VAT invoice for my order?",
	"Do you issue invoices?",
	"How long does delivery take?",
	"Can I pick up my order in your shop?",
	"Where is your store?",
	"Are your products original?",
	"What warranty do I get?",
	"Do you ship to Switzerland?",
}

var productQuestions = []string{
	"How much does the %s cost?",
	"Is the %s in stock?",
	"Tell me about %s",
	"What is the warranty on %s?",
}

var offTopic = []string{
	"What is the capital of Peru?",
	"Who won the football world cup in 1998?",
	"Write me a poem about the sea",
	"How do I bake sourdough bread?",
}
