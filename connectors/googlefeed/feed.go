package googlefeed

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ragkb/ragkb/connectors"
)

// Namespace is the Google Merchant Center namespace. Elements are matched by
// this URI, whatever prefix a feed binds to it.
const Namespace = "http://base.google.com/ns/1.0"

const atomNS = "http://www.w3.org/2005/Atom"

// Shipping is one g:shipping entry.
type Shipping struct {
	Country string `json:"country,omitempty"`
	Region  string `json:"region,omitempty"`
	Service string `json:"service,omitempty"`
	Price   string `json:"price,omitempty"` // as in the feed, "16.00 USD"
}

// Item is one product of a feed with its attributes as given.
type Item struct {
	ID           string     `json:"id"`
	Title        string     `json:"title"`
	Description  string     `json:"description,omitempty"`
	Link         string     `json:"link,omitempty"`
	ImageLink    string     `json:"image_link,omitempty"`
	Availability string     `json:"availability,omitempty"`
	Price        string     `json:"price,omitempty"`
	SalePrice    string     `json:"sale_price,omitempty"`
	Condition    string     `json:"condition,omitempty"`
	Brand        string     `json:"brand,omitempty"`
	GTIN         string     `json:"gtin,omitempty"`
	MPN          string     `json:"mpn,omitempty"`
	ProductType  string     `json:"product_type,omitempty"`
	Shipping     []Shipping `json:"shipping,omitempty"`
	// Attributes are the other attributes a customer may ask about, in feed
	// order: standard ones (color, size, material) and a shop's own
	// (mileage, fuel, dealership_address).
	Attributes []Attribute `json:"attributes,omitempty"`
}

// Attribute is one other attribute of an item.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ignoredAttributes carry nothing a customer asks: links, codes, internal
// flags.
var ignoredAttributes = map[string]bool{"image_link": true, "additional_image_link": true, "google_product_category": true,
	"identifier_exists": true, "item_group_id": true, "mobile_link": true, "canonical_link": true, "ads_redirect": true,
	"custom_label_0": true, "custom_label_1": true, "custom_label_2": true, "custom_label_3": true, "custom_label_4": true,
	"adult": true, "is_bundle": true, "multipack": true, "excluded_destination": true, "included_destination": true,
	"shipping_weight": true, "shipping_label": true, "tax": true, "sell_on_google_quantity": true, "vehicle_fulfillment(option)": true,
	"updated": true, "published": true, "summary": true, "content": true, "author": true, "guid": true, "pubdate": true}

// Feed is a parsed product feed.
type Feed struct {
	Format string `json:"format"` // rss, atom or tsv
	Items  []Item `json:"items"`
	// Skipped lists items that could not be used (no id or title).
	Skipped []string `json:"skipped,omitempty"`
	// Incomplete says why the feed was read only in part (cut off or
	// malformed halfway): the products after that point are unknown, not gone.
	Incomplete string `json:"incomplete,omitempty"`
}

// ErrNotFeed is returned for input that is neither an XML feed nor a
// tab-separated file with an id column.
var ErrNotFeed = errors.New("googlefeed: not a Google product feed")

// Parse reads an RSS 2.0 or Atom feed with Google attributes, or a
// tab-separated (or comma-separated) file with a header row, in UTF-8 or in
// the charset its XML declaration names.
func Parse(b []byte) (*Feed, error) { return ParseContent(b, "") }

// ParseContent is Parse for a body served with the HTTP Content-Type
// contentType, whose charset applies when the feed declares none.
func ParseContent(b []byte, contentType string) (*Feed, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '<' {
		return parseXML(b, contentType)
	}
	return parseTable(connectors.DecodeText(b, contentType))
}

