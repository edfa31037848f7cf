package connectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// JSONLD decodes every <script type="application/ld+json"> block of doc and
// returns every JSON-LD node (an object with "@type") found at any depth,
// in document order: @graph wrappers, arrays and nesting are flattened.
// Invalid JSON is repaired where that is cheap (raw newlines in strings,
// trailing commas, HTML comments, several values in one block) and skipped
// otherwise.
func JSONLD(doc *goquery.Selection) []map[string]any {
	var nodes []map[string]any
	doc.Find(`script[type]`).Each(func(_ int, s *goquery.Selection) {
		t, _ := s.Attr("type")
		if !strings.EqualFold(strings.TrimSpace(MediaType(t)), "application/ld+json") {
			return
		}
		for _, v := range DecodeLenient([]byte(s.Text())) {
			nodes = append(nodes, Nodes(v)...)
		}
	})
	return nodes
}

var (
	trailingComma = regexp.MustCompile(`,\s*([}\]])`)
	htmlComment   = regexp.MustCompile(`(?s)<!--|-->|<!\[CDATA\[|\]\]>`)
)

// DecodeLenient decodes one or more concatenated JSON values from b, trying
// a repaired copy when b is not valid JSON. It never fails; it returns what
// it could read.
func DecodeLenient(b []byte) []any {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	if vs, ok := decodeAll(b); ok {
		return vs
	}
	fixed := htmlComment.ReplaceAll(b, nil)
	fixed = escapeControlInStrings(fixed)
	fixed = trailingComma.ReplaceAll(fixed, []byte("$1"))
	vs, _ := decodeAll(fixed)
	return vs
}

func decodeAll(b []byte) ([]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			return out, errors.Is(err, io.EOF)
		}
		out = append(out, v)
	}
}

// escapeControlInStrings replaces raw control characters inside JSON
// strings (a common CMS bug) with spaces.
func escapeControlInStrings(b []byte) []byte {
	out := make([]byte, 0, len(b))
	in, esc := false, false
	for _, c := range b {
		switch {
		case esc:
			esc = false
		case in && c == '\\':
			esc = true
		case c == '"':
			in = !in
		case in && c < 0x20:
			c = ' '
		}
		out = append(out, c)
	}
	return out
}

// Nodes returns every object with an "@type" inside v, depth first, parents
// before children.
func Nodes(v any) []map[string]any {
	var out []map[string]any
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 32 {
			return
		}
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		case map[string]any:
			if _, ok := t["@type"]; ok {
				out = append(out, t)
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(t[k], depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// HasType reports whether node's @type (a string or an array) is typ,
// ignoring a schema.org prefix ("https://schema.org/Product", "schema:Product").
func HasType(node map[string]any, typ string) bool {
	for _, t := range List(node["@type"]) {
		s, _ := t.(string)
		s = s[strings.LastIndexAny(s, "/:#")+1:]
		if strings.EqualFold(s, typ) {
			return true
		}
	}
	return false
}

// List returns v as a slice: nil for nil, v itself for an array, else [v].
func List(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

// Str returns v as a string: strings as is, numbers in their JSON form, the
// first element of an array, an object's "@value", "name" or "@id".
func Str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	case float64:
		return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(jsonFloat(t), "0"), "."), ".")
	case bool:
		if t {
			return "true"
		}
		return "false"
	case []any:
		for _, e := range t {
			if s := Str(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"@value", "name", "@id", "url"} {
			if s := Str(t[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func jsonFloat(f float64) string {
	b, _ := json.Marshal(f)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Obj returns v (or the first object of an array) as an object.
func Obj(v any) map[string]any {
	for _, e := range List(v) {
		if m, ok := e.(map[string]any); ok {
			return m
		}
	}
	return nil
}
