package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
)

// switchableFeed serves one feed body at /feed.xml that the test can swap.
type switchableFeed struct {
	mu   sync.Mutex
	body []byte
	site *fakeSite
}

func newSwitchableFeed(t *testing.T, body []byte) *switchableFeed {
	f := &switchableFeed{body: body, site: newFakeSite(t)}
	f.site.route("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		b := f.body
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(b)
	})
	return f
}

func (f *switchableFeed) set(b []byte) {
	f.mu.Lock()
	f.body = b
	f.mu.Unlock()
}

func readReal(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFeedCutInHalfDeletesNothing replays hostile-feeds/broken-half.xml (the
// real Pallmann feed cut inside item 151) as a refresh: the run fails with a
// reason the merchant can act on, all 305 products keep answering, and only
// a confirmed retry indexes the 150 that could be read. A well-formed feed
// that lost more than half of its products is refused the same way.
func TestFeedCutInHalfDeletesNothing(t *testing.T) {
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Pallmann")
	full := readReal(t, "gfeed-pallmann-fr/feed.xml")
	feed := newSwitchableFeed(t, full)
	res := s.createResource(merchant, map[string]any{"name": "Feed", "type": "offers", "language": "fr",
		"offers": map[string]any{"source": "google_feed", "url": feed.site.url("/feed.xml")}})
	ok := s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if ok.Documents != 305 {
		t.Fatalf("first index: %d documents, want 305", ok.Documents)
	}
	// Item 152 of 305: in the half the cut feed loses.
	const q = "Combien coûte le MAGIC OIL 2K Original 2,75L ?"
	answers := func(when string) {
		t.Helper()
		a := s.ask(chatbot, ragkb.AnswerRequest{Question: q})
		if a.Status != ragkb.AnswerAnswered || !strings.Contains(a.Answer, "387.61") || len(a.Citations) == 0 ||
			!strings.HasSuffix(a.Citations[0].URL, "#magic-oil-2k-original-2-75l") {
			t.Errorf("%s: got %s %q citing %+v, want the 387.61 EUR price of the product", when, a.Status, a.Answer, a.Citations)
		}
	}
	answers("before the refresh")

	feed.set(full[:159893]) // hostile-feeds/broken-half.xml
	if code := s.call("POST", "/v1/resources/"+res.ID+"/refresh", merchant, nil, nil); code != http.StatusAccepted {
		t.Fatalf("refresh: got %d, want 202", code)
	}
	r := s.waitDone(merchant, res.ID, ragkb.StatusFailed)
	for _, want := range []string{"read only in part", "cut off or malformed inside product 151", "155 of 305", "Nothing was deleted", "confirm=true"} {
		if !strings.Contains(r.Error, want) {
			t.Errorf("error %q: want it to say %q", r.Error, want)
		}
	}
	if r.Documents != 305 {
		t.Errorf("after the cut feed: %d documents, want 305 (nothing deleted)", r.Documents)
	}
	answers("after the failed refresh")

	if code := s.call("POST", "/v1/resources/"+res.ID+"/retry?confirm=maybe", merchant, nil, nil); code != http.StatusBadRequest {
		t.Errorf("retry with confirm=maybe: got %d, want 400", code)
	}
	if code := s.call("POST", "/v1/resources/"+res.ID+"/retry?confirm=true", merchant, nil, nil); code != http.StatusAccepted {
		t.Fatalf("confirmed retry: got %d, want 202", code)
	}
	r = s.waitDone(merchant, res.ID, ragkb.StatusSuccess)
	if r.Documents != 150 || r.LastRun == nil || r.LastRun.Removed != 155 || !strings.Contains(strings.Join(r.Warnings, " "), "read only in part") {
		t.Errorf("confirmed retry: %d documents, last run %+v, warnings %q; want 150, 155 removed and the reason", r.Documents, r.LastRun, r.Warnings)
	}

	// Back to the whole feed (an update, as the merchant fixed it), then a
	// well-formed feed of 100 products: more than half would go.
	// (A renamed resource: an identical offers update counts as a refresh.)
	feed.set(full)
	body := func(name string) map[string]any {
		return map[string]any{"name": name, "type": "offers", "language": "fr", "offers": map[string]any{"source": "google_feed", "url": feed.site.url("/feed.xml")}}
	}
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, body("Feed fixed"), nil); code != http.StatusAccepted {
		t.Fatalf("update: got %d", code)
	}
	if r = s.waitDone(merchant, res.ID, ragkb.StatusSuccess); r.Documents != 305 {
		t.Fatalf("whole feed again: %d documents, want 305", r.Documents)
	}
	feed.set(firstItems(t, full, 100))
	if code := s.call("PUT", "/v1/resources/"+res.ID, merchant, body("Feed small"), nil); code != http.StatusAccepted {
		t.Fatalf("update: got %d", code)
	}
	r = s.waitDone(merchant, res.ID, ragkb.StatusFailed)
	if !strings.Contains(r.Error, "100 documents where 305 were indexed") || r.Documents != 305 {
		t.Errorf("a feed of 100: error %q, %d documents; want the drop explained and 305 kept", r.Error, r.Documents)
	}
	answers("after the refused drop")
	if code := s.call("PUT", "/v1/resources/"+res.ID+"?confirm=true", merchant, body("Feed small, confirmed"), nil); code != http.StatusAccepted {
		t.Fatalf("confirmed update: got %d", code)
	}
	if r = s.waitDone(merchant, res.ID, ragkb.StatusSuccess); r.Documents != 100 {
		t.Errorf("confirmed drop: %d documents, want 100", r.Documents)
	}
}

var rssItem = regexp.MustCompile(`(?s)<item>.*?</item>\s*`)

// firstItems keeps the first n items of an RSS feed, well-formed.
func firstItems(t *testing.T, feed []byte, n int) []byte {
	t.Helper()
	locs := rssItem.FindAllIndex(feed, -1)
	if len(locs) < n {
		t.Fatalf("feed has %d items, want at least %d", len(locs), n)
	}
	var b bytes.Buffer
	b.Write(feed[:locs[0][0]])
	b.Write(feed[locs[0][0]:locs[n-1][1]])
	b.Write(feed[locs[len(locs)-1][1]:])
	return b.Bytes()
}

// bigFeed rebuilds hostile-feeds/big-5mb.xml: 17 copies of the feed's
// items, the ids and links of copies 1-16 suffixed -c1 … -c16.
func bigFeed(t *testing.T, feed []byte) []byte {
	t.Helper()
	locs := rssItem.FindAllIndex(feed, -1)
	items := string(feed[locs[0][0]:locs[len(locs)-1][1]])
	id := regexp.MustCompile(`</g:id>`)
	link := regexp.MustCompile(`</g:link>`)
	var b bytes.Buffer
	b.Write(feed[:locs[0][0]])
	b.WriteString(items)
	for c := 1; c <= 16; c++ {
		x := id.ReplaceAllString(items, fmt.Sprintf("-c%d</g:id>", c))
		b.WriteString(link.ReplaceAllString(x, fmt.Sprintf("-c%d</g:link>", c)))
	}
	b.Write(feed[locs[len(locs)-1][1]:])
	return b.Bytes()
}

// TestBigFeedIndexes indexes the 5 MB feed (5,185 products) through the API.
func TestBigFeedIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 5,185 products")
	}
	s := startService(t, t.TempDir(), nil)
	_, merchant, chatbot := s.tenantWithKeys("Pallmann big")
	big := bigFeed(t, readReal(t, "gfeed-pallmann-fr/feed.xml"))
	if len(big) < 5<<20 {
		t.Fatalf("big feed: %d bytes, want over 5 MB", len(big))
	}
	feed := newSwitchableFeed(t, big)
	res := s.createResource(merchant, map[string]any{"name": "Feed", "type": "offers", "language": "fr",
		"offers": map[string]any{"source": "google_feed", "url": feed.site.url("/feed.xml")}})
	r := s.waitStatus(merchant, res.ID, 5*time.Minute)
	if r.Status != ragkb.StatusSuccess || r.Documents != 5185 {
		t.Fatalf("big feed: %s (%s), %d documents; want success with 5185", r.Status, r.Error, r.Documents)
	}
	a := s.ask(chatbot, ragkb.AnswerRequest{Question: "Combien coûte le MAGIC OIL 2K Original 2,75L ?"})
	if a.Status != ragkb.AnswerAnswered || !strings.Contains(a.Answer, "387.61") {
		t.Errorf("big feed answer: %s %q", a.Status, a.Answer)
	}
}
