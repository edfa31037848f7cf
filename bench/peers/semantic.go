package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
)

// semanticConfig is the embedding server a child uses (the parent's proxy).
type semanticConfig struct{ URL, Model, Modality string }

// semanticOptions configures the semantic section.
type semanticOptions struct {
	Upstream, Model, Modality, Server, Cache string
	Data                                     string
	Shapes, Systems                          []string
	Python, PyScript                         string
}

// pySystems are the peers run by the Python child (py/peers.py).
var pySystems = []string{"chromadb", "bm25s", "chromadb+bm25s"}

// embedStat is what embedding one corpus through the proxy cost.
type embedStat struct {
	Shape    string
	Texts    int
	Computed int64
	Sec      float64
}

// semanticRun is the outcome of the semantic section.
type semanticRun struct {
	opts       semanticOptions
	results    []result
	notes      []string
	uncachedMs float64
	goEmbedUs  float64 // median cached round trip of embed.OpenAI via the proxy
	embeds     []embedStat
}

// runSemantic runs the semantic section: the systems of opts.Systems on each
// shape, every one through one caching proxy in front of opts.Upstream. A
// failure is noted in the run rather than returned, so the local section is
// still written.
func runSemantic(opts semanticOptions, self string, stderr io.Writer) *semanticRun {
	sr := &semanticRun{opts: opts}
	ctx := context.Background()
	if sr.opts.Model == "" {
		sr.opts.Model = serverModel(opts.Upstream)
	}
	opts = sr.opts
	direct, err := embed.NewOpenAI(embed.OpenAIConfig{URL: opts.Upstream, Model: opts.Model, Modality: opts.Modality, Timeout: 10 * time.Minute})
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
		return sr
	}
	if err := direct.Probe(ctx); err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: the embedding server did not answer: "+err.Error())
		return sr
	}
	// One uncached query embedding, straight to the server: distinct texts
	// no cache has seen.
	test, err := readLabelled(filepath.Join(opts.Data, "test.csv"))
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
		return sr
	}
	const probes = 20
	var total time.Duration
	for i := range probes {
		q := fmt.Sprintf("%s (%d)", test[i%len(test)].Text, time.Now().UnixNano())
		t := time.Now()
		if _, err := direct.EmbedQuery(ctx, []string{q}); err != nil {
			sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
			return sr
		}
		total += time.Since(t)
	}
	sr.uncachedMs = float64(total.Microseconds()) / probes / 1000
	fmt.Fprintf(stderr, "peers: one uncached query embedding: %.1f ms (mean of %d)\n", sr.uncachedMs, probes)

	p, err := newEmbedProxy(opts.Upstream, opts.Cache)
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: embedding cache: "+err.Error())
		return sr
	}
	defer p.close()
	url, stop, err := p.serve()
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
		return sr
	}
	defer stop()
	child := semanticConfig{URL: url, Model: opts.Model, Modality: opts.Modality}
	via, err := embed.NewOpenAI(embed.OpenAIConfig{URL: url, Model: opts.Model, Modality: opts.Modality,
		BatchSize: 64, Concurrency: 1, Timeout: 10 * time.Minute, MaxElapsed: 4 * time.Hour})
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
		return sr
	}
	dir, err := os.MkdirTemp("", "ragkb-peers-sem-")
	if err != nil {
		sr.notes = append(sr.notes, "the semantic section did not run: "+err.Error())
		return sr
	}
	defer os.RemoveAll(dir)
	for _, shape := range opts.Shapes {
		c, err := loadCorpus(opts.Data, shape, 0)
		if err != nil {
			sr.notes = append(sr.notes, fmt.Sprintf("%s: %v", shape, err))
			continue
		}
		// Embed the corpus and the questions once, so that every system
		// afterwards reads the same cached vectors.
		cs := chunks(c.Docs)
		passages := make([]string, len(cs))
		for i, ch := range cs {
			passages[i] = indexer.EmbeddingText(&ragkb.Chunk{Title: ch.Title, Text: ch.Text}, nil)
		}
		questions := make([]string, len(c.Queries))
		for i, q := range c.Queries {
			questions[i] = q.Text
		}
		fmt.Fprintf(stderr, "peers: embedding %s (%d passages, %d questions) through the cache...\n", shape, len(passages), len(questions))
		before, t0 := p.misses.Load(), time.Now()
		if _, err := via.Embed(ctx, passages); err != nil {
			sr.notes = append(sr.notes, fmt.Sprintf("%s: embedding the corpus failed: %v", shape, err))
			continue
		}
		if _, err := via.EmbedQuery(ctx, questions); err != nil {
			sr.notes = append(sr.notes, fmt.Sprintf("%s: embedding the questions failed: %v", shape, err))
			continue
		}
		st := embedStat{Shape: shape, Texts: len(passages) + len(questions), Computed: p.misses.Load() - before, Sec: time.Since(t0).Seconds()}
		sr.embeds = append(sr.embeds, st)
		fmt.Fprintf(stderr, "peers: %s: %d texts, %d computed by the server, %.1f s\n", shape, st.Texts, st.Computed, st.Sec)
		if sr.goEmbedUs == 0 {
			sr.goEmbedUs = roundTrip(ctx, via, questions)
		}
		corpusFile := filepath.Join(dir, shape+".json")
		if err := writeCorpus(corpusFile, cs, questions); err != nil {
			sr.notes = append(sr.notes, fmt.Sprintf("%s: %v", shape, err))
			continue
		}
		for _, sys := range opts.Systems {
			fmt.Fprintf(stderr, "peers: semantic %s on %s...\n", sys, shape)
			var rs []result
			if slices.Contains(pySystems, sys) {
				rs, err = runPyChild(opts.Python, opts.PyScript, sys, corpusFile, child, c, stderr)
			} else {
				rs, err = runGoChild(self, []string{"-child", sys, "-shapes", shape, "-data", opts.Data, "-queries", "0",
					"-embedding-url", child.URL, "-embedding-model", child.Model, "-embedding-modality", child.Modality}, stderr)
			}
			if err != nil {
				sr.notes = append(sr.notes, fmt.Sprintf("%s on %s did not run: %v", sys, shape, err))
				continue
			}
			sr.results = append(sr.results, rs...)
		}
	}
	fmt.Fprintf(stderr, "peers: embedding cache: %d texts served from the cache, %d computed\n", p.hits.Load(), p.misses.Load())
	return sr
}