func parseXML(b []byte, contentType string) (*Feed, error) {
	dec := connectors.NewXMLDecoder(b, contentType)
	feed := &Feed{}
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return nil, fmt.Errorf("%w: %v", ErrNotFeed, err)
			}
			feed.Incomplete = fmt.Sprintf("the feed is cut off or malformed after %d products (%v)", len(feed.Items)+len(feed.Skipped), err)
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = start.Name.Local
			switch root {
			case "rss", "RDF":
				feed.Format = "rss"
			case "feed":
				feed.Format = "atom"
			default:
				return nil, ErrNotFeed
			}
			continue
		}
		if start.Name.Local != "item" && start.Name.Local != "entry" {
			continue
		}
		it, err := readItem(dec)
		if err != nil {
			feed.Incomplete = fmt.Sprintf("the feed is cut off or malformed inside product %d (%v)", len(feed.Items)+len(feed.Skipped)+1, err)
			break
		}
		feed.add(it)
	}
	if root == "" {
		return nil, ErrNotFeed
	}
	return feed, nil
}

func (f *Feed) add(it Item) {
	switch {
	case it.ID == "":
		f.Skipped = append(f.Skipped, fmt.Sprintf("a product without an id (%q)", connectors.Truncate(it.Title, 60)))
	case it.Title == "":
		f.Skipped = append(f.Skipped, "product "+it.ID+" has no title")
	default:
		f.Items = append(f.Items, it)
	}
}

// readItem reads the children of an <item> or <entry> whose start tag was
// just consumed, token by token (much cheaper than reflection-based
// decoding on large feeds). Google attributes are recognised by namespace.
func readItem(dec *xml.Decoder) (Item, error) {
	var it Item
	plain := map[string]string{}
	var (
		child     xml.Name
		attrs     []xml.Attr
		text      strings.Builder
		ship      *Shipping
		shipField string
		shipText  strings.Builder
	)
	depth := 1
	for {
		tok, err := dec.Token()
		if err != nil {
			return it, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2:
				child, attrs = t.Name, t.Attr
				text.Reset()
				ship = nil
				if t.Name.Space == Namespace && t.Name.Local == "shipping" {
					ship = &Shipping{}
				}
			case depth == 3 && ship != nil:
				shipField = t.Name.Local
				shipText.Reset()
			}
		case xml.CharData:
			switch {
			case depth == 2:
				text.Write(t)
			case depth == 3 && ship != nil:
				shipText.Write(t)
			}
		case xml.EndElement:
			switch {
			case depth == 3 && ship != nil:
				v := strings.TrimSpace(shipText.String())
				switch shipField {
				case "country":
					ship.Country = v
				case "region":
					ship.Region = v
				case "service":
					ship.Service = v
				case "price":
					ship.Price = v
				}
			case depth == 2:
				v := strings.TrimSpace(text.String())
				switch {
				case ship != nil:
					if *ship == (Shipping{}) && v != "" {
						*ship = shippingFromString(v)
					}
					if *ship != (Shipping{}) {
						it.Shipping = append(it.Shipping, *ship)
					}
				case child.Space == Namespace:
					it.set(child.Local, v)
				case child.Local == "link" && (child.Space == atomNS || v == ""):
					rel := attrValue(attrs, "rel")
					if href := attrValue(attrs, "href"); href != "" && (rel == "" || rel == "alternate") && plain["link"] == "" {
						plain["link"] = href
					}
				case plain[child.Local] == "":
					plain[child.Local] = v
				}
			}
			depth--
			if depth == 0 {
				it.Title = first(it.Title, plain["title"])
				it.Description = first(it.Description, plain["description"], plain["summary"], plain["content"])
				it.Link = first(it.Link, plain["link"])
				it.ID = first(it.ID, plain["id"])
				return it, nil
			}
		}
	}
}

func (it *Item) set(name, text string) {
	switch strings.ToLower(strings.TrimPrefix(name, "g:")) {
	case "id":
		it.ID = text
	case "title":
		it.Title = text
	case "description":
		it.Description = text
	case "link":
		it.Link = text
	case "image_link":
		it.ImageLink = text
	case "availability":
		it.Availability = text
	case "price":
		it.Price = text
	case "sale_price":
		it.SalePrice = text
	case "condition":
		it.Condition = text
	case "brand":
		it.Brand = text
	case "gtin":
		it.GTIN = text
	case "mpn":
		it.MPN = text
	case "product_type":
		it.ProductType = text
	case "shipping":
		if sh := shippingFromString(text); text != "" {
			it.Shipping = append(it.Shipping, sh)
		}
	default:
		n := strings.ToLower(strings.TrimPrefix(name, "g:"))
		if text != "" && !ignoredAttributes[n] && !strings.HasPrefix(text, "http") && len(text) <= 300 && len(it.Attributes) < 30 {
			it.Attributes = append(it.Attributes, Attribute{Name: n, Value: text})
		}
	}
}

