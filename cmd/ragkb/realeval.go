package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/app"
	"github.com/ragkb/ragkb/connectors/allegro"
	"github.com/ragkb/ragkb/connectors/shopify"
)

// The real-payload evaluation: every payload of testdata/real (public
// captures of real shops' APIs, feeds and pages, see its README) is served
// by a local fake of its provider, indexed through the HTTP API by the real
// connectors and worker, and asked the questions a customer would ask about
// it (written from what each payload says, in its language and in others of
// the six: en, pl, de, it, fr, es).
// Each answer is right (answered, citing the expected URL, stating the
// expected words), wrong (answered otherwise, or answered when the
// knowledge does not hold the answer) or refused (fallback or agent).

// evalQuestion is one customer question about a shop's payloads.
type evalQuestion struct {
	q string
	// url is part of the URL the first citation must have; words must all
	// be in the answer (case-insensitive). refuse: the shop's knowledge has
	// no answer (a product it does not sell), so only a fallback is right.
	url    string
	words  []string
	refuse bool
	// lang is the question's language (ISO 639-1), for the shares per
	// language.
	lang string
}

// evalResource is one resource of a shop, served by the shop's fake site.
type evalResource struct {
	// body is the POST /v1/resources body for a site whose base URL is
	// base; allegro resources use the operator API URL instead.
	body func(base string) map[string]any
	// failed: the payload cannot be indexed and must fail with a reason
	// containing failed.
	failed string
	// warning: the payload indexes in part and a warning must say so.
	warning string
}

// evalShop is one merchant: a tenant with its resources and questions.
type evalShop struct {
	name string
	// routes maps paths of the shop's fake site to payload files (relative
	// to testdata/real) and their Content-Type.
	routes    map[string][2]string
	resources []evalResource
	questions []evalQuestion
	// semantic: part of the small corpus of the semantic-embedder run.
	semantic bool
	// tls: the fake site serves https (WooCommerce REST v3 sends its key
	// only over https).
	tls bool
	// cut keeps only the first bytes of a route's payload (a feed cut off
	// in transfer, as hostile-feeds/broken-half.xml).
	cut map[string]int
}

// evalResult is the outcome of one question.
type evalResult struct {
	shop, question, lang, verdict, answer, citation, status, reason string
}

func offersBody(name, lang, source, url string) map[string]any {
	return map[string]any{"name": name, "type": "offers", "language": lang, "offers": map[string]any{"source": source, "url": url}}
}

func faqBody(name, lang, url string) map[string]any {
	return map[string]any{"name": name, "type": "faq_page", "language": lang, "faq_page": map[string]any{"url": url}}
}

const (
	evalJSON = "application/json; charset=utf-8"
	evalHTML = "text/html; charset=utf-8"
	evalXML  = "application/xml"
)

