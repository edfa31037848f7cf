package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
	chromem "github.com/philippgille/chromem-go"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/indexer"
	"github.com/ragkb/ragkb/retriever"
	"github.com/ragkb/ragkb/store/sqlite"
	"github.com/ragkb/ragkb/store/vectorindex"
)

// searcher runs one question and returns document ids, best first.
type searcher struct {
	name   string
	search func(ctx context.Context, q string, k int) ([]string, error)
}

// system is one retrieval stack under test, indexed into its own directory.
type system interface {
	index(ctx context.Context, dir string, docs []doc) error
	searchers() []searcher
	close() error
}

func newSystem(name string, emb ragkb.Embedder) (system, error) {
	switch name {
	case "ragkb":
		return &ragkbSystem{emb: emb}, nil
	case "bleve":
		return &bleveSystem{}, nil
	case "chromem":
		return &chromemSystem{emb: emb}, nil
	case "glue":
		return &glueSystem{b: &bleveSystem{}, c: &chromemSystem{emb: emb}}, nil
	}
	return nil, fmt.Errorf("unknown system %q", name)
}

// ragkbSystem is ragkb in process: its indexer, SQLite store (lexical
// side), embedded vector index (dense side) and hybrid retriever.
type ragkbSystem struct {
	emb     ragkb.Embedder
	st      *sqlite.Store
	vec     *vectorindex.Store
	ret     *retriever.Retriever
	tenant  string
	docOf   map[string]string // ragkb document id -> corpus doc id
	chunkOf map[string]string // chunk id -> corpus doc id
}

func (s *ragkbSystem) index(ctx context.Context, dir string, docs []doc) error {
	var err error
	if s.st, err = sqlite.New(ctx, sqlite.Config{Path: filepath.Join(dir, "ragkb.db")}); err != nil {
		return err
	}
	if s.vec, err = vectorindex.New(vectorindex.Config{Dir: filepath.Join(dir, "vectors"), Dimensions: s.emb.Dimensions(), Embedder: s.emb.Name()}); err != nil {
		return err
	}
	now := time.Now().UTC()
	t := &ragkb.Tenant{ID: ragkb.NewID("ten"), Name: "bench", CreatedAt: now}
	if err := s.st.CreateTenant(ctx, t); err != nil {
		return err
	}
	s.tenant = t.ID
	r := &ragkb.Resource{ID: ragkb.NewID("res"), TenantID: t.ID, Name: "bench", Type: ragkb.TypeKnowledgeBase,
		KnowledgeBase: &ragkb.KnowledgeBase{}, Status: ragkb.StatusProcessing, CreatedAt: now, UpdatedAt: now}
	job := &ragkb.Job{ID: ragkb.NewID("job"), TenantID: t.ID, ResourceID: r.ID, Kind: ragkb.JobIndex, CreatedAt: now}
	if err := s.st.CreateResource(ctx, r, job); err != nil {
		return err
	}
	claimed, err := s.st.ClaimJob(ctx, "bench", time.Hour)
	if err != nil {
		return err
	}
	rdocs := make([]*ragkb.Document, len(docs))
	s.docOf = make(map[string]string, len(docs))
	for i, d := range docs {
		lang := cmp.Or(d.Lang, "en")
		if lang == "-" {
			lang = ""
		}
		rd := &ragkb.Document{SourceID: d.ID, Kind: d.Kind, Title: d.Title, Text: d.Text, Language: lang}
		rd.ComputeHash()
		rdocs[i] = rd
		s.docOf[indexer.DocumentID(r.ID, d.ID)] = d.ID
	}
	ix, err := indexer.New(indexer.Config{Store: s.st, Vectors: s.vec, Embedder: s.emb, MaxDocuments: len(docs),
		Connector: ragkb.ConnectorFunc(func(context.Context, *ragkb.Resource) (*ragkb.FetchResult, error) {
			return &ragkb.FetchResult{Documents: rdocs}, nil
		})})
	if err != nil {
		return err
	}
	l := ragkb.Lease{JobID: claimed.ID, Owner: "bench"}
	if _, err := ix.Run(ctx, l, r); err != nil {
		return err
	}
	fresh, err := s.st.GetResource(ctx, t.ID, r.ID)
	if err != nil {
		return err
	}
	fresh.Status = ragkb.StatusSuccess
	if err := s.st.FinishJob(ctx, l, fresh); err != nil {
		return err
	}
	s.ret, err = retriever.New(retriever.Config{Store: s.st, Vectors: s.vec, Embedder: s.emb})
	s.chunkOf = map[string]string{}
	return err
}

