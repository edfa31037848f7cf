package main

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
)

// fakeServer is an OpenAI-compatible /v1/embeddings server embedding a text
// as its hashed bag of words (64 dimensions; the input type moves one
// component, so query and passage vectors differ). It records each request.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []fakeReq
	fail bool
}

type fakeReq struct {
	Input     []string
	InputType string
}

func newFakeServer(t *testing.T) *fakeServer {
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model     string   `json:"model"`
			Input     []string `json:"input"`
			InputType string   `json:"input_type"`
		}
		if r.URL.Path != "/v1/embeddings" || json.NewDecoder(r.Body).Decode(&req) != nil {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, fakeReq{req.Input, req.InputType})
		fail := f.fail
		f.mu.Unlock()
		if fail {
			http.Error(w, `{"error":{"message":"model overloaded"}}`, http.StatusServiceUnavailable)
			return
		}
		type datum struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		resp := struct {
			Object string  `json:"object"`
			Data   []datum `json:"data"`
			Model  string  `json:"model"`
		}{Object: "list", Model: req.Model}
		for i, text := range req.Input {
			resp.Data = append(resp.Data, datum{"embedding", i, bagOfWords(text, req.InputType)})
		}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(f.Close)
	return f
}

func bagOfWords(text, inputType string) []float32 {
	v := make([]float32, 64)
	v[0] = 0.1
	if inputType == "query" {
		v[0] = 0.3
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' }) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[1+h.Sum32()%63]++
	}
	return v
}