// roundTrip is the median time of one cached query embedding through the
// proxy (up to 200 questions), in µs.
func roundTrip(ctx context.Context, e *embed.OpenAI, questions []string) float64 {
	var lat []float64
	for _, q := range questions[:min(200, len(questions))] {
		t := time.Now()
		if _, err := e.EmbedQuery(ctx, []string{q}); err != nil {
			return 0
		}
		lat = append(lat, float64(time.Since(t).Microseconds()))
	}
	slices.Sort(lat)
	return pct(lat, 0.5)
}

// serverModel is the first model the server lists, or multilingual-e5-small.
func serverModel(base string) string {
	const fallback = "multilingual-e5-small"
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(strings.TrimSuffix(strings.TrimRight(base, "/"), "/v1") + "/v1/models")
	if err != nil {
		return fallback
	}
	defer resp.Body.Close()
	var m struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&m) != nil || len(m.Data) == 0 {
		return fallback
	}
	return cmp.Or(m.Data[0].ID, fallback)
}

// pyChunk is a chunk as the Python child reads it: the text a lexical index
// sees (title and text) and the text that is embedded for it.
type pyChunk struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Embed string `json:"embed"`
}

func writeCorpus(path string, cs []chunk, questions []string) error {
	pc := make([]pyChunk, len(cs))
	for i, c := range cs {
		pc[i] = pyChunk{ID: c.ID, Title: c.Title, Text: c.Text, Embed: indexer.EmbeddingText(&ragkb.Chunk{Title: c.Title, Text: c.Text}, nil)}
	}
	b, err := json.Marshal(map[string]any{"chunks": pc, "queries": questions})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// pyRow is one searcher's raw output from the Python child: the chunk ids
// each question got and its latency, scored here like the Go children's.
type pyRow struct {
	Searcher string     `json:"searcher"`
	IndexSec float64    `json:"index_sec"`
	Disk     int64      `json:"disk"`
	Errors   int        `json:"errors"`
	RSSKiB   int64      `json:"rss_kib"`
	EmbedUs  float64    `json:"embed_us"`
	LatUs    []float64  `json:"lat_us"`
	IDs      [][]string `json:"ids"`
}

func runPyChild(python, script, sys, corpusFile string, sem semanticConfig, c *corpus, stderr io.Writer) ([]result, error) {
	if python == "" {
		return nil, fmt.Errorf("no Python with chromadb and bm25s (scripts/bench-peers.sh could not pip-install them)")
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(python, script, "--system", sys, "--corpus", corpusFile,
		"--embedding-url", sem.URL, "--model", sem.Model, "--modality", sem.Modality)
	cmd.Stdout, cmd.Stderr = &out, io.MultiWriter(stderr, &errb)
	if err := cmd.Run(); err != nil {
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		return nil, fmt.Errorf("%v: %s", err, lines[len(lines)-1])
	}
	var rows []pyRow
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		return nil, err
	}
	var rs []result
	for _, row := range rows {
		if len(row.IDs) != len(c.Queries) || len(row.LatUs) != len(c.Queries) {
			return nil, fmt.Errorf("%s: %d results for %d questions", row.Searcher, len(row.IDs), len(c.Queries))
		}
		r := result{System: sys, Searcher: row.Searcher, Shape: c.Shape, IndexSec: row.IndexSec, Disk: row.Disk, Errors: row.Errors, RSSKiB: maxRSS(cmd.ProcessState, row.RSSKiB), EmbedUs: row.EmbedUs}
		evaluate(&r, c, row.IDs, row.LatUs)
		rs = append(rs, r)
	}
	return rs, nil
}

// runGoChild runs this program as a child (-child …) and returns its rows
// with its peak RSS.
func runGoChild(self string, args []string, stderr io.Writer) ([]result, error) {
	var buf bytes.Buffer
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = &buf, stderr
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	var rs []result
	if err := json.Unmarshal(buf.Bytes(), &rs); err != nil {
		return nil, err
	}
	for i := range rs {
		rs[i].RSSKiB = maxRSS(cmd.ProcessState, rs[i].RSSKiB)
	}
	return rs, nil
}

// maxRSS is a finished child's peak resident set in KiB: the one it
// reported (VmHWM, its own address space's high-water mark) or else its
// rusage, which on Linux also counts the parent it was forked from.
func maxRSS(ps *os.ProcessState, reported int64) int64 {
	if reported > 0 {
		return reported
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

// selfHWM is this process's peak resident set in KiB (VmHWM of
// /proc/self/status; 0 where there is none). Unlike rusage's maxrss it does
// not carry over the parent's address space the child was forked from.
func selfHWM() int64 { return procStatusKiB("VmHWM:") }

// procStatusKiB is the value in KiB of a field of /proc/self/status (0
// where there is none).
func procStatusKiB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field); ok {
			var n int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &n)
			return n
		}
	}
	return 0
}