// evalShops is the question set, written from what each payload says, as
// a customer would ask: in the payload's language and in others of the six
// (en, pl, de, it, fr, es; the Hurom feed is Czech). refuse questions ask
// what the payload does not say (a product the shop does not have, a
// delivery time a feed does not state): only a fallback is right.
func evalShops() []evalShop {
	return []evalShop{
		{name: "tokyopop (Shopify storefront)", semantic: true,
			routes:    map[string][2]string{"/products.json": {"shopify-tokyopop/products.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Tokyopop", "en", "shopify", b) }}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is Dark Metro, Volume 1?", url: "/products/9781427861351_dark-metro-volume-1", words: []string{"7.99"}},
				{lang: "en", q: "Is Dramacon Volume 2 available?", url: "/products/9781427860828_dramacon-volume-2", words: []string{"in stock"}},
				{lang: "en", q: "How much does I Luv Halloween cost?", url: "/products/9781427864529_i-luv-halloween-volume-1", words: []string{"7.99"}},
				{lang: "en", q: "Is Dark Metro Volume 1 an ebook?", url: "/products/9781427861351_dark-metro-volume-1", words: []string{"eBook"}},
				{lang: "en", q: "Who wrote Dramacon Volume 2?", url: "/products/9781427860828_dramacon-volume-2", words: []string{"Chmakova"}},
				{lang: "de", q: "Ist Dramacon Volume 2 auf Lager?", url: "/products/9781427860828_dramacon-volume-2", words: []string{"in stock"}},
				{lang: "pl", q: "Ile kosztuje I Luv Halloween, Volume 1?", url: "/products/9781427864529_i-luv-halloween-volume-1", words: []string{"7.99"}},
				{lang: "en", q: "How much is Dark Metro Volume 3?", refuse: true},
				{lang: "en", q: "Do you have Naruto volume 1 in stock?", refuse: true},
			}},
		{name: "apple (Shopify Admin API)", semantic: true,
			routes: map[string][2]string{
				"/admin/api/" + shopify.DefaultAPIVersion + "/products.json": {"shopify-admin-python/products.json", evalJSON},
				"/admin/api/" + shopify.DefaultAPIVersion + "/shop.json":     {"shopify-admin-python/shop.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any {
				r := offersBody("Apple", "en", "shopify", b)
				r["offers"].(map[string]any)["token"] = "shpat_eval"
				return r
			}}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is the iPod Nano 8GB?", url: "/products/ipod-nano", words: []string{"199.00"}},
				{lang: "en", q: "Which colours does the iPod Nano come in?", url: "/products/ipod-nano", words: []string{"Pink", "Black"}},
				{lang: "en", q: "Is the iPod Nano in stock?", url: "/products/ipod-nano", words: []string{"In stock"}},
				{lang: "en", q: "Does the iPod Nano come in red?", url: "/products/ipod-nano", words: []string{"Red"}},
				{lang: "pl", q: "Ile kosztuje iPod Nano 8GB?", url: "/products/ipod-nano", words: []string{"199.00"}},
				{lang: "fr", q: "Quelles sont les couleurs de l'iPod Nano ?", url: "/products/ipod-nano", words: []string{"Pink", "Green"}},
				{lang: "it", q: "L'iPod Nano è disponibile?", url: "/products/ipod-nano", words: []string{"In stock"}},
				{lang: "en", q: "How much is the iPod Touch?", refuse: true},
				{lang: "en", q: "How much is the iPod Nano 16GB?", refuse: true},
			}},
		{name: "empty Shopify store",
			routes:    map[string][2]string{"/products.json": {"shopify-empty/products.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Empty", "en", "shopify", b) }, failed: "No content"}}},
		{name: "hicham (WooCommerce Store API, minor unit 3)", semantic: true,
			routes:    map[string][2]string{"/wp-json/wc/store/v1/products": {"woo-hicham-store/products.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Hicham", "en", "woocommerce", b) }}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is the Beanie with Logo?", url: "/product/beanie-with-logo/", words: []string{"2.50 USD"}},
				{lang: "en", q: "What does the Polo cost?", url: "/product/polo/", words: []string{"20.00 USD"}},
				{lang: "en", q: "Is the Long Sleeve Tee in stock?", url: "/product/long-sleeve-tee/", words: []string{"in stock"}},
				{lang: "en", q: "Is the Hoodie with Pocket on sale?", url: "/product/hoodie-with-pocket/", words: []string{"35.00 USD", "45.00 USD"}},
				{lang: "es", q: "¿Cuánto cuesta el Hoodie with Zipper?", url: "/product/hoodie-with-zipper/", words: []string{"45.00 USD"}},
				{lang: "it", q: "Quanto costa la Long Sleeve Tee?", url: "/product/long-sleeve-tee/", words: []string{"25.00 USD"}},
				{lang: "en", q: "How much is the Hoodie with Zipper XXL?", refuse: true},
				{lang: "en", q: "How much are your rain jackets?", refuse: true},
			}},
		{name: "hicham (WooCommerce REST v3 over https)", semantic: true, tls: true,
			routes: map[string][2]string{"/wp-json/wc/v3/products": {"woo-hicham-v3/products.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any {
				r := offersBody("Hicham v3", "en", "woocommerce", b)
				r["offers"].(map[string]any)["token"] = "ck_eval:cs_eval"
				return r
			}}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is the Polo?", url: "/product/polo/", words: []string{"20.00"}},
				{lang: "en", q: "What colour is the Polo?", url: "/product/polo/", words: []string{"Blue"}},
				{lang: "en", q: "What colour is the Hoodie with Pocket?", url: "/product/hoodie-with-pocket/", words: []string{"Gray"}},
				{lang: "de", q: "Welche Farbe hat das Long Sleeve Tee?", url: "/product/long-sleeve-tee/", words: []string{"Green"}},
				{lang: "en", q: "Are the Sunglasses in stock?", url: "/product/sunglasses/", words: []string{"In stock"}},
				// The REST capture gives the Album a price of -1: no price.
				{lang: "en", q: "How much is the Album?", refuse: true},
			}},
		{name: "supermaluch (WooCommerce, Polish)", semantic: true,
			routes:    map[string][2]string{"/wp-json/wc/store/v1/products": {"woo-supermaluch-pl/products.json", evalJSON}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Supermaluch", "pl", "woocommerce", b) }}},
			questions: []evalQuestion{
				{lang: "pl", q: "Ile kosztuje wózek Anex Modu?", url: "/produkt/anex-modu", words: []string{"5896.00"}},
				{lang: "pl", q: "Czy wózek Anex Modu jest dostępny?", url: "/produkt/anex-modu", words: []string{"Dostępny"}},
				{lang: "en", q: "How much is the Anex Modu pram?", url: "/produkt/anex-modu", words: []string{"5896.00"}},
				{lang: "en", q: "Is the Anex Modu in stock?", url: "/produkt/anex-modu", words: []string{"Dostępny"}},
				{lang: "de", q: "Ist der Kinderwagen Anex Modu verfügbar?", url: "/produkt/anex-modu", words: []string{"Dostępny"}},
				{lang: "it", q: "Quanto costa il passeggino Anex Modu?", url: "/produkt/anex-modu", words: []string{"5896.00"}},
				// The payload states no delivery terms.
				{lang: "pl", q: "Ile kosztuje dostawa wózka Anex Modu?", refuse: true},
				{lang: "pl", q: "Ile kosztuje wózek Cybex Priam?", refuse: true},
			}},
		{name: "pallmann (Google RSS feed, French)",
			routes:    map[string][2]string{"/feed.xml": {"gfeed-pallmann-fr/feed.xml", evalXML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Pallmann", "fr", "google_feed", b+"/feed.xml") }}},
			questions: []evalQuestion{
				{lang: "fr", q: "Combien coûte le PALL-X EXTRÊME MAT K.A. ?", url: "#pall-x-extreme-mat-ka", words: []string{"36.55"}},
				{lang: "fr", q: "Quel est le prix de la colle PALLMANN P4 ?", url: "#pallmann-p4", words: []string{"12.60"}},
				{lang: "fr", q: "Le MAGIC OIL 2K Original 2,75L est-il en stock ?", url: "#magic-oil-2k-original-2-75l", words: []string{"En stock"}},
				{lang: "fr", q: "Combien coûte la livraison du PALL-X EXTRÊME MAT K.A. ?", url: "#pall-x-extreme-mat-ka", words: []string{"15.00"}},
				{lang: "en", q: "How much is MAGIC OIL 2K Original 2,75L?", url: "#magic-oil-2k-original-2-75l", words: []string{"387.61"}},
				{lang: "en", q: "How much is shipping for the PALLMANN P4?", url: "#pallmann-p4", words: []string{"15.00"}},
				{lang: "es", q: "¿Cuánto cuesta el adhesivo PALLMANN P4?", url: "#pallmann-p4", words: []string{"12.60"}},
				{lang: "pl", q: "Czy MAGIC OIL 2K Original 2,75L jest dostępny?", url: "#magic-oil-2k-original-2-75l", words: []string{"En stock"}},
				// The feed states a shipping cost, never a delivery time.
				{lang: "fr", q: "Quel est le délai de livraison de la colle PALLMANN P4 ?", refuse: true},
				{lang: "fr", q: "Combien coûte le vitrificateur Bona Traffic HD ?", refuse: true},
			}},
		// hostile-feeds/broken-half.xml: the RSS feed above cut inside item
		// 151, as a merchant's first resource. Refreshing a good index with
		// it deletes nothing (TestFeedCutInHalfDeletesNothing).
		{name: "pallmann (RSS feed cut in half)",
			routes:    map[string][2]string{"/feed.xml": {"gfeed-pallmann-fr/feed.xml", evalXML}},
			cut:       map[string]int{"/feed.xml": 159893},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Pallmann cut", "fr", "google_feed", b+"/feed.xml") }, warning: "read only in part"}},
			questions: []evalQuestion{
				{lang: "fr", q: "Combien coûte la PEAU DE MOUTON ?", url: "#peau-de-mouton", words: []string{"38.62"}},
				// Item 152: in the half that never arrived.
				{lang: "fr", q: "Combien coûte le MAGIC OIL 2K Original 2,75L ?", refuse: true},
			}},
		{name: "pallmann (Google Atom feed, French)",
			routes:    map[string][2]string{"/feed.xml": {"gfeed-pallmann-fr-atom/feed.xml", evalXML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Pallmann Atom", "fr", "google_feed", b+"/feed.xml") }}},
			questions: []evalQuestion{
				{lang: "fr", q: "Combien coûte le MAGIC OIL 2K Original 1L ?", url: "product=magic-oil-2k-original-1l", words: []string{"147.43"}},
				{lang: "fr", q: "Combien coûte le MAGIC OIL 2K Original 2,75L ?", url: "product=magic-oil-2k-original-2-75l", words: []string{"140.95"}},
				{lang: "fr", q: "Quel est le prix du PALL-X EXTREME K.B. Durcisseur 0,5L ?", url: "product=pall-x-extreme-k-b-durcisseur-0-5l", words: []string{"33.6"}},
				{lang: "fr", q: "Combien coûte la livraison du MAGIC OIL 2K Original 1L ?", url: "product=magic-oil-2k-original-1l", words: []string{"9.90"}},
				{lang: "it", q: "Quanto costa il MAGIC OIL 2K Original 1L?", url: "product=magic-oil-2k-original-1l", words: []string{"147.43"}},
				{lang: "en", q: "Is MAGIC OIL 2K Original 1L in stock?", url: "product=magic-oil-2k-original-1l", words: []string{"En stock"}},
			}},
		{name: "hurom (Google feed, Czech)", semantic: true,
			routes:    map[string][2]string{"/feed.xml": {"gfeed-hurom-cz/feed.xml", evalXML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Hurom", "cs", "google_feed", b+"/feed.xml") }}},
			questions: []evalQuestion{
				{lang: "cs", q: "Kolik stojí odšťavňovač H 310 A?", url: "hurom.cz/odstavnovac/h-310-a", words: []string{"9490"}},
				{lang: "cs", q: "Je odšťavňovač H 100 skladem?", url: "hurom.cz/odstavnovac/h-100", words: []string{"stock"}},
				{lang: "en", q: "How much is the Hurom H 310 A juicer?", url: "hurom.cz/odstavnovac/h-310-a", words: []string{"9490"}},
				// The feed sells the "Hurom H400": the H 400 a customer names.
				{lang: "cs", q: "Kolik stojí odšťavňovač H 400?", url: "hurom.cz/odstavnovac/hurom-h400", words: []string{"15990"}},
				{lang: "en", q: "Is the H 200 juicer in stock?", url: "hurom.cz/odstavnovac/h-200", words: []string{"In stock"}},
				{lang: "de", q: "Was kostet der Entsafter H 320 N?", url: "hurom.cz/odstavnovac/h-320-n", words: []string{"15490"}},
				{lang: "pl", q: "Ile kosztuje wyciskarka Hurom H 310 A?", url: "hurom.cz/odstavnovac/h-310-a", words: []string{"9490"}},
				{lang: "en", q: "How much is the Mini blender DIVA?", url: "hurom.cz/odstavnovac/mini-blender-diva", words: []string{"2490"}},
				{lang: "cs", q: "Kolik stojí odšťavňovač H 500?", refuse: true},
			}},
		{name: "hurom (ISO-8859-2 feed)",
			routes:    map[string][2]string{"/feed.xml": {"hostile-iso88592/hurom-feed-iso88592.xml", evalXML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Hurom ISO", "cs", "google_feed", b+"/feed.xml") }}},
			questions: []evalQuestion{
				{lang: "cs", q: "Kolik stojí odšťavňovač H 310 A?", url: "hurom.cz/odstavnovac/h-310-a", words: []string{"9490"}},
				{lang: "cs", q: "Je odšťavňovač H 320 N skladem?", url: "hurom.cz/odstavnovac/h-320-n", words: []string{"stock"}},
			}},
		{name: "campers (Google TSV feed)",
			routes:    map[string][2]string{"/feed.tsv": {"gfeed-campers-tsv/feed.tsv", "text/tab-separated-values"}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Campers", "en", "google_feed", b+"/feed.tsv") }}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is the 2014 Volkswagen Caddy Maxi Air Con?", url: "/advert/2014-volkswagen-caddy-maxi-air-con", words: []string{"11995"}},
				{lang: "en", q: "What is the mileage of the 2020 Ford Transit Custom Limited?", url: "/advert/2020-ford-transit-custom-limited", words: []string{"59000 miles"}},
				{lang: "en", q: "What year is the Etrusco A6600BB motorhome?", url: "/advert/etrusco-a6600bb", words: []string{"2021"}},
				{lang: "en", q: "What fuel does the Etrusco T7400 SBC use?", url: "/advert/etrusco-t7400-sbc", words: []string{"Diesel"}},
				{lang: "de", q: "Wie viel kostet der Etrusco T5900FB?", url: "/advert/etrusco-t5900fb", words: []string{"63080"}},
				{lang: "fr", q: "Quel est le kilométrage de l'Etrusco A7300 DB ?", url: "/advert/etrusco-a7300-db", words: []string{"10233"}},
				{lang: "en", q: "How much is a 2019 Tesla Model X?", refuse: true},
			}},
		{name: "etsy (schema.org page, Spanish)", semantic: true,
			routes:    map[string][2]string{"/listing": {"schema-etsy/page.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Etsy", "", "schema_org", b+"/listing") }}},
			questions: []evalQuestion{
				{lang: "es", q: "¿Cuánto cuesta el felpudo de calabaza?", url: "/listing", words: []string{"43.90"}},
				{lang: "es", q: "¿Está disponible el felpudo de calabaza?", url: "/listing", words: []string{"En stock"}},
				{lang: "es", q: "¿De qué están hechos los felpudos?", url: "/listing", words: []string{"coco"}},
				{lang: "en", q: "How much is this doormat?", url: "/listing", words: []string{"43.90"}},
				{lang: "en", q: "Is the pumpkin doormat in stock?", url: "/listing", words: []string{"En stock"}},
			}},
		{name: "overstock (schema.org page)", semantic: true,
			routes:    map[string][2]string{"/product": {"schema-overstock/page.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Overstock", "", "schema_org", b+"/product") }}},
			questions: []evalQuestion{
				{lang: "en", q: "How much are the Elegance Canape Plates?", url: "/product", words: []string{"31.49"}},
				{lang: "en", q: "Are the Elegance canape plates in stock?", url: "/product", words: []string{"In stock"}},
				{lang: "en", q: "What are the Elegance canape plates made of?", url: "/product", words: []string{"porcelain"}},
				{lang: "en", q: "How many plates are in the Elegance canape set?", url: "/product", words: []string{"Set of 6"}},
				{lang: "fr", q: "Les assiettes Elegance Canape sont-elles en stock ?", url: "/product", words: []string{"In stock"}},
				{lang: "pl", q: "Ile kosztują talerzyki Elegance Canape?", url: "/product", words: []string{"31.49"}},
			}},
		{name: "rejuvenation (schema.org page)", semantic: true,
			routes:    map[string][2]string{"/product": {"schema-rejuvenation/page.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return offersBody("Rejuvenation", "", "schema_org", b+"/product") }}},
			questions: []evalQuestion{
				{lang: "en", q: "How much is the Keystick Wall Sconce?", url: "/product", words: []string{"150.00"}},
				{lang: "de", q: "Was kostet die Keystick Wall Sconce?", url: "/product", words: []string{"150.00"}},
				// The offer states no availability and no delivery terms.
				{lang: "en", q: "Is the Keystick Wall Sconce in stock?", refuse: true},
				{lang: "en", q: "How much is delivery for the Keystick Wall Sconce?", refuse: true},
			}},
		{name: "heizung (FAQ, German)", semantic: true,
			routes:    map[string][2]string{"/faq/": {"faq-heizung-de/index.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return faqBody("Heizung FAQ", "de", b+"/faq/") }}},
			questions: []evalQuestion{
				{lang: "de", q: "Wie oft muss man die Heizung warten lassen?", url: "/faq/", words: []string{"jährlichen Wartung"}},
				{lang: "de", q: "Wie lange dauert eine Heizungswartung?", url: "/faq/", words: []string{"zwei Stunden"}},
				{lang: "de", q: "Wie oft sollte ich meine Heizung warten lassen?", url: "/faq/", words: []string{"jährlichen Wartung"}},
				{lang: "en", q: "How long does a heating service take?", url: "/faq/", words: []string{"zwei Stunden"}},
				{lang: "fr", q: "Combien de temps dure l'entretien du chauffage ?", url: "/faq/", words: []string{"zwei Stunden"}},
				// The FAQ says how long a service takes, not what it costs.
				{lang: "de", q: "Was kostet eine Heizungswartung?", refuse: true},
			}},
		{name: "ksiegarnia (FAQ and terms, Polish)", semantic: true,
			routes: map[string][2]string{"/faq": {"faq-ksiegarnia-pl/faq.html", evalHTML},
				"/regulamin": {"policy-ksiegarnia-pl/regulamin.html", evalHTML}},
			resources: []evalResource{
				{body: func(b string) map[string]any { return faqBody("Księgarnia FAQ", "pl", b+"/faq") }},
				{body: func(b string) map[string]any {
					return map[string]any{"name": "Regulamin", "type": "policy", "language": "pl", "policy": map[string]any{"url": b + "/regulamin"}}
				}},
			},
			questions: []evalQuestion{
				{lang: "pl", q: "Jaką firmą kurierską wysyłacie paczki?", url: "/faq", words: []string{"InPost"}},
				{lang: "pl", q: "Ile mam czasu na zwrot książki?", url: "/faq", words: []string{"14 dni"}},
				{lang: "pl", q: "Jak długo trwa realizacja zamówienia?", url: "/faq", words: []string{"jednego dnia roboczego"}},
				{lang: "pl", q: "Jak mogę zapłacić za zamówienie?", url: "/faq", words: []string{"przelewu"}},
				{lang: "pl", q: "Co zrobić, gdy paczka przyszła uszkodzona?", url: "/faq", words: []string{"raportu uszkodzenia"}},
				{lang: "pl", q: "Czy muszę mieć konto, żeby zamawiać książki?", url: "/faq", words: []string{"zarejestrowanych"}},
				{lang: "pl", q: "Kto płaci za odesłanie zwracanych książek?", url: "/faq", words: []string{"kupującego"}},
				{lang: "pl", q: "Jaki jest numer telefonu do księgarni?", url: "/faq", words: []string{"123 123 123"}},
				{lang: "pl", q: "Czy rejestracja w serwisie jest płatna?", url: "/regulamin", words: []string{"nieodpłatna"}},
				{lang: "pl", q: "Ile kont mogę mieć w serwisie?", url: "/regulamin", words: []string{"jedno konto"}},
				{lang: "en", q: "Which courier do you ship with?", url: "/faq", words: []string{"InPost"}},
				{lang: "en", q: "How many days do I have to return a book?", url: "/faq", words: []string{"14 dni"}},
				{lang: "de", q: "Wie kann ich bezahlen?", url: "/faq", words: []string{"przelewu"}},
				{lang: "it", q: "Con quale corriere spedite?", url: "/faq", words: []string{"InPost"}},
				{lang: "fr", q: "Comment payer ma commande ?", url: "/faq", words: []string{"przelewu"}},
				{lang: "es", q: "¿Cuánto tiempo tengo para devolver un libro?", url: "/faq", words: []string{"14 dni"}},
				// Neither page names a pick-up point or a price list.
				{lang: "pl", q: "Czy można odebrać zamówienie osobiście w Krakowie?", refuse: true},
			}},
		{name: "ksiegarnia (FAQ in ISO-8859-2, meta charset only)",
			routes:    map[string][2]string{"/faq": {"hostile-iso88592/faq-meta-only.html", "text/html"}},
			resources: []evalResource{{body: func(b string) map[string]any { return faqBody("Księgarnia FAQ ISO", "pl", b+"/faq") }}},
			questions: []evalQuestion{
				{lang: "pl", q: "Jaką firmą kurierską wysyłacie paczki?", url: "/faq", words: []string{"InPost"}},
				{lang: "pl", q: "Jaki jest termin zwrotu książek?", url: "/faq", words: []string{"14 dni"}},
			}},
		{name: "orion (FAQ, Italian)", semantic: true,
			routes:    map[string][2]string{"/faq": {"faq-orion-it/faq.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return faqBody("Orion FAQ", "it", b+"/faq") }}},
			questions: []evalQuestion{
				{lang: "it", q: "Come posso effettuare un reso?", url: "/faq", words: []string{"SDA/Poste Italiane"}},
				{lang: "it", q: "Entro quanto tempo arriva il rimborso?", url: "/faq", words: []string{"dieci giorni lavorativi"}},
				{lang: "it", q: "Ho pagato con Paypal, come ricevo il rimborso?", url: "/faq", words: []string{"Paypal"}},
				{lang: "it", q: "Come posso cancellare un ordine?", url: "/faq", words: []string{"cancellare l'ordine"}},
				{lang: "it", q: "Come cambio la password del mio account?", url: "/faq", words: []string{"Impostazioni di accesso"}},
				{lang: "it", q: "Dove si trova il mio ordine?", url: "/faq", words: []string{"due giorni lavorativi"}},
				{lang: "en", q: "How do I return an item?", url: "/faq", words: []string{"SDA/Poste Italiane"}},
				{lang: "fr", q: "Comment obtenir un remboursement ?", url: "/faq", words: []string{"dieci giorni lavorativi"}},
				{lang: "it", q: "Avete un negozio fisico a Milano?", refuse: true},
			}},
		{name: "orodelsud (FAQ <p>Q?<br>A</p>, Italian)", semantic: true,
			routes:    map[string][2]string{"/faq": {"faq-orodelsud-it/faq.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return faqBody("OrodelSud FAQ", "it", b+"/faq") }}},
			questions: []evalQuestion{
				{lang: "it", q: "Posso annullare un ordine?", url: "/faq", words: []string{"24h"}},
				{lang: "it", q: "Quali metodi di pagamento accettate?", url: "/faq", words: []string{"Visa", "PostePay"}},
				{lang: "it", q: "Posso rintracciare il mio ordine?", url: "/faq", words: []string{"tracking"}},
				{lang: "it", q: "Quanto costano le spese di trasporto?", url: "/faq", words: []string{"distanza"}},
				{lang: "it", q: "Cosa faccio se il cibo è scaduto?", url: "/faq", words: []string{"fotografate"}},
				{lang: "it", q: "Da dove provengono i vostri prodotti?", url: "/faq", words: []string{"etichettatura"}},
				{lang: "en", q: "Can I cancel my order?", url: "/faq", words: []string{"24h"}},
				{lang: "en", q: "How can I pay?", url: "/faq", words: []string{"Visa"}},
				{lang: "pl", q: "Czy mogę anulować zamówienie?", url: "/faq", words: []string{"24h"}},
				{lang: "de", q: "Kann ich meine Bestellung verfolgen?", url: "/faq", words: []string{"tracking"}},
			}},
		{name: "volz piano (Yoast FAQ, English)", semantic: true,
			routes:    map[string][2]string{"/guide": {"faq-yoast-volz-en/index.html", evalHTML}},
			resources: []evalResource{{body: func(b string) map[string]any { return faqBody("Volz FAQ", "en", b+"/guide") }}},
			questions: []evalQuestion{
				{lang: "en", q: "At what age should my child start piano lessons?", url: "/guide", words: []string{"five and seven"}},
				{lang: "en", q: "Are in-home piano lessons more expensive?", url: "/guide", words: []string{"travel fee"}},
				{lang: "en", q: "Which piano is best for a beginner?", url: "/guide", words: []string{"88-key"}},
				{lang: "en", q: "How long until my child can play a simple song?", url: "/guide", words: []string{"few weeks"}},
				{lang: "en", q: "How do I keep my child motivated to practice?", url: "/guide", words: []string{"consistent schedule"}},
				{lang: "pl", q: "W jakim wieku dziecko powinno zacząć lekcje pianina?", url: "/guide", words: []string{"five and seven"}},
				// The guide names no prices.
				{lang: "en", q: "How much does a piano lesson cost per hour?", refuse: true},
			}},
		{name: "allegro sandbox (Allegro API, Polish)", semantic: true,
			resources: []evalResource{{body: func(string) map[string]any {
				return map[string]any{"name": "Allegro", "type": "offers", "language": "pl", "offers": map[string]any{"source": "allegro", "token": evalAllegroToken}}
			}}},
			questions: []evalQuestion{
				{lang: "pl", q: "Ile kosztuje Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"29.99"}},
				{lang: "pl", q: "Ile kosztuje dostawa książki Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"12.99"}},
				{lang: "pl", q: "Czy mogę zwrócić książkę Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"14"}},
				{lang: "pl", q: "Jaka jest gwarancja na książkę Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"rok"}},
				{lang: "pl", q: "Kiedy wyślecie książkę Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"24 godzin"}},
				{lang: "pl", q: "Ile stron ma książka Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"128"}},
				{lang: "en", q: "How much is Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"29.99"}},
				{lang: "en", q: "Is Nauka duża książka dla małych dzieci in stock?", url: "allegro.pl/oferta/7781898446", words: []string{"Dostępny"}},
				{lang: "de", q: "Was kostet der Versand für Nauka duża książka dla małych dzieci?", url: "allegro.pl/oferta/7781898446", words: []string{"12.99"}},
				{lang: "pl", q: "Ile kosztuje Harry Potter i Kamień Filozoficzny?", refuse: true},
			}},
	}
}

// evalAllegroToken is the bearer token the fake Allegro API accepts.
const evalAllegroToken = "allegro-eval-token"

// payloadHandler serves routes from testdata/real, 404 for anything else
// (robots.txt included). Shopify's page 2 and later are empty, as Shopify
// answers past the last page.
func payloadHandler(dir string, routes map[string][2]string, cut map[string]int) (http.Handler, error) {
	bodies := map[string][]byte{}
	for path, r := range routes {
		b, err := os.ReadFile(filepath.Join(dir, r[0]))
		if err != nil {
			return nil, err
		}
		if n, ok := cut[path]; ok && n < len(b) {
			b = b[:n]
		}
		bodies[path] = b
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := bodies[r.URL.Path]
		if !ok || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", routes[r.URL.Path][1])
		if strings.HasSuffix(r.URL.Path, "/products.json") && r.URL.Query().Get("page") > "1" {
			io.WriteString(w, `{"products":[]}`)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/wp-json/wc/") {
			w.Header().Set("X-WP-TotalPages", "1")
		}
		w.Write(b)
	}), nil
}

// fakeAllegroAPI replays the real Allegro sandbox capture of testdata/real:
// it checks the bearer token and Allegro's media type like the API does.
func fakeAllegroAPI(dir string) (*httptest.Server, error) {
	routes := map[string]string{
		"/sale/offers":                    "offers-list.json",
		"/sale/product-offers/7781898446": "product-offer-live.json",
		"/sale/shipping-rates/2479b9fb-b52a-409d-b4d0-1aeb80b79368":                               "shipping-rate-set.json",
		"/after-sales-service-conditions/return-policies/ca36b384-61de-48ca-b296-a0abe1f41930":    "return-policy.json",
		"/after-sales-service-conditions/implied-warranties/7ea232fd-ebde-458f-aeaa-7316502fc16b": "implied-warranty.json",
		"/after-sales-service-conditions/warranties/71a6d25f-5175-4b51-bd67-db38f82b33a7":         "warranty.json",
	}
	bodies := map[string][]byte{}
	for p, f := range routes {
		b, err := os.ReadFile(filepath.Join(dir, "allegro-sandbox", f))
		if err != nil {
			return nil, err
		}
		bodies[p] = b
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", allegro.MediaType)
		switch {
		case r.Method != http.MethodGet:
			w.WriteHeader(http.StatusMethodNotAllowed)
		case r.Header.Get("Accept") != allegro.MediaType:
			w.WriteHeader(http.StatusNotAcceptable)
			io.WriteString(w, `{"errors":[{"code":"NotAcceptableException","message":"Not acceptable"}]}`)
		case r.Header.Get("Authorization") != "Bearer "+evalAllegroToken:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token","error_description":"Invalid access token"}`)
		case r.URL.Path == "/sale/offers" && r.URL.Query().Get("publication.status") != "ACTIVE":
			w.WriteHeader(http.StatusBadRequest)
		default:
			b, ok := bodies[r.URL.Path]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, `{"errors":[{"code":"NOT_FOUND","message":"not found"}]}`)
				return
			}
			w.Write(b)
		}
	})), nil
}

// evalRun is a running service with the fake providers of the payloads.
type evalRun struct {
	data    string
	app     *app.App
	api     *httptest.Server
	admin   string
	servers []*httptest.Server
	// wait bounds the indexing of one shop: a semantic embedder on a
	// shared machine needs minutes for a feed of hundreds of products.
	wait time.Duration
}

// evalAdminKey is the admin key of the evaluation service.
const evalAdminKey = "rk_a_eval_admin_key_0123456789"

// startEval starts the service (extra environment in env) with the Allegro
// API base pointed at the fake replaying the real capture.
func startEval(ctx context.Context, dir string, env map[string]string) (*evalRun, error) {
	alg, err := fakeAllegroAPI(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.MkdirTemp("", "ragkb-eval-")
	if err != nil {
		return nil, err
	}
	base := map[string]string{"RAGKB_DATA_DIR": data, "RAGKB_ADMIN_KEY": evalAdminKey, "RAGKB_REFRESH_SCHEDULE": "off",
		"RAGKB_ALLOW_PRIVATE_URLS": "true", "RAGKB_LOG_LEVEL": "error", "RAGKB_WORKERS": "4", "RAGKB_ALLEGRO_API_URL": alg.URL}
	for k, v := range env {
		base[k] = v
	}
	cfg, err := loadConfig(func(k string) string { return base[k] })
	if err != nil {
		return nil, err
	}
	a, err := buildApp(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	// The fetcher trusts httptest's certificate, as a shop's real one.
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	roots := x509.NewCertPool()
	roots.AddCert(tlsSrv.Certificate())
	tlsSrv.Close()
	a.Fetcher.Client().Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots}
	a.Worker.Start(ctx)
	wait := 2 * time.Minute
	if env["RAGKB_EMBEDDER"] != "" {
		wait = 30 * time.Minute
	}
	return &evalRun{data: data, app: a, api: httptest.NewServer(a.Handler()), admin: evalAdminKey, servers: []*httptest.Server{alg}, wait: wait}, nil
}

func (e *evalRun) close() {
	e.api.Close()
	for _, s := range e.servers {
		s.Close()
	}
	e.app.Worker.Stop()
	e.app.Close()
	os.RemoveAll(e.data)
}

// call sends a JSON request to the API and decodes the answer into out.
func (e *evalRun) call(method, path, key string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.api.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, nil
}

// evalTenant is a shop's tenant and keys.
type evalTenant struct {
	id, merchant, chatbot string
	resources             []ragkb.Resource
}

// setupShop creates the shop's tenant, starts its fake site and indexes its
// resources, waiting until they leave processing.
func (e *evalRun) setupShop(dir string, s evalShop) (*evalTenant, error) {
	site := ""
	if len(s.routes) > 0 {
		h, err := payloadHandler(dir, s.routes, s.cut)
		if err != nil {
			return nil, err
		}
		srv := httptest.NewServer(h)
		if s.tls {
			srv.Close()
			srv = httptest.NewTLSServer(h)
		}
		e.servers = append(e.servers, srv)
		site = srv.URL
	}
	var ten struct{ ID string }
	if _, err := e.call("POST", "/v1/tenants", e.admin, map[string]string{"name": s.name}, &ten); err != nil {
		return nil, err
	}
	t := &evalTenant{id: ten.ID}
	for role, dst := range map[string]*string{"merchant": &t.merchant, "chatbot": &t.chatbot} {
		var k struct{ Key string }
		if _, err := e.call("POST", "/v1/tenants/"+ten.ID+"/keys", e.admin, map[string]string{"role": role}, &k); err != nil {
			return nil, err
		}
		*dst = k.Key
	}
	for _, r := range s.resources {
		var res ragkb.Resource
		code, err := e.call("POST", "/v1/resources", t.merchant, r.body(site), &res)
		if err != nil || code != http.StatusAccepted {
			return nil, fmt.Errorf("%s: create resource: %d %v", s.name, code, err)
		}
		t.resources = append(t.resources, res)
	}
	deadline := time.Now().Add(e.wait)
	for i := range t.resources {
		for {
			var r ragkb.Resource
			if _, err := e.call("GET", "/v1/resources/"+t.resources[i].ID, t.merchant, nil, &r); err != nil {
				return nil, err
			}
			if r.Status != ragkb.StatusProcessing {
				t.resources[i] = r
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("%s: resource %s still processing", s.name, r.Name)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return t, nil
}

// checkResources reports resources whose outcome is not the expected one.
func checkResources(s evalShop, t *evalTenant) []string {
	var bad []string
	for i, r := range t.resources {
		want := s.resources[i]
		switch {
		case want.failed == "" && r.Status != ragkb.StatusSuccess:
			bad = append(bad, fmt.Sprintf("%s: %s is %s (%s), want success", s.name, r.Name, r.Status, r.Error))
		case want.failed != "" && (r.Status != ragkb.StatusFailed || !strings.Contains(r.Error, want.failed)):
			bad = append(bad, fmt.Sprintf("%s: %s is %s (%q), want failed with %q", s.name, r.Name, r.Status, r.Error, want.failed))
		case want.failed == "" && r.Documents == 0:
			bad = append(bad, fmt.Sprintf("%s: %s has no documents", s.name, r.Name))
		case want.warning != "" && !strings.Contains(strings.Join(r.Warnings, " "), want.warning):
			bad = append(bad, fmt.Sprintf("%s: %s warns %q, want %q", s.name, r.Name, r.Warnings, want.warning))
		}
	}
	return bad
}

// ask asks the shop's questions and grades the answers.
func (e *evalRun) ask(s evalShop, t *evalTenant) ([]evalResult, error) {
	var out []evalResult
	for _, q := range s.questions {
		var a ragkb.AnswerResponse
		if _, err := e.call("POST", "/v1/answer", t.chatbot, ragkb.AnswerRequest{Question: q.q}, &a); err != nil {
			return nil, err
		}
		res := evalResult{shop: s.name, question: q.q, lang: q.lang, answer: a.Answer, status: string(a.Status), reason: a.Reason}
		if a.Intent != nil && a.Tier == ragkb.TierFast {
			res.reason = "fast intent " + a.Intent.Name
		}
		if len(a.Citations) > 0 {
			res.citation = a.Citations[0].URL
		}
		res.verdict = grade(q, a, res.citation)
		out = append(out, res)
	}
	return out, nil
}

func grade(q evalQuestion, a ragkb.AnswerResponse, citation string) string {
	if a.Status != ragkb.AnswerAnswered {
		if q.refuse {
			return "right"
		}
		return "refused"
	}
	if q.refuse || !strings.Contains(citation, q.url) {
		return "wrong"
	}
	low := strings.ToLower(a.Answer)
	for _, w := range q.words {
		if !strings.Contains(low, strings.ToLower(w)) {
			return "wrong"
		}
	}
	return "right"
}

// evalShares counts verdicts.
func evalShares(rs []evalResult) (right, wrong, refused int) {
	for _, r := range rs {
		switch r.verdict {
		case "right":
			right++
		case "wrong":
			wrong++
		default:
			refused++
		}
	}
	return right, wrong, refused
}

// evalLanguages returns the shares per question language, as
// "en 40 (92.5/0.0/7.5)" (questions, right/wrong/refused %), most asked first.
func evalLanguages(rs []evalResult) []string {
	by := map[string][]evalResult{}
	for _, r := range rs {
		by[r.lang] = append(by[r.lang], r)
	}
	langs := make([]string, 0, len(by))
	for l := range by {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if len(by[langs[i]]) != len(by[langs[j]]) {
			return len(by[langs[i]]) > len(by[langs[j]])
		}
		return langs[i] < langs[j]
	})
	var out []string
	for _, l := range langs {
		right, wrong, refused := evalShares(by[l])
		n := float64(len(by[l]))
		out = append(out, fmt.Sprintf("%s %d (%.1f/%.1f/%.1f)", l, len(by[l]), 100*float64(right)/n, 100*float64(wrong)/n, 100*float64(refused)/n))
	}
	return out
}

// runEval indexes the shops (only the semantic ones when small) and asks
// every question. It returns the results and the resources whose indexing
// outcome was not the expected one.
func runEval(ctx context.Context, dir string, env map[string]string, small bool) ([]evalResult, []string, error) {
	e, err := startEval(ctx, dir, env)
	if err != nil {
		return nil, nil, err
	}
	defer e.close()
	var results []evalResult
	var bad []string
	for _, s := range evalShops() {
		if small && !s.semantic {
			continue
		}
		t, err := e.setupShop(dir, s)
		if err != nil {
			return nil, nil, err
		}
		bad = append(bad, checkResources(s, t)...)
		rs, err := e.ask(s, t)
		if err != nil {
			return nil, nil, err
		}
		results = append(results, rs...)
	}
	return results, bad, nil
}
