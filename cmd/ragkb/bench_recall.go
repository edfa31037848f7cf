package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/indexer"
)

// search posts one query to /v1/search through the handler.
func (e *benchEnv) search(q string) (time.Duration, error) {
	body, _ := json.Marshal(ragkb.SearchRequest{Query: q, TopK: 5})
	req := httptest.NewRequest(http.MethodPost, "/v1/search", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.chatKey)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	start := time.Now()
	e.handler.ServeHTTP(rec, req)
	d := time.Since(start)
	if rec.Code != http.StatusOK {
		return d, fmt.Errorf("search %q: status %d: %s", q, rec.Code, rec.Body.String())
	}
	return d, nil
}

// recallAt10 compares the vector store's top 10 for n product questions with
// an exact cosine ranking over the same vectors, recomputed here with the
// same embedder and the indexer's own ids and embedding text.
func (e *benchEnv) recallAt10(ctx context.Context, resourceID string, docs []*ragkb.Document, n int) (float64, error) {
	ids := make([]string, len(docs))
	texts := make([]string, len(docs))
	for i, d := range docs {
		docID := indexer.DocumentID(resourceID, d.SourceID)
		ids[i] = indexer.ChunkID(docID, d.Hash, 0)
		texts[i] = indexer.EmbeddingText(&ragkb.Chunk{Title: d.Title, Text: d.Text}, nil)
	}
	var vecs [][]float32
	for start := 0; start < len(texts); start += 512 {
		v, err := e.app.Embedder.Embed(ctx, texts[start:min(start+512, len(texts))])
		if err != nil {
			return 0, err
		}
		vecs = append(vecs, v...)
	}
	rng := rand.New(rand.NewPCG(11, 11))
	found, total := 0, 0
	for i := 0; i < n; i++ {
		doc := docs[rng.IntN(len(docs))]
		q := fmt.Sprintf(productQuestions[rng.IntN(len(productQuestions))], doc.Title)
		qv, err := e.app.Embedder.Embed(ctx, []string{q})
		if err != nil {
			return 0, err
		}
		type sc struct {
			id string
			s  float32
		}
		exact := make([]sc, len(vecs))
		for j, v := range vecs {
			var dot float32
			for k := range v {
				dot += v[k] * qv[0][k]
			}
			exact[j] = sc{ids[j], dot}
		}
		sort.Slice(exact, func(a, b int) bool { return exact[a].s > exact[b].s })
		want := map[string]bool{}
		for _, x := range exact[:10] {
			want[x.id] = true
		}
		hits, err := e.app.Vectors.Search(ctx, ragkb.VectorQuery{TenantID: e.tenant, ResourceIDs: []string{resourceID}, Vector: qv[0], K: 10})
		if err != nil {
			return 0, err
		}
		for _, h := range hits {
			if want[h.ChunkID] {
				found++
			}
		}
		total += 10
	}
	return float64(found) / float64(total), nil
}
