package connectors

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/ragkb/ragkb"
)

// Sitemap limits (sitemaps.org protocol).
const (
	MaxSitemapURLs  = 50000
	MaxSitemapBytes = 50 << 20
	maxSitemapFiles = 50
	maxSitemapDepth = 3
)

// SitemapURL is one <url> entry of a sitemap.
type SitemapURL struct {
	Loc     string `json:"loc" xml:"loc"`
	LastMod string `json:"lastmod,omitempty" xml:"lastmod"`
}

type sitemapXML struct {
	XMLName  xml.Name
	URLs     []SitemapURL `xml:"url"`
	Sitemaps []SitemapURL `xml:"sitemap"`
}

// ParseSitemap reads a sitemap (urlset) or sitemap index, gzip-compressed or
// not. It returns at most MaxSitemapURLs page URLs and the child sitemaps of
// an index.
func ParseSitemap(b []byte) (pages []SitemapURL, children []string, err error) {
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("connectors: gunzip sitemap: %w", err)
		}
		b, err = io.ReadAll(io.LimitReader(zr, MaxSitemapBytes))
		if err != nil {
			return nil, nil, fmt.Errorf("connectors: gunzip sitemap: %w", err)
		}
	}
	var s sitemapXML
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&s); err != nil {
		return nil, nil, fmt.Errorf("connectors: parse sitemap: %w", err)
	}
	switch s.XMLName.Local {
	case "urlset", "sitemapindex":
	default:
		return nil, nil, errors.New("connectors: parse sitemap: not a urlset or sitemapindex")
	}
	for _, u := range s.URLs {
		if loc := strings.TrimSpace(u.Loc); loc != "" && len(pages) < MaxSitemapURLs {
			pages = append(pages, SitemapURL{Loc: loc, LastMod: strings.TrimSpace(u.LastMod)})
		}
	}
	for _, c := range s.Sitemaps {
		if loc := strings.TrimSpace(c.Loc); loc != "" && len(children) < MaxSitemapURLs {
			children = append(children, loc)
		}
	}
	return pages, children, nil
}

// Sitemap lists the pages of site's host from its sitemaps: those named in
// robots.txt, else /sitemap.xml. Indexes are followed (3 levels, 50 files);
// only http(s) pages on the same host are kept, at most limit of them.
// Unreadable child sitemaps become warnings; no readable sitemap at all is an
// error.
func (f *Fetcher) Sitemap(ctx context.Context, site string, limit int) ([]SitemapURL, []string, error) {
	base, err := ParseURL(site)
	if err != nil {
		return nil, nil, err
	}
	roots, err := f.RobotsSitemaps(ctx, site)
	if err != nil {
		return nil, nil, err
	}
	if len(roots) == 0 {
		roots = []string{base.Scheme + "://" + base.Host + "/sitemap.xml"}
	}
	type item struct {
		url   string
		depth int
	}
	queue := make([]item, 0, len(roots))
	for _, r := range roots {
		queue = append(queue, item{r, 0})
	}
	seenFile := map[string]bool{}
	seenPage := map[string]bool{}
	var pages []SitemapURL
	var warnings []string
	read := 0
	for len(queue) > 0 && read < maxSitemapFiles && len(pages) < limit {
		it := queue[0]
		queue = queue[1:]
		if seenFile[it.url] {
			continue
		}
		seenFile[it.url] = true
		su, err := url.Parse(it.url)
		if err != nil || !sameHost(su, base) {
			continue
		}
		read++
		resp, err := f.Fetch(ctx, Request{URL: it.url, Accept: "application/xml, text/xml, */*",
			MaxBodyBytes: MaxSitemapBytes, Conditional: true})
		if err != nil {
			warnings = append(warnings, "The sitemap "+it.url+" could not be read: "+ragkb.ErrorMessage(err))
			continue
		}
		ps, children, err := ParseSitemap(resp.Body)
		if err != nil {
			warnings = append(warnings, "The sitemap "+it.url+" is not a valid sitemap")
			continue
		}
		for _, p := range ps {
			pu, err := url.Parse(p.Loc)
			if err != nil || !sameHost(pu, base) || seenPage[p.Loc] {
				continue
			}
			seenPage[p.Loc] = true
			pages = append(pages, p)
			if len(pages) >= limit {
				break
			}
		}
		if it.depth < maxSitemapDepth {
			for _, c := range children {
				queue = append(queue, item{c, it.depth + 1})
			}
		}
	}
	if read > 0 && len(pages) == 0 && len(warnings) == read {
		return nil, warnings, ragkb.Errorf(ragkb.EUNAVAILABLE, "No sitemap could be read for %s", base.Host)
	}
	return pages, warnings, nil
}

// sameHost reports whether u is an http(s) URL on base's host ("www."
// ignored).
func sameHost(u, base *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	h := func(s string) string { return strings.TrimPrefix(strings.ToLower(s), "www.") }
	return h(u.Hostname()) == h(base.Hostname())
}

// SameSite reports whether two URLs are on the same host ("www." ignored).
func SameSite(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && sameHost(ua, ub)
}
