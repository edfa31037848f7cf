// Package retriever finds the passages that answer a question: lexical
// (BM25 or the backend's full-text ranking) and dense (vector) results are
// fetched concurrently, fused with reciprocal rank fusion, hydrated from the
// store (which drops vectors whose chunk no longer exists) and given an
// absolute relevance score used to decide when nothing relevant was found.
package retriever

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/ragkb/ragkb"
)

// Store is what the retriever needs from the metadata store.
type Store interface {
	SearchLexical(ctx context.Context, q ragkb.LexicalQuery) ([]ragkb.ChunkHit, error)
	GetChunks(ctx context.Context, tenantID string, ids []string) ([]*ragkb.Chunk, error)
}

// VectorSearcher is what the retriever needs from the vector store.
type VectorSearcher interface {
	Search(ctx context.Context, q ragkb.VectorQuery) ([]ragkb.VectorHit, error)
}

// Config configures a Retriever.
type Config struct {
	Store    Store
	Vectors  VectorSearcher
	Embedder ragkb.Embedder
	// Candidates is how many results each side contributes before fusion (default 30).
	Candidates int
	// RRFK is the reciprocal rank fusion constant (default 60).
	RRFK float64
	// EmbedTimeout bounds embedding the question (default 2s). When the
	// embedding service fails or is slower, the search goes on with lexical
	// results only and says so through a Note (WithNote).
	EmbedTimeout time.Duration
	// Relevance turns a hit's dense similarity and lexical coverage into the
	// absolute score answers are thresholded on. Default Relevance, measured
	// for the local embedder; each embedder needs its own (see
	// SemanticRelevance and BENCHMARKS.md).
	Relevance func(dense, coverage float64) float64
}

// Retriever runs hybrid searches. It is safe for concurrent use.
type Retriever struct {
	cfg Config
}

// New returns a Retriever.
func New(cfg Config) (*Retriever, error) {
	switch {
	case cfg.Store == nil:
		return nil, ragkb.Invalid("Store", "is required")
	case cfg.Vectors == nil:
		return nil, ragkb.Invalid("Vectors", "is required")
	case cfg.Embedder == nil:
		return nil, ragkb.Invalid("Embedder", "is required")
	}
	cfg.Candidates = cmp.Or(cfg.Candidates, 30)
	cfg.RRFK = cmp.Or(cfg.RRFK, 60)
	cfg.EmbedTimeout = cmp.Or(cfg.EmbedTimeout, 2*time.Second)
	if cfg.Relevance == nil {
		cfg.Relevance = Relevance
	}
	return &Retriever{cfg: cfg}, nil
}

// Note records how searches made with a context went (the shared
// ragkb.SearchNote); see WithNote.
type Note = ragkb.SearchNote

// WithNote returns a context whose searches report degradation to the
// returned Note (ragkb.WithSearchNote).
func WithNote(ctx context.Context) (context.Context, *Note) { return ragkb.WithSearchNote(ctx) }

func noteDegraded(ctx context.Context, why string) { ragkb.NoteSearchDegraded(ctx, why) }

// Query is a search within one tenant (the shared ragkb.SearchQuery; the
// alias keeps this package's code short).
type Query = ragkb.SearchQuery

// Hit is a retrieved chunk with its scores (the shared ragkb.SearchHit).
type Hit = ragkb.SearchHit

// embed embeds the question within EmbedTimeout.
func (r *Retriever) embed(ctx context.Context, text string) ([]float32, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.EmbedTimeout)
	defer cancel()
	vs, err := ragkb.EmbedQueries(ctx, r.cfg.Embedder, []string{text})
	if err != nil {
		return nil, err
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("retriever: embed question: got %d vectors", len(vs))
	}
	return vs[0], nil
}

// Search returns up to q.TopK hits (default 5), best first.
func (r *Retriever) Search(ctx context.Context, q Query) ([]Hit, error) {
	if q.TenantID == "" {
		return nil, ragkb.Invalid("tenant_id", "is required")
	}
	topK := cmp.Or(q.TopK, 5)
	vec := q.Vector
	if vec == nil {
		var err error
		if vec, err = r.embed(ctx, q.Text); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("retriever: embed question: %w", ctx.Err())
			}
			// The embedding service is slow or down: lexical search alone
			// still finds passages that share the question's words.
			noteDegraded(ctx, "the embedding service did not answer: searched by words only")
			vec = nil
		}
	}

	type lexOut struct {
		hits []ragkb.ChunkHit
		err  error
	}
	lexc := make(chan lexOut, 1)
	go func() {
		h, err := r.cfg.Store.SearchLexical(ctx, ragkb.LexicalQuery{
			TenantID: q.TenantID, ResourceIDs: q.ResourceIDs, Text: q.Text, Limit: r.cfg.Candidates,
		})
		lexc <- lexOut{h, err}
	}()
	var dense []ragkb.VectorHit
	var derr error
	if vec != nil {
		dense, derr = r.cfg.Vectors.Search(ctx, ragkb.VectorQuery{
			TenantID: q.TenantID, ResourceIDs: q.ResourceIDs, Vector: vec, K: r.cfg.Candidates,
		})
	}
	lex := <-lexc
	if derr != nil {
		return nil, fmt.Errorf("retriever: dense search: %w", derr)
	}
	if lex.err != nil {
		return nil, fmt.Errorf("retriever: lexical search: %w", lex.err)
	}

	byID := map[string]*Hit{}
	var order []string
	add := func(id string) *Hit {
		h, ok := byID[id]
		if !ok {
			h = &Hit{}
			byID[id] = h
			order = append(order, id)
		}
		return h
	}
	for i, d := range dense {
		h := add(d.ChunkID)
		h.Dense = d.Score
		h.Fused += 1 / (r.cfg.RRFK + float64(i+1))
	}
	for i, l := range lex.hits {
		h := add(l.ChunkID)
		h.Lexical = l.Score
		h.Fused += 1 / (r.cfg.RRFK + float64(i+1))
	}
	sort.SliceStable(order, func(i, j int) bool { return byID[order[i]].Fused > byID[order[j]].Fused })
	// Hydrate a few more than asked: ids whose chunk is gone are dropped.
	want := order
	if len(want) > topK*2 {
		want = want[:topK*2]
	}
	if len(want) == 0 {
		return nil, nil
	}
	chunks, err := r.cfg.Store.GetChunks(ctx, q.TenantID, want)
	if err != nil {
		return nil, fmt.Errorf("retriever: load chunks: %w", err)
	}
	found := make(map[string]*ragkb.Chunk, len(chunks))
	for _, c := range chunks {
		found[c.ID] = c
	}
	terms := Terms(q.Text)
	out := make([]Hit, 0, topK)
	for _, id := range want {
		c, ok := found[id]
		if !ok || c.TenantID != "" && c.TenantID != q.TenantID {
			continue
		}
		h := byID[id]
		h.Chunk = c
		h.Coverage = Coverage(terms, c.Title+" "+c.Text)
		h.Relevance = r.cfg.Relevance(h.Dense, h.Coverage)
		out = append(out, *h)
		if len(out) == topK {
			break
		}
	}
	// Order by fused rank, but let relevance break the fusion's blind spots:
	// a chunk both sides agree on stays first.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Fused > out[j].Fused })
	return out, nil
}
