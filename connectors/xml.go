package connectors

import (
	"bytes"
	"encoding/xml"
	"io"
	"mime"
	"regexp"
	"strings"

	"golang.org/x/net/html/charset"
)

// xmlEncodingDecl finds the encoding of an XML declaration.
var xmlEncodingDecl = regexp.MustCompile(`^\s*<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']`)

// NewXMLDecoder returns a lenient decoder for an XML document (feed,
// sitemap) that reads the charset its declaration names (any label
// golang.org/x/net/html/charset knows: ISO-8859-2, windows-1250, …), or,
// without one, the charset of the HTTP Content-Type (contentType may be "").
func NewXMLDecoder(body []byte, contentType string) *xml.Decoder {
	var r io.Reader = bytes.NewReader(body)
	if !xmlEncodingDecl.Match(body[:min(len(body), 256)]) {
		if cs := contentTypeCharset(contentType); cs != "" {
			if cr, err := charset.NewReaderLabel(cs, r); err == nil {
				r = cr
			}
		}
	}
	dec := xml.NewDecoder(r)
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	return dec
}

// DecodeText converts a text body (a TSV feed) to UTF-8 using the charset
// of its Content-Type; a body without one, or in UTF-8, is returned as is.
func DecodeText(body []byte, contentType string) []byte {
	cs := contentTypeCharset(contentType)
	if cs == "" {
		return body
	}
	cr, err := charset.NewReaderLabel(cs, bytes.NewReader(body))
	if err != nil {
		return body
	}
	out, err := io.ReadAll(cr)
	if err != nil {
		return body
	}
	return out
}

// contentTypeCharset returns the charset parameter of a Content-Type unless
// it is UTF-8 (or absent): "".
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	cs := strings.ToLower(strings.TrimSpace(params["charset"]))
	if cs == "utf-8" || cs == "utf8" {
		return ""
	}
	return cs
}

// WithoutFragment returns u without its "#…" part (a page's SourceID prefix).
func WithoutFragment(u string) string {
	base, _, _ := strings.Cut(u, "#")
	return base
}