// docsOf maps chunk ids to corpus doc ids (outside the timed search).
func (s *ragkbSystem) docsOf(ctx context.Context, ids []string) ([]string, error) {
	var missing []string
	for _, id := range ids {
		if _, ok := s.chunkOf[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		cs, err := s.st.GetChunks(ctx, s.tenant, missing)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			s.chunkOf[c.ID] = s.docOf[c.DocumentID]
		}
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.chunkOf[id])
	}
	return out, nil
}

func (s *ragkbSystem) searchers() []searcher {
	return []searcher{
		{"ragkb hybrid", func(ctx context.Context, q string, k int) ([]string, error) {
			hits, err := s.ret.Search(ctx, retriever.Query{TenantID: s.tenant, Text: q, TopK: k})
			if err != nil {
				return nil, err
			}
			out := make([]string, len(hits))
			for i, h := range hits {
				out[i] = s.docOf[h.Chunk.DocumentID]
			}
			return out, nil
		}},
		{"ragkb lexical (SQLite BM25)", func(ctx context.Context, q string, k int) ([]string, error) {
			hits, err := s.st.SearchLexical(ctx, ragkb.LexicalQuery{TenantID: s.tenant, Text: q, Limit: k})
			if err != nil {
				return nil, err
			}
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ChunkID
			}
			return chunkIDs(ids), nil
		}},
		{"ragkb dense (vector index)", func(ctx context.Context, q string, k int) ([]string, error) {
			vs, err := ragkb.EmbedQueries(ctx, s.emb, []string{q})
			if err != nil {
				return nil, err
			}
			hits, err := s.vec.Search(ctx, ragkb.VectorQuery{TenantID: s.tenant, Vector: vs[0], K: k})
			if err != nil {
				return nil, err
			}
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ChunkID
			}
			return chunkIDs(ids), nil
		}},
	}
}

// chunkIDs marks a result as chunk ids to be resolved after timing.
func chunkIDs(ids []string) []string {
	return append([]string{chunkMark}, ids...)
}

const chunkMark = "\x00chunks"

func (s *ragkbSystem) resolve(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) > 0 && ids[0] == chunkMark {
		return s.docsOf(ctx, ids[1:])
	}
	return ids, nil
}

func (s *ragkbSystem) close() error {
	if s.vec != nil {
		s.vec.Close()
	}
	if s.st != nil {
		return s.st.Close()
	}
	return nil
}

// bleveSystem is bleve with BM25 scoring and its English analyzer (possessives,
// lower-casing, stopwords, Porter stemming), title and text in one index.
type bleveSystem struct {
	idx bleve.Index
}

