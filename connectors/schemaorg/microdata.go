package schemaorg

import (
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/ragkb/ragkb/connectors"
)

// microdataProducts converts the top-level schema.org Product items of a
// page's microdata (itemscope/itemtype/itemprop, as PrestaShop and Magento
// themes print them) to JSON-LD shaped maps, so one reader serves both.
func microdataProducts(doc *goquery.Document) []map[string]any {
	var out []map[string]any
	doc.Find("[itemscope][itemtype]").Each(func(_ int, s *goquery.Selection) {
		if !isProductType(s) {
			return
		}
		for p := s.Parent().Closest("[itemscope]"); p.Length() > 0; p = p.Parent().Closest("[itemscope]") {
			if isProductType(p) {
				return // nested in another product
			}
		}
		out = append(out, microdataItem(s, 0))
	})
	return out
}

func isProductType(s *goquery.Selection) bool {
	t, _ := s.Attr("itemtype")
	for _, f := range strings.Fields(t) {
		f = strings.TrimRight(f, "/")
		if strings.HasSuffix(f, "schema.org/Product") || strings.HasSuffix(f, "schema.org/ProductGroup") {
			return true
		}
	}
	return false
}

// microdataItem reads the properties of one itemscope: each [itemprop]
// element whose nearest enclosing itemscope is this one.
func microdataItem(scope *goquery.Selection, depth int) map[string]any {
	item := map[string]any{}
	if t, ok := scope.Attr("itemtype"); ok {
		var types []any
		for _, f := range strings.Fields(t) {
			types = append(types, f)
		}
		item["@type"] = types
	}
	if depth > 8 {
		return item
	}
	node := scope.Get(0)
	scope.Find("[itemprop]").Each(func(_ int, p *goquery.Selection) {
		owner := p.Parent().Closest("[itemscope]")
		if owner.Length() == 0 || owner.Get(0) != node {
			return
		}
		var v any
		if _, ok := p.Attr("itemscope"); ok {
			v = microdataItem(p, depth+1)
		} else {
			v = microdataValue(p)
		}
		for _, name := range strings.Fields(p.AttrOr("itemprop", "")) {
			if prev, ok := item[name]; ok {
				if list, ok := prev.([]any); ok {
					item[name] = append(list, v)
				} else {
					item[name] = []any{prev, v}
				}
				continue
			}
			item[name] = v
		}
	})
	return item
}

// microdataValue follows the HTML microdata value rules: content, then the
// URL attributes of links and media, then the text.
func microdataValue(p *goquery.Selection) string {
	if c, ok := p.Attr("content"); ok {
		return strings.TrimSpace(c)
	}
	switch goquery.NodeName(p) {
	case "a", "link", "area":
		return p.AttrOr("href", "")
	case "img", "source", "audio", "video", "embed", "iframe", "track":
		return p.AttrOr("src", "")
	case "meta":
		return p.AttrOr("content", "")
	case "data", "meter":
		return p.AttrOr("value", "")
	case "time":
		if d, ok := p.Attr("datetime"); ok {
			return d
		}
	}
	return connectors.SelectionText(p)
}
