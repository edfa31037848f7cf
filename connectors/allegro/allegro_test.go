package allegro

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/connectors"
	"github.com/ragkb/ragkb/connectors/internal/golden"
)

var _ ragkb.Connector = (*Connector)(nil)

const fixtures = "../../testdata/offers/allegro"

// fakeAllegro replays the fixtures and checks every request like the API would.
type fakeAllegro struct {
	t     *testing.T
	mu    sync.Mutex
	calls map[string]int
	// status, when set, is returned for every call.
	status int
	// detailStatus, when set, is returned for offer details only.
	detailStatus int
}

func (f *fakeAllegro) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls[r.URL.Path]++
	f.mu.Unlock()
	if r.Method != http.MethodGet {
		f.t.Errorf("%s %s: want GET", r.Method, r.URL)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer tok-123" {
		f.t.Errorf("Authorization: got %q", got)
	}
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "ragkb/") {
		f.t.Errorf("User-Agent: got %q", got)
	}
	w.Header().Set("Content-Type", MediaType)
	if r.Header.Get("Accept") != MediaType {
		w.WriteHeader(http.StatusNotAcceptable)
		w.Write([]byte(`{"errors":[{"code":"NotAcceptableException","message":"Not acceptable"}]}`))
		return
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		w.Write([]byte(`{"errors":[{"code":"Error","message":"x","userMessage":"x"}]}`))
		return
	}
	if f.detailStatus != 0 && strings.HasPrefix(r.URL.Path, "/sale/product-offers/") {
		w.WriteHeader(f.detailStatus)
		w.Write([]byte(`{"errors":[{"code":"Error"}]}`))
		return
	}
	file := ""
	switch p := r.URL.Path; {
	case p == "/sale/offers":
		q := r.URL.Query()
		if q.Get("limit") != "2" || q.Get("publication.status") != "ACTIVE" {
			f.t.Errorf("listing query %q: want limit=2 and publication.status=ACTIVE", r.URL.RawQuery)
		}
		switch q.Get("offset") {
		case "0":
			file = "offers_page1.json"
		case "2":
			file = "offers_page2.json"
		default:
			f.t.Errorf("unexpected offset %q", q.Get("offset"))
		}
	case p == "/sale/product-offers/14243255672":
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"errors":[{"code":"InternalServerError","message":"oops"}]}`))
		return
	case strings.HasPrefix(p, "/sale/product-offers/"):
		file = "product-offer-" + strings.TrimPrefix(p, "/sale/product-offers/") + ".json"
	case strings.HasPrefix(p, "/after-sales-service-conditions/return-policies/"):
		file = "return-policy.json"
	case strings.HasPrefix(p, "/after-sales-service-conditions/implied-warranties/"):
		file = "implied-warranty.json"
	case strings.HasPrefix(p, "/after-sales-service-conditions/warranties/"):
		file = "warranty.json"
	case strings.HasPrefix(p, "/sale/shipping-rates/"):
		file = "shipping-rates.json"
	}
	b, err := os.ReadFile(filepath.Join(fixtures, file))
	if file == "" || err != nil {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"errors":[{"code":"NOT_FOUND"}]}`))
		return
	}
	w.Write(b)
}