func (s *bleveSystem) index(ctx context.Context, dir string, docs []doc) error {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = bleveindex.BM25Scoring
	dm := bleve.NewDocumentMapping()
	for _, f := range []string{"title", "text"} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = en.AnalyzerName
		fm.Store = false
		dm.AddFieldMappingsAt(f, fm)
	}
	m.DefaultMapping = dm
	var err error
	if s.idx, err = bleve.New(filepath.Join(dir, "bleve"), m); err != nil {
		return err
	}
	b := s.idx.NewBatch()
	for _, c := range chunks(docs) {
		if err := b.Index(c.ID, map[string]string{"title": c.Title, "text": c.Text}); err != nil {
			return err
		}
		if b.Size() >= 1000 {
			if err := s.idx.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return s.idx.Batch(b)
}

func (s *bleveSystem) ranked(q string, k int) ([]string, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(q), k, 0, false)
	res, err := s.idx.Search(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

func (s *bleveSystem) searchers() []searcher {
	return []searcher{{"bleve BM25 (en analyzer)", func(_ context.Context, q string, k int) ([]string, error) {
		ids, err := s.ranked(q, k)
		return docIDs(ids), err
	}}}
}

func (s *bleveSystem) close() error {
	if s.idx != nil {
		return s.idx.Close()
	}
	return nil
}

// chromemSystem is chromem-go (exhaustive cosine scan) persisted to disk,
// embedding with ragkb's embedder the text ragkb embeds for a chunk.
type chromemSystem struct {
	emb ragkb.Embedder
	db  *chromem.DB
	col *chromem.Collection
}

func (s *chromemSystem) index(ctx context.Context, dir string, docs []doc) error {
	var err error
	if s.db, err = chromem.NewPersistentDB(filepath.Join(dir, "chromem"), false); err != nil {
		return err
	}
	ef := func(ctx context.Context, text string) ([]float32, error) {
		v, err := s.emb.Embed(ctx, []string{text})
		if err != nil {
			return nil, err
		}
		return v[0], nil
	}
	if s.col, err = s.db.CreateCollection("bench", nil, ef); err != nil {
		return err
	}
	cs := chunks(docs)
	cd := make([]chromem.Document, len(cs))
	for i, c := range cs {
		cd[i] = chromem.Document{ID: c.ID, Content: indexer.EmbeddingText(&ragkb.Chunk{Title: c.Title, Text: c.Text}, nil)}
	}
	return s.col.AddDocuments(ctx, cd, runtime.NumCPU())
}

func (s *chromemSystem) ranked(ctx context.Context, q string, k int) ([]string, error) {
	vs, err := ragkb.EmbedQueries(ctx, s.emb, []string{q})
	if err != nil {
		return nil, err
	}
	res, err := s.col.QueryEmbedding(ctx, vs[0], min(k, s.col.Count()), nil, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.ID
	}
	return out, nil
}

func (s *chromemSystem) searchers() []searcher {
	return []searcher{{"chromem-go (same embedder)", func(ctx context.Context, q string, k int) ([]string, error) {
		ids, err := s.ranked(ctx, q, k)
		return docIDs(ids), err
	}}}
}

func (s *chromemSystem) close() error { return nil }

// glueSystem is what a Go team would assemble: bleve and chromem-go queried
// concurrently, 30 candidates each, fused by reciprocal rank (k=60), as
// ragkb's retriever fuses its two sides.
type glueSystem struct {
	b *bleveSystem
	c *chromemSystem
}

func (s *glueSystem) index(ctx context.Context, dir string, docs []doc) error {
	if err := s.b.index(ctx, dir, docs); err != nil {
		return err
	}
	return s.c.index(ctx, dir, docs)
}

func (s *glueSystem) searchers() []searcher {
	return []searcher{{"bleve + chromem-go, RRF", func(ctx context.Context, q string, k int) ([]string, error) {
		const cands, rrfK = 30, 60.0
		type out struct {
			ids []string
			err error
		}
		lc := make(chan out, 1)
		go func() {
			ids, err := s.b.ranked(q, cands)
			lc <- out{ids, err}
		}()
		dense, err := s.c.ranked(ctx, q, cands)
		lex := <-lc
		if err != nil {
			return nil, err
		}
		if lex.err != nil {
			return nil, lex.err
		}
		score := map[string]float64{}
		var order []string
		for _, list := range [][]string{dense, lex.ids} {
			for i, id := range list {
				if _, ok := score[id]; !ok {
					order = append(order, id)
				}
				score[id] += 1 / (rrfK + float64(i+1))
			}
		}
		sort.SliceStable(order, func(i, j int) bool { return score[order[i]] > score[order[j]] })
		return docIDs(order[:min(k, len(order))]), nil
	}}}
}

func (s *glueSystem) close() error {
	return s.b.close()
}

// docIDs turns peer chunk ids ("doc#n") into doc ids.
func docIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		for j := len(id) - 1; j >= 0; j-- {
			if id[j] == '#' {
				id = id[:j]
				break
			}
		}
		out[i] = id
	}
	return out
}

// serveIndex is the -serve child: it opens the index a ragkb child left in
// dir, as a restarted server would, answers qs with the hybrid search and
// returns its own resident set in KiB (VmRSS, after a GC that returns freed
// memory to the system): what serving that index costs, without the corpus
// and indexing buffers the indexing child's peak includes.
func serveIndex(ctx context.Context, emb ragkb.Embedder, dir, tenant string, qs []query) (int64, error) {
	st, err := sqlite.New(ctx, sqlite.Config{Path: filepath.Join(dir, "ragkb.db")})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	vec, err := vectorindex.New(vectorindex.Config{Dir: filepath.Join(dir, "vectors"), Dimensions: emb.Dimensions(), Embedder: emb.Name()})
	if err != nil {
		return 0, err
	}
	defer vec.Close()
	ret, err := retriever.New(retriever.Config{Store: st, Vectors: vec, Embedder: emb})
	if err != nil {
		return 0, err
	}
	for _, q := range qs {
		hits, err := ret.Search(ctx, retriever.Query{TenantID: tenant, Text: q.Text, TopK: 10})
		if err != nil {
			return 0, err
		}
		if len(hits) == 0 {
			return 0, fmt.Errorf("serve: no hits for %q: the index did not load", q.Text)
		}
	}
	rss := settledRSS()
	runtime.KeepAlive(ret)
	return rss, nil
}

// settledRSS is the process's resident set in KiB (VmRSS) after a garbage
// collection that returns freed memory to the system.
func settledRSS() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	return procStatusKiB("VmRSS:")
}
