package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
)

func init() {
	extraSections = append(extraSections, struct {
		name string
		run  func(ctx context.Context, w io.Writer, progress io.Writer) error
	}{"offers", benchOffers})
}

// feedRSS renders a Google Merchant RSS feed of the offers, with the given
// price overrides.
func feedRSS(docs []*ragkb.Document, price map[int]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title><link>https://shop.example</link><description>feed</description>
`)
	for i, d := range docs {
		p := d.Offer.Price
		if v, ok := price[i]; ok {
			p = v
		}
		avail := "in_stock"
		if d.Offer.Availability == "out of stock" {
			avail = "out_of_stock"
		}
		fmt.Fprintf(&b, "<item><g:id>%d</g:id><g:title>%s</g:title><g:description>%s</g:description><g:link>%s</g:link><g:price>%s PLN</g:price><g:availability>%s</g:availability><g:condition>new</g:condition><g:brand>%s</g:brand></item>\n",
			i, html.EscapeString(d.Title), html.EscapeString(d.Text), d.URL, p, avail, html.EscapeString(strings.Fields(d.Title)[0]))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// runJob runs the app's real indexer (real connectors) for one resource job.
func (e *benchEnv) runJob(ctx context.Context, r *ragkb.Resource, create bool) (*ragkb.RunStats, time.Duration, error) {
	now := time.Now().UTC()
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: e.tenant, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}
	r.TenantID, r.Status, r.UpdatedAt = e.tenant, ragkb.StatusProcessing, now
	if create {
		r.CreatedAt = now
		if err := e.app.Store.CreateResource(ctx, r, job); err != nil {
			return nil, 0, err
		}
	} else if err := e.app.Store.UpdateResource(ctx, r, job); err != nil {
		return nil, 0, err
	}
	claimed, err := e.app.Store.ClaimJob(ctx, "bench", time.Hour)
	if err != nil {
		return nil, 0, err
	}
	l := ragkb.Lease{JobID: claimed.ID, Owner: "bench"}
	start := time.Now()
	res, err := e.app.Indexer.Run(ctx, l, r)
	if err != nil {
		return nil, 0, err
	}
	d := time.Since(start)
	fresh, err := e.app.Store.GetResource(ctx, e.tenant, r.ID)
	if err != nil {
		return nil, 0, err
	}
	fresh.Status, fresh.LastRun = ragkb.StatusSuccess, &res.Stats
	if err := e.app.Store.FinishJob(ctx, l, fresh); err != nil {
		return nil, 0, err
	}
	*r = *fresh
	return &res.Stats, d, nil
}

// benchOffers indexes 10,000 offers from a Google Merchant feed served
// locally, through the real fetcher and feed connector, then refreshes it
// with 1% of the prices changed and reports what was re-embedded.
func benchOffers(ctx context.Context, w io.Writer, progress io.Writer) error {
	const n = 10_000
	fmt.Fprintln(progress, "bench: google feed, 10,000 offers...")
	docs := syntheticOffers(n, 99)
	var mu sync.Mutex
	body := feedRSS(docs, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(rw, r)
			return
		}
		mu.Lock()
		b := body
		mu.Unlock()
		rw.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(rw, b)
	}))
	defer srv.Close()
	e, err := newBenchEnv(ctx, map[string]string{"RAGKB_ALLOW_PRIVATE_URLS": "true"})
	if err != nil {
		return err
	}
	defer e.close()
	r := &ragkb.Resource{ID: ragkb.NewID("res"), Name: "Feed", Type: ragkb.TypeOffers, Offers: &ragkb.OffersSpec{Source: ragkb.SourceGoogleFeed, URL: srv.URL + "/feed.xml"}}
	first, d1, err := e.runJob(ctx, r, true)
	if err != nil {
		return err
	}
	changed := map[int]string{}
	for i := 0; i < n/100; i++ {
		changed[i*100+7] = "1.00"
	}
	mu.Lock()
	body = feedRSS(docs, changed)
	mu.Unlock()
	second, d2, err := e.runJob(ctx, r, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "## Offers: Google Merchant feed and incremental refresh\n\n")
	fmt.Fprintf(w, "A generated RSS feed of %d offers served on loopback, read by the real fetcher and `connectors/googlefeed`, indexed by the real indexer (local embedder, embedded store). Then the feed changes the price of 1%% of the offers and the resource is refreshed. Time includes fetching and parsing the feed.\n\n", n)
	fmt.Fprintf(w, "| run | documents | added | changed | removed | unchanged | chunks embedded | time | chunks/s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, s *ragkb.RunStats, d time.Duration) {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %.2f s | %.0f |\n", name, s.Added+s.Changed+s.Unchanged, s.Added, s.Changed, s.Removed, s.Unchanged, s.Embedded, d.Seconds(), float64(s.Embedded)/d.Seconds())
	}
	row("first index", first, d1)
	row("refresh, 1% changed", second, d2)
	fmt.Fprintf(w, "\nThe refresh re-embedded %d of %d offers (%.1f%%).\n\n", second.Embedded, n, 100*float64(second.Embedded)/float64(n))
	return nil
}
