package schemaorg

import (
	"cmp"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/ragkb/ragkb/connectors"
)

// Products reads the schema.org Product nodes of a page's JSON-LD (with
// @graph wrappers, @type arrays, several script blocks and repairable
// invalid JSON) as offers; pages without JSON-LD products are read from
// their microdata. Products nested inside another product (related
// items, variants) are not returned separately. pageURL resolves relative
// URLs and is the fallback product URL.
//
// Shipping, returns and warranty are written in the page's language (its
// lang attribute; English when unknown).
func Products(doc *goquery.Document, pageURL string) []connectors.Product {
	lang := connectors.PageLanguage(doc)
	w := connectors.WordsFor(lang)
	var nodes []map[string]any
	for _, n := range connectors.JSONLD(doc.Selection) {
		if connectors.HasType(n, "Product") || connectors.HasType(n, "ProductGroup") {
			nodes = append(nodes, n)
		}
	}
	if len(nodes) == 0 {
		nodes = microdataProducts(doc)
	}
	// Maps are compared by identity: decoding gives each object its own map.
	ptr := func(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }
	nested := map[uintptr]bool{}
	for _, n := range nodes {
		for _, child := range connectors.Nodes(values(n)) {
			nested[ptr(child)] = true
		}
	}
	var out []connectors.Product
	for _, n := range nodes {
		if nested[ptr(n)] {
			continue
		}
		if p, ok := product(n, pageURL, w); ok {
			p.Language = lang
			out = append(out, p)
		}
	}
	if len(out) > 1 { // several products on one page: make ids distinct
		seen := map[string]int{}
		for i := range out {
			key := cmp.Or(out[i].Offer.SKU, out[i].Offer.GTIN, out[i].Name)
			seen[key]++
			if seen[key] > 1 {
				key += "-" + strconv.Itoa(seen[key])
			}
			out[i].SourceID += "#" + key
		}
	}
	return out
}

// values returns a node's property values (not the node itself), so that
// Nodes finds only what is nested in it.
func values(n map[string]any) []any {
	out := make([]any, 0, len(n))
	for k, v := range n {
		if k != "@type" {
			out = append(out, v)
		}
	}
	return out
}

func product(n map[string]any, pageURL string, w *connectors.Words) (connectors.Product, bool) {
	name := connectors.HTMLText(connectors.Str(n["name"]))
	if name == "" {
		return connectors.Product{}, false
	}
	p := connectors.Product{
		Name:        name,
		Description: connectors.HTMLText(connectors.Str(n["description"])),
		Category:    connectors.Str(n["category"]),
	}
	o := &p.Offer
	o.SKU = connectors.Str(n["sku"])
	o.ID = cmp.Or(o.SKU, connectors.Str(n["productID"]))
	o.GTIN = cmp.Or(connectors.Str(n["gtin13"]), connectors.Str(n["gtin"]), connectors.Str(n["gtin12"]),
		connectors.Str(n["gtin14"]), connectors.Str(n["gtin8"]))
	o.Brand = brand(n["brand"])
	o.ImageURL = resolve(pageURL, image(n["image"]))
	o.Condition = connectors.NormalizeCondition(connectors.Str(n["itemCondition"]))
	productURL := resolve(pageURL, connectors.Str(n["url"]))

	offers := connectors.List(n["offers"])
	if len(offers) == 0 { // ProductGroup: take the first variant's offers
		for _, v := range connectors.List(n["hasVariant"]) {
			if vm, ok := v.(map[string]any); ok {
				offers = connectors.List(vm["offers"])
				if len(offers) > 0 {
					break
				}
			}
		}
	}
	var lowest float64 = -1
	for _, ov := range offers {
		of, ok := ov.(map[string]any)
		if !ok {
			continue
		}
		price, cur, regular := offerPrice(of)
		if price == "" {
			continue
		}
		f, _ := strconv.ParseFloat(price, 64)
		if lowest >= 0 && f >= lowest {
			continue
		}
		lowest = f
		o.Price, o.SalePrice, o.Currency = price, "", cur
		if regular != "" && regular != price {
			o.Price, o.SalePrice = regular, price
		}
		o.Availability = connectors.NormalizeAvailability(connectors.Str(of["availability"]))
		o.Condition = cmp.Or(connectors.NormalizeCondition(connectors.Str(of["itemCondition"])), o.Condition)
		o.Delivery = shipping(w, of["shippingDetails"])
		o.Returns = returns(w, of["hasMerchantReturnPolicy"])
		o.Warranty = warranty(w, of["warranty"])
		if u := resolve(pageURL, connectors.Str(of["url"])); u != "" && productURL == "" {
			productURL = u
		}
		if o.SKU == "" {
			o.SKU = connectors.Str(of["sku"])
		}
	}
	o.Returns = cmp.Or(o.Returns, returns(w, n["hasMerchantReturnPolicy"]))
	o.Warranty = cmp.Or(o.Warranty, warranty(w, n["warranty"]))
	p.URL = pageURL
	if productURL != "" && connectors.SameSite(productURL, pageURL) {
		p.URL = productURL
	}
	p.SourceID = p.URL
	if u, err := url.Parse(p.SourceID); err == nil {
		u.Fragment = ""
		p.SourceID = u.String()
	}
	return p, true
}

