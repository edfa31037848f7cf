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

// ErrSitemapCut is returned with the entries read so far when a sitemap is
// cut off or malformed halfway.
var ErrSitemapCut = errors.New("the sitemap is cut off or malformed")

// ParseSitemap reads a sitemap (urlset) or sitemap index, gzip-compressed or
// not, in the charset its declaration names. It returns at most
// MaxSitemapURLs page URLs and the child sitemaps of an index. A sitemap cut
// off halfway returns what was read and an error wrapping ErrSitemapCut.
func ParseSitemap(b []byte) (pages []SitemapURL, children []string, err error) {
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("connectors: gunzip sitemap: %w", err)
		}
		b, err = io.ReadAll(io.LimitReader(zr, MaxSitemapBytes))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("connectors: gunzip sitemap: %w", err)
		}
	}
	dec := NewXMLDecoder(b, "")
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return nil, nil, fmt.Errorf("connectors: parse sitemap: %w", err)
			}
			return pages, children, fmt.Errorf("connectors: parse sitemap after %d entries: %w (%v)", len(pages)+len(children), ErrSitemapCut, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = start.Name.Local
			if root != "urlset" && root != "sitemapindex" {
				return nil, nil, errors.New("connectors: parse sitemap: not a urlset or sitemapindex")
			}
			continue
		}
		if start.Name.Local != "url" && start.Name.Local != "sitemap" {
			continue
		}
		var u SitemapURL
		if err := dec.DecodeElement(&u, &start); err != nil {
			return pages, children, fmt.Errorf("connectors: parse sitemap after %d entries: %w (%v)", len(pages)+len(children), ErrSitemapCut, err)
		}
		loc := strings.TrimSpace(u.Loc)
		switch {
		case loc == "":
		case start.Name.Local == "url" && len(pages) < MaxSitemapURLs:
			pages = append(pages, SitemapURL{Loc: loc, LastMod: strings.TrimSpace(u.LastMod)})
		case start.Name.Local == "sitemap" && len(children) < MaxSitemapURLs:
			children = append(children, loc)
		}
	}
	if root == "" {
		return nil, nil, errors.New("connectors: parse sitemap: not a urlset or sitemapindex")
	}
	return pages, children, nil
}

// SitemapResult is what Fetcher.Sitemap found.
type SitemapResult struct {
	Pages    []SitemapURL
	Warnings []string
	// Incomplete says why pages may be missing: a sitemap that could not be
	// read or was cut off halfway (see ragkb.FetchResult.Incomplete).
	Incomplete []string
}

// Sitemap lists the pages of site's host from its sitemaps: those named in
// robots.txt, else /sitemap.xml. Indexes are followed (3 levels, 50 files);
// only http(s) pages on the same host are kept, at most limit of them.
// Unreadable or cut-off sitemaps make the result Incomplete; no readable
// sitemap at all is an error.
func (f *Fetcher) Sitemap(ctx context.Context, site string, limit int) (*SitemapResult, error) {
	base, err := ParseURL(site)
	if err != nil {
		return nil, err
	}
	roots, err := f.RobotsSitemaps(ctx, site)
	if err != nil {
		return nil, err
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
	res := &SitemapResult{}
	var pages []SitemapURL
	failed := 0
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
			msg := "The sitemap " + it.url + " could not be read: " + ragkb.ErrorMessage(err)
			res.Warnings = append(res.Warnings, msg)
			res.Incomplete = append(res.Incomplete, msg)
			failed++
			continue
		}
		ps, children, err := ParseSitemap(resp.Body)
		switch {
		case errors.Is(err, ErrSitemapCut):
			res.Incomplete = append(res.Incomplete, fmt.Sprintf("The sitemap %s is cut off or malformed after %d entries", it.url, len(ps)+len(children)))
		case err != nil:
			res.Warnings = append(res.Warnings, "The sitemap "+it.url+" is not a valid sitemap")
			failed++
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
	if read > 0 && len(pages) == 0 && failed == read {
		return res, ragkb.Errorf(ragkb.EUNAVAILABLE, "No sitemap could be read for %s", base.Host)
	}
	res.Pages = pages
	return res, nil
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