// report writes the semantic subsections: an introduction, then one table
// per shape with ragkb hybrid's top-1 against chromadb's.
func (sr *semanticRun) report(w io.Writer) {
	o := sr.opts
	fmt.Fprintf(w, "**Semantic mode.** The same corpora with the embedding server %s (model `%s`, queries and passages told apart by `%s`) instead of the local embedder: "+
		"**ragkb** with `embed.OpenAI` (hybrid, lexical and dense rows), **chromem-go** and the **glue** with that embedder, "+
		"and, each in its own Python child process (`bench/peers/py/peers.py`), **chromadb** (PersistentClient, HNSW in cosine space, telemetry off, embeddings supplied by the benchmark), "+
		"**bm25s** (BM25 over title and text) and the two fused by reciprocal rank (30 candidates each, k=60, queried one after the other). "+
		"Every system reaches the server through one caching proxy in the parent process (127.0.0.1) that keeps each (model, input type, text) vector on disk, "+
		"so all get identical vectors and **latency includes a cached embedding round trip, not the model**; indexing time likewise includes fetching the cached passage vectors, not computing them.",
		o.Server, o.Model, o.Modality)
	if sr.uncachedMs > 0 {
		fmt.Fprintf(w, " One uncached query embedding costs %.1f ms (mean of 20, straight to the server).", sr.uncachedMs)
	}
	if len(sr.embeds) > 0 {
		var parts []string
		for _, e := range sr.embeds {
			parts = append(parts, fmt.Sprintf("%s %d texts (%d computed by the server this run) in %.1f s", e.Shape, e.Texts, e.Computed, e.Sec))
		}
		fmt.Fprintf(w, " Embedding each corpus and its questions through the cache before the systems ran: %s.", strings.Join(parts, "; "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	for _, n := range sr.notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(sr.notes) > 0 {
		fmt.Fprintln(w)
	}
	for _, shape := range shapesOf(sr.results) {
		rs := ofShape(sr.results, shape)
		fmt.Fprintf(w, "### semantic mode (%s %s, %s): %s\n\n", o.Server, o.Model, o.Modality, shapeHeading(shape, rs))
		table(w, rs)
		fmt.Fprintln(w)
		var says []string
		for _, r := range rs {
			if r.EmbedUs > 0 && sr.goEmbedUs > 0 {
				says = append(says, fmt.Sprintf("The cached embedding round trip alone (median, one question): %.0f µs from Go (`embed.OpenAI`), %.0f µs from the Python child (`http.client`, one kept-alive connection).", sr.goEmbedUs, r.EmbedUs))
				break
			}
		}
		var hybrid, dense, chroma *result
		for i, r := range rs {
			switch {
			case r.Searcher == "ragkb hybrid":
				hybrid = &rs[i]
			case strings.HasPrefix(r.Searcher, "ragkb dense"):
				dense = &rs[i]
			case r.System == "chromadb":
				chroma = &rs[i]
			}
		}
		if hybrid != nil && chroma != nil {
			d := points(hybrid.Top1 - chroma.Top1)
			verdict := "met"
			if d < 3 {
				verdict = "not met"
			}
			line := fmt.Sprintf("ragkb hybrid top-1 minus chromadb top-1 with the same embeddings: %+.1f points (target ≥ +3: %s)", d, verdict)
			if dense != nil {
				line += fmt.Sprintf("; ragkb dense alone: %+.1f", points(dense.Top1-chroma.Top1))
			}
			says = append(says, line+".")
		}
		if len(says) > 0 {
			fmt.Fprintf(w, "%s\n\n", strings.Join(says, " "))
		}
	}
}

// points is a difference of rates in percentage points, rounded to 0.1 (so
// that equal rates print +0.0, not -0.0).
func points(d float64) float64 {
	p := math.Round(1000*d) / 10
	if p == 0 {
		return 0
	}
	return p
}

func shapesOf(all []result) []string {
	var shapes []string
	for _, r := range all {
		if !slices.Contains(shapes, r.Shape) {
			shapes = append(shapes, r.Shape)
		}
	}
	return shapes
}

func ofShape(all []result, shape string) []result {
	var rs []result
	for _, r := range all {
		if r.Shape == shape {
			rs = append(rs, r)
		}
	}
	return rs
}