func setup(t *testing.T) (*fakeAllegro, *httptest.Server, *Connector) {
	fa := &fakeAllegro{t: t, calls: map[string]int{}}
	srv := httptest.NewServer(fa)
	t.Cleanup(srv.Close)
	f := connectors.NewFetcher(connectors.FetcherConfig{AllowPrivate: true,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	return fa, srv, New(Config{Fetcher: f, PageSize: 2})
}

func resource(base string) *ragkb.Resource {
	return &ragkb.Resource{Type: ragkb.TypeOffers, Language: "pl",
		Offers: &ragkb.OffersSpec{Source: ragkb.SourceAllegro, URL: base, Token: "tok-123"}}
}

func TestFetch(t *testing.T) {
	fa, srv, c := setup(t)
	res, err := c.Fetch(context.Background(), resource(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 || res.Skipped != 1 || len(res.Warnings) != 1 {
		t.Fatalf("got %d documents, %d skipped, warnings %q; want 2, 1 and one warning", len(res.Documents), res.Skipped, res.Warnings)
	}
	if !strings.Contains(res.Warnings[0], "14243255672") {
		t.Errorf("warning %q must name the skipped offer", res.Warnings[0])
	}
	d := res.Documents[0]
	want := ragkb.Offer{ID: "14243255670", Price: "129.99", Currency: "PLN", Availability: "in_stock", Condition: "new",
		// The resource is Polish, so the after-sales words are Polish.
		Warranty: "Gwarancja: 2 lata (gwarancja producenta). Rękojmia: 2 lata",
		Returns:  "Zwrot w ciągu 14 dni, koszt zwrotu pokrywa kupujący",
		Delivery: "Dostawa: od 9.99 PLN, wysyłka w ciągu 24 godzin", Brand: "Acme", SKU: "AK-17",
		ImageURL: "https://a.allegroimg.com/original/11aa22/czajnik"}
	if *d.Offer != want {
		t.Errorf("offer:\n got %+v\nwant %+v", *d.Offer, want)
	}
	if d.URL != "https://allegro.pl/oferta/14243255670" || d.SourceID != "14243255670" || d.Kind != ragkb.DocOffer {
		t.Errorf("document: %+v", d)
	}
	if got := res.Documents[1].Offer; got.Condition != "used" || got.Availability != "out_of_stock" || got.Warranty != "Rękojmia: 2 lata" {
		t.Errorf("second offer: %+v", got)
	}
	// Lookups shared by both offers are made once per run.
	for _, p := range []string{
		"/after-sales-service-conditions/return-policies/9a1c2b3d-0000-4000-8000-000000000002",
		"/sale/shipping-rates/5d6e7f80-0000-4000-8000-000000000010",
		"/after-sales-service-conditions/implied-warranties/9a1c2b3d-0000-4000-8000-000000000001",
	} {
		if got := fa.calls[p]; got != 1 {
			t.Errorf("%s called %d times, want 1", p, got)
		}
	}
	if got := fa.calls["/sale/offers"]; got != 2 {
		t.Errorf("listing pages: got %d, want 2", got)
	}
	golden.JSON(t, filepath.Join(fixtures, "documents.golden.json"), res.Documents)
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		wantCode ragkb.ErrorCode
		wantMsg  string
	}{
		{name: "bad token", status: 401, wantCode: ragkb.EUNAUTHORIZED, wantMsg: "Allegro rejected the token (401): reconnect the account"},
		{name: "not acceptable", status: 406, wantCode: ragkb.EUNAVAILABLE, wantMsg: "Allegro refused the request format (406 Not Acceptable); this ragkb version must be updated"},
		{name: "rate limited", status: 429, wantCode: ragkb.ERATELIMITED, wantMsg: "Allegro is limiting requests (429); the refresh will be retried later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, srv, c := setup(t)
			fa.status = tt.status
			_, err := c.Fetch(context.Background(), resource(srv.URL))
			if ragkb.ErrorCodeOf(err) != tt.wantCode || ragkb.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("got %v (%s), want %s %q", err, ragkb.ErrorCodeOf(err), tt.wantCode, tt.wantMsg)
			}
			if tt.status == 429 && fa.calls["/sale/offers"] != 4 {
				t.Errorf("429: listing called %d times, want 4 (3 retries)", fa.calls["/sale/offers"])
			}
		})
	}
	// A token revoked during the run stops it with the 401 message, not
	// with the cancellation of the other workers.
	fa, srv, c := setup(t)
	fa.detailStatus = http.StatusUnauthorized
	_, err := c.Fetch(context.Background(), resource(srv.URL))
	if ragkb.ErrorMessage(err) != "Allegro rejected the token (401): reconnect the account" {
		t.Errorf("401 on details: got %v", err)
	}

	r := resource("https://api.allegro.pl")
	r.Offers.Token = ""
	if _, err := c.Fetch(context.Background(), r); ragkb.ErrorField(err) != "offers.token" {
		t.Errorf("missing token: got %v", err)
	}
}