func (f *fakeServer) requests() []fakeReq {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func startProxy(t *testing.T, upstream, cache string) (*embedProxy, string, *embed.OpenAI) {
	t.Helper()
	p, err := newEmbedProxy(upstream, cache)
	if err != nil {
		t.Fatal(err)
	}
	p.batch = 2
	url, stop, err := p.serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(); p.close() })
	c, err := embed.NewOpenAI(embed.OpenAIConfig{URL: url, Model: "m", Modality: embed.ModalityInputType, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return p, url, c
}

func TestEmbedProxyCaches(t *testing.T) {
	ctx := context.Background()
	f := newFakeServer(t)
	cache := filepath.Join(t.TempDir(), "cache", "embeddings.log")
	direct, err := embed.NewOpenAI(embed.OpenAIConfig{URL: f.URL, Model: "m", Modality: embed.ModalityInputType})
	if err != nil {
		t.Fatal(err)
	}
	want, err := direct.Embed(ctx, []string{"top up my card", "card lost", "exchange rate", "top up my card"})
	if err != nil {
		t.Fatal(err)
	}
	wantQ, err := direct.EmbedQuery(ctx, []string{"top up my card"})
	if err != nil {
		t.Fatal(err)
	}
	base := len(f.requests())

	p, _, c := startProxy(t, f.URL, cache)
	got, err := c.Embed(ctx, []string{"top up my card", "card lost", "exchange rate", "top up my card"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("proxied vectors differ from the server's")
	}
	// Three distinct texts, forwarded once each in batches of two.
	reqs := f.requests()[base:]
	if len(reqs) != 2 || !slices.Equal(reqs[0].Input, []string{"top up my card", "card lost"}) || !slices.Equal(reqs[1].Input, []string{"exchange rate"}) || reqs[0].InputType != "passage" {
		t.Fatalf("forwarded %+v, want [top up my card, card lost] then [exchange rate] as passages", reqs)
	}
	if h, m := p.hits.Load(), p.misses.Load(); h != 1 || m != 3 {
		t.Fatalf("hits, misses = %d, %d, want 1, 3", h, m)
	}
	// Asked again: nothing reaches the server.
	again, err := c.Embed(ctx, []string{"exchange rate", "top up my card"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.requests()) - base; n != 2 || !slices.Equal(again[0], want[2]) || !slices.Equal(again[1], want[0]) {
		t.Fatalf("second call: %d requests in all (want 2), vectors equal: %v", n, slices.Equal(again[0], want[2]))
	}
	// The same text as a query is another entry.
	q, err := c.EmbedQuery(ctx, []string{"top up my card"})
	if err != nil {
		t.Fatal(err)
	}
	reqs = f.requests()[base:]
	if len(reqs) != 3 || reqs[2].InputType != "query" || !slices.Equal(q[0], wantQ[0]) || slices.Equal(q[0], want[0]) {
		t.Fatalf("query: requests %+v; query vector must be the server's and differ from the passage's", reqs)
	}

	// A new proxy on the same log serves everything without the server, even
	// after an interrupted write left a torn line.
	f.mu.Lock()
	f.fail = true
	f.mu.Unlock()
	lf, err := os.OpenFile(cache, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	lf.WriteString("0123abcd\tAAAA")
	lf.Close()
	_, _, c2 := startProxy(t, f.URL, cache)
	got2, err := c2.Embed(ctx, []string{"card lost", "top up my card", "exchange rate"})
	if err != nil {
		t.Fatalf("cached texts: %v", err)
	}
	if !slices.Equal(got2[0], want[1]) || !slices.Equal(got2[1], want[0]) || !slices.Equal(got2[2], want[2]) {
		t.Fatal("vectors from the reopened cache differ")
	}
	q2, err := c2.EmbedQuery(ctx, []string{"top up my card"})
	if err != nil || !slices.Equal(q2[0], wantQ[0]) {
		t.Fatalf("cached query: %v", err)
	}
	n := len(f.requests())
	// A miss while the server fails is the server's error, not a vector.
	if _, err := c2.Embed(ctx, []string{"new text"}); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("miss with a failing server: err = %v, want the server's 503", err)
	}
	if len(f.requests()) != n+1 {
		t.Fatalf("the miss was forwarded %d times, want 1", len(f.requests())-n)
	}
	// Once the server is back the miss is stored after the torn line was
	// dropped, so a third proxy reads it.
	f.mu.Lock()
	f.fail = false
	f.mu.Unlock()
	if _, err := c2.Embed(ctx, []string{"new text"}); err != nil {
		t.Fatal(err)
	}
	p3, err := newEmbedProxy(f.URL, cache)
	if err != nil {
		t.Fatal(err)
	}
	defer p3.close()
	if len(p3.vecs) != 5 {
		t.Fatalf("reopened cache holds %d vectors, want 5 (4 passages, 1 query)", len(p3.vecs))
	}
}

// TestPythonPeers runs the Python child (chromadb, bm25s, their RRF) on a
// three-document corpus through the proxy; it skips without a Python that
// has chromadb and bm25s (RAGKB_PEERS_PYTHON, or scripts/bench-peers.sh's
// venv).
func TestPythonPeers(t *testing.T) {
	py := os.Getenv("RAGKB_PEERS_PYTHON")
	if py == "" {
		py = filepath.Join(os.Getenv("RAGKB_CACHE_DIR"), "peers-venv", "bin", "python")
		if os.Getenv("RAGKB_CACHE_DIR") == "" {
			py = "/var/cache/ragkb/peers-venv/bin/python"
		}
	}
	if err := exec.Command(py, "-c", "import chromadb, bm25s").Run(); err != nil {
		t.Skipf("no Python with chromadb and bm25s at %s (scripts/bench-peers.sh makes one): %v", py, err)
	}
	f := newFakeServer(t)
	_, url, _ := startProxy(t, f.URL, filepath.Join(t.TempDir(), "embeddings.log"))
	c := &corpus{Shape: "tiny", Docs: []doc{
		{ID: "d0", Label: "topup", Title: "How do I top up my card?", Text: "Adding money to the card balance.", Kind: ragkb.DocQA},
		{ID: "d1", Label: "lost", Title: "My card was lost or stolen", Text: "Freeze a lost card at once.", Kind: ragkb.DocQA},
		{ID: "d2", Label: "fx", Title: "What exchange rate do you use?", Text: "Currency conversion fees for foreign payments.", Kind: ragkb.DocQA},
	}, Queries: []query{{"top up money balance", "topup"}, {"stolen lost freeze", "lost"}, {"exchange rate currency conversion", "fx"}}}
	file := filepath.Join(t.TempDir(), "corpus.json")
	questions := []string{c.Queries[0].Text, c.Queries[1].Text, c.Queries[2].Text}
	if err := writeCorpus(file, chunks(c.Docs), questions); err != nil {
		t.Fatal(err)
	}
	for _, sys := range pySystems {
		rs, err := runPyChild(py, "py/peers.py", sys, file, semanticConfig{URL: url, Model: "m", Modality: embed.ModalityInputType}, c, os.Stderr)
		if err != nil {
			t.Fatalf("%s: %v", sys, err)
		}
		if len(rs) != 1 {
			t.Fatalf("%s: %d rows, want 1", sys, len(rs))
		}
		r := rs[0]
		if r.Top1 != 1 || r.Errors != 0 || r.Queries != 3 || r.Docs != 3 || r.RSSKiB <= 0 || r.Disk <= 0 || r.P50us <= 0 {
			t.Errorf("%s: %+v, want every question's document first, RSS, disk and latency measured", sys, r)
		}
	}
	// The passages were embedded as passages and the questions as queries.
	kinds := map[string]bool{}
	for _, r := range f.requests() {
		kinds[r.InputType] = true
	}
	if !kinds["passage"] || !kinds["query"] || len(kinds) != 2 {
		t.Errorf("input types sent: %v, want passage and query", kinds)
	}
}