// offerPrice reads price or lowPrice with its currency, and a strikethrough
// (list) price from priceSpecification when the offer is discounted.
func offerPrice(of map[string]any) (price, currency, regular string) {
	currency = strings.ToUpper(connectors.Str(of["priceCurrency"]))
	raw := connectors.Str(of["price"])
	if raw == "" {
		raw = connectors.Str(of["lowPrice"])
	}
	for _, sv := range connectors.List(of["priceSpecification"]) {
		spec, ok := sv.(map[string]any)
		if !ok {
			continue
		}
		kind := strings.ToLower(connectors.Str(spec["priceType"]))
		sp := connectors.Str(spec["price"])
		if strings.HasSuffix(kind, "strikethroughprice") || strings.HasSuffix(kind, "listprice") {
			regular, _ = connectors.NormalizePrice(sp)
			continue
		}
		if raw == "" {
			raw = sp
		}
		currency = cmp.Or(currency, strings.ToUpper(connectors.Str(spec["priceCurrency"])))
	}
	if raw == "" { // AggregateOffer with nested offers
		for _, inner := range connectors.List(of["offers"]) {
			if im, ok := inner.(map[string]any); ok {
				if p, c, _ := offerPrice(im); p != "" {
					return p, cmp.Or(currency, c), regular
				}
			}
		}
	}
	p, cur := connectors.SplitPrice(raw)
	return p, cmp.Or(currency, cur), regular
}

func brand(v any) string {
	if m := connectors.Obj(v); m != nil {
		return connectors.Str(m["name"])
	}
	return connectors.Str(v)
}

func image(v any) string {
	for _, e := range connectors.List(v) {
		switch t := e.(type) {
		case string:
			return strings.TrimSpace(t)
		case map[string]any:
			if s := cmp.Or(connectors.Str(t["url"]), connectors.Str(t["contentUrl"])); s != "" {
				return s
			}
		}
	}
	return ""
}

func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := b.Parse(ref)
	if err != nil || (r.Scheme != "http" && r.Scheme != "https") {
		return ""
	}
	return r.String()
}