// shippingFromString reads the flat form "US:CA:Overnight:16.00 USD".
func shippingFromString(s string) Shipping {
	p := strings.SplitN(s, ":", 4)
	for len(p) < 4 {
		p = append([]string{""}, p...)
	}
	return Shipping{Country: strings.TrimSpace(p[0]), Region: strings.TrimSpace(p[1]),
		Service: strings.TrimSpace(p[2]), Price: strings.TrimSpace(p[3])}
}

func attrValue(attrs []xml.Attr, key string) string {
	for _, a := range attrs {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

func first(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// parseTable reads a TSV (or CSV) file whose header row names attributes,
// with or without the "g:" prefix.
func parseTable(b []byte) (*Feed, error) {
	br := bufio.NewReader(bytes.NewReader(b))
	header, _ := br.ReadString('\n')
	comma := '\t'
	if !strings.Contains(header, "\t") && strings.Contains(header, ",") {
		comma = ','
	}
	r := csv.NewReader(io.MultiReader(strings.NewReader(header), br))
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	cols, err := r.Read()
	if err != nil {
		return nil, ErrNotFeed
	}
	idx := map[string]int{}
	for i, c := range cols {
		idx[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(c), "g:"))] = i
	}
	if _, ok := idx["id"]; !ok {
		return nil, ErrNotFeed
	}
	if _, ok := idx["title"]; !ok {
		return nil, ErrNotFeed
	}
	feed := &Feed{Format: "tsv"}
	var recs [][]string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			feed.Skipped = append(feed.Skipped, fmt.Sprintf("line %d could not be read", line))
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		recs = append(recs, rec)
	}
	// A last line that is short and has no line break: the file was cut in
	// the middle of a product.
	if n := len(recs); n > 0 && len(b) > 0 && b[len(b)-1] != '\n' && len(recs[n-1]) < len(cols) {
		feed.Incomplete = fmt.Sprintf("the feed ends in the middle of product %d", n)
		recs = recs[:n-1]
	}
	for _, rec := range recs {
		var it Item
		for name, i := range idx {
			if i < len(rec) {
				it.set(name, strings.TrimSpace(rec[i]))
			}
		}
		feed.add(it)
	}
	return feed, nil
}

// Product converts an item to a connectors.Product whose text is in lang.
// Prices and values are normalised; shipping becomes words ("Delivery to PL
// (Courier): 14.99 PLN").
func (it Item) Product(lang string) connectors.Product {
	price, cur := connectors.SplitPrice(it.Price)
	sale, saleCur := connectors.SplitPrice(it.SalePrice)
	words := connectors.WordsFor(lang)
	var ship []string
	for _, s := range it.Shipping {
		w := words.DeliveryWord
		if s.Country != "" {
			w = fmt.Sprintf(words.DeliveryTo, strings.TrimSpace(s.Country+" "+s.Region))
		}
		if s.Service != "" {
			w += " (" + s.Service + ")"
		}
		if p, c := connectors.SplitPrice(s.Price); p != "" {
			if p == "0.00" {
				w += ": " + words.Free
			} else {
				w += ": " + strings.TrimSpace(p+" "+c)
			}
		}
		ship = append(ship, w)
	}
	var details []string
	for _, a := range it.Attributes {
		label := strings.ReplaceAll(a.Name, "_", " ")
		details = append(details, strings.ToUpper(label[:1])+label[1:]+": "+a.Value)
	}
	return connectors.Product{
		SourceID:    it.ID,
		Name:        it.Title,
		URL:         it.Link,
		Description: connectors.HTMLText(it.Description),
		Category:    it.ProductType,
		Details:     details,
		Offer: connectorsOffer(it, price, sale, first(cur, saleCur),
			strings.Join(ship, "; ")),
	}
}
