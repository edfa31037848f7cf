package indexer_test

import (
	"github.com/ragkb/ragkb/internal/testenv"

	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/storetest"
	"github.com/ragkb/ragkb/store/vectorindex"
)

// BenchmarkIndex10k measures a first indexing run of 10,000 one-chunk
// documents through the embedded stack (SQLite in a temporary directory,
// the on-disk vector index and the local embedder), from the connector's
// documents to the applied index: offers (storetest.LexicalCorpus, no
// language) and English pages of about 350 characters (like bench/peers'
// synthetic corpus, stemmed). It reports chunks/s of wall time and the
// process's CPU time per chunk (the machine is shared).
func BenchmarkIndex10k(b *testing.B) {
	offers, _ := storetest.LexicalCorpus(10_000)
	for _, bc := range []struct {
		name string
		docs []*ragkb.Document
	}{
		{"offers", offers},
		{"pages", syntheticPages(10_000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var chunks int
			var cpu time.Duration
			var disk int64
			for b.Loop() {
				b.StopTimer()
				e := newBenchEnv(b)
				docs := make([]*ragkb.Document, len(bc.docs))
				for i, d := range bc.docs {
					c := *d
					c.ID, c.Hash = "", ""
					docs[i] = &c
				}
				ix, err := indexer.New(indexer.Config{Store: e.store, Vectors: e.vectors, Embedder: e.emb,
					Connector: ragkb.ConnectorFunc(func(context.Context, *ragkb.Resource) (*ragkb.FetchResult, error) {
						return &ragkb.FetchResult{Documents: docs}, nil
					})})
				if err != nil {
					b.Fatal(err)
				}
				c0 := testenv.CPUTime()
				b.StartTimer()
				res, err := ix.Run(context.Background(), e.lease, e.res)
				b.StopTimer()
				cpu += testenv.CPUTime() - c0
				if err != nil {
					b.Fatal(err)
				}
				chunks += res.Stats.Embedded
				disk = dirBytes(b, e.dir)
				e.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(chunks)/b.Elapsed().Seconds(), "chunks/s")
			b.ReportMetric(float64(cpu.Microseconds())/float64(chunks), "cpu-µs/chunk")
			b.ReportMetric(float64(disk)/(1<<20), "disk-MiB")
		})
	}
}

// benchEnv is a fresh embedded stack with one claimed resource.
type benchEnv struct {
	store   *sqlite.Store
	vectors *vectorindex.Store
	emb     *embed.Local
	res     *ragkb.Resource
	lease   ragkb.Lease
	dir     string
}

func newBenchEnv(b testing.TB) *benchEnv {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	st, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(dir, "db.sqlite")})
	if err != nil {
		b.Fatal(err)
	}
	emb := embed.NewLocal(embed.LocalConfig{})
	vi, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(dir, "vectors"), Dimensions: emb.Dimensions(), Embedder: emb.Name()})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	ten := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "Shop", CreatedAt: now}
	if err := st.CreateTenant(ctx, ten); err != nil {
		b.Fatal(err)
	}
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: ten.ID, Name: "bench", Type: ragkb.TypeKnowledgeBase,
		KnowledgeBase: &ragkb.KnowledgeBase{}, Status: ragkb.StatusProcessing, CreatedAt: now, UpdatedAt: now}
	if err := st.CreateResource(ctx, r, &ragkb.Job{ID: ragkb.NewID("job"), TenantID: ten.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	job, err := st.ClaimJob(ctx, "bench", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return &benchEnv{store: st, vectors: vi, emb: emb, res: r, lease: ragkb.Lease{JobID: job.ID, Owner: "bench"}, dir: dir}
}

func (e *benchEnv) close() {
	e.vectors.Close()
	e.store.Close()
}

// dirBytes is the size of the files under dir (the store right after the
// run, as bench/peers measures it: write-ahead log and journal included).
func dirBytes(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		n += fi.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// syntheticPages returns n English documents of six short sentences drawn
// from a small vocabulary (so terms repeat across documents as in a real
// help centre) and a reference number that makes each one unique.
func syntheticPages(n int) []*ragkb.Document {
	words := strings.Fields(`account card transfer payment refund money bank balance top up pending
		declined fee exchange rate currency cash withdrawal atm pin verify identity app phone lost stolen
		delivery arrive order track charge twice wrong amount cancel transaction statement limit virtual
		physical contactless apple google pay salary receive send beneficiary international abroad country
		travel freeze unblock passcode change address name email password reset support contact help why
		how when where what can i my is has been not still yet is it possible to get new use for the a`)
	rng := rand.New(rand.NewPCG(42, 42))
	sentence := func() string {
		k := 5 + rng.IntN(8)
		s := make([]string, k)
		for i := range s {
			s[i] = words[rng.IntN(len(words))]
		}
		s[0] = strings.ToUpper(s[0][:1]) + s[0][1:]
		return strings.Join(s, " ") + "?"
	}
	docs := make([]*ragkb.Document, n)
	for i := range docs {
		var b strings.Builder
		for j := range 6 {
			if j > 0 {
				b.WriteString(" ")
			}
			b.WriteString(sentence())
		}
		fmt.Fprintf(&b, " Reference %d-%d.", i, rng.IntN(1_000_000))
		docs[i] = &ragkb.Document{SourceID: fmt.Sprintf("syn-%d", i), Kind: ragkb.DocPage, Title: sentence(), Text: b.String(), Language: "en"}
	}
	return docs
}