// shipping says the cheapest shippingRate and the delivery time in words.
func shipping(w *connectors.Words, v any) string {
	var parts []string
	best, cur := "", ""
	var bestVal float64 = -1
	days := ""
	for _, sv := range connectors.List(v) {
		sd, ok := sv.(map[string]any)
		if !ok {
			continue
		}
		if rate := connectors.Obj(sd["shippingRate"]); rate != nil {
			p, c := connectors.SplitPrice(connectors.Str(rate["value"]))
			c = cmp.Or(strings.ToUpper(connectors.Str(rate["currency"])), c)
			if f, err := strconv.ParseFloat(p, 64); err == nil && (bestVal < 0 || f < bestVal) {
				best, bestVal, cur = p, f, c
			}
		}
		if dt := connectors.Obj(sd["deliveryTime"]); dt != nil && days == "" {
			days = deliveryDays(w, dt)
		}
	}
	switch {
	case bestVal == 0:
		parts = append(parts, w.FreeShipping)
	case best != "":
		parts = append(parts, fmt.Sprintf(w.From, strings.TrimSpace(best+" "+cur)))
	}
	if days != "" {
		parts = append(parts, days)
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf(w.Delivery, strings.Join(parts, ", "))
}

// deliveryDays adds handling and transit time ranges (unitCode DAY/d).
func deliveryDays(w *connectors.Words, dt map[string]any) string {
	lo, hi := 0, 0
	known := false
	for _, k := range []string{"handlingTime", "transitTime"} {
		q := connectors.Obj(dt[k])
		if q == nil {
			continue
		}
		mn, err1 := strconv.Atoi(connectors.Str(q["minValue"]))
		mx, err2 := strconv.Atoi(connectors.Str(q["maxValue"]))
		if err1 != nil && err2 != nil {
			continue
		}
		if err1 != nil {
			mn = mx
		}
		if err2 != nil {
			mx = mn
		}
		lo, hi, known = lo+mn, hi+mx, true
	}
	switch {
	case !known:
		return ""
	case lo == hi:
		return fmt.Sprintf(w.ArrivesIn, w.Duration(fmt.Sprintf("P%dD", lo)))
	}
	return fmt.Sprintf(w.ArrivesIn, strconv.Itoa(lo)+"–"+w.Duration(fmt.Sprintf("P%dD", hi)))
}

func returns(w *connectors.Words, v any) string {
	for _, rv := range connectors.List(v) {
		r, ok := rv.(map[string]any)
		if !ok {
			continue
		}
		cat := strings.ToLower(connectors.Str(r["returnPolicyCategory"]))
		switch {
		case strings.HasSuffix(cat, "merchantreturnnotpermitted"):
			return w.NoReturns
		case strings.HasSuffix(cat, "merchantreturnunlimitedwindow"):
			return w.ReturnsAnytime
		}
		if d, err := strconv.Atoi(connectors.Str(r["merchantReturnDays"])); err == nil && d > 0 {
			s := fmt.Sprintf(w.ReturnsWithin, w.DurationWithin(fmt.Sprintf("P%dD", d)))
			if strings.HasSuffix(strings.ToLower(connectors.Str(r["returnFees"])), "freereturn") {
				s += w.FreeReturn
			}
			return s
		}
	}
	return ""
}

func warranty(w *connectors.Words, v any) string {
	wr := connectors.Obj(v)
	if wr == nil {
		return ""
	}
	d := connectors.Obj(wr["durationOfWarranty"])
	if d == nil {
		return ""
	}
	n, err := strconv.Atoi(connectors.Str(d["value"]))
	if err != nil || n <= 0 {
		return ""
	}
	unit := map[string]string{"ANN": "Y", "MON": "M", "DAY": "D", "WEE": "W"}[strings.ToUpper(connectors.Str(d["unitCode"]))]
	if unit == "" {
		// unitText is free text; map the common English words, else keep it.
		text := strings.ToLower(connectors.Str(d["unitText"]))
		unit = map[string]string{"year": "Y", "years": "Y", "month": "M", "months": "M", "day": "D", "days": "D", "week": "W", "weeks": "W"}[text]
		if unit == "" {
			if text == "" {
				return ""
			}
			return fmt.Sprintf(w.Warranty, strconv.Itoa(n)+" "+text)
		}
	}
	return fmt.Sprintf(w.Warranty, w.Duration(fmt.Sprintf("P%d%s", n, unit)))
}
