package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// fakeEmbeddings is an OpenAI-compatible /v1/embeddings server returning
// a fixed 8-dimensional vector per input.
func fakeEmbeddings(t *testing.T) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Input []string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		type item struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		out := struct {
			Data []item `json:"data"`
		}{}
		for i := range req.Input {
			out.Data = append(out.Data, item{Index: i, Embedding: []float32{1, 0, 0, 0, 0, 0, 0, float32(i)}})
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
}

func readyz(t *testing.T, h http.Handler) (int, map[string]string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	var body struct{ Dependencies map[string]string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("readyz body %q: %v", rec.Body.String(), err)
	}
	return rec.Code, body.Dependencies
}

// TestReadyzReportsAStoppedEmbedder: /readyz pings the embedding service
// (ragkb.Pinger); once the service is stopped the process is not ready.
func TestReadyzReportsAStoppedEmbedder(t *testing.T) {
	emb := fakeEmbeddings(t)
	a, err := New(context.Background(), Config{DataDir: t.TempDir(), Embedder: "openai", EmbeddingURL: emb.URL,
		EmbeddingModel: "fake-8", RefreshSchedule: "off"})
	if err != nil {
		emb.Close()
		t.Fatal(err)
	}
	defer a.Close()
	if code, deps := readyz(t, a.Handler()); code != http.StatusOK || deps["embedding"] != "ok" || deps["vectors"] != "ok" {
		t.Fatalf("with the embedder up: %d %v, want 200 with embedding and vectors ok", code, deps)
	}
	emb.Close()
	code, deps := readyz(t, a.Handler())
	if code != http.StatusServiceUnavailable || deps["embedding"] == "ok" || deps["embedding"] == "" {
		t.Fatalf("with the embedder stopped: %d %v, want 503 naming the embedding failure", code, deps)
	}
	if deps["store"] != "ok" || deps["vectors"] != "ok" {
		t.Errorf("with the embedder stopped: %v, want the stores still ok", deps)
	}
}

// TestReadyzReportsAStoppedVectorStore: a closed vector store makes the
// process unready, named as "vectors".
func TestReadyzReportsAStoppedVectorStore(t *testing.T) {
	a, err := New(context.Background(), Config{DataDir: t.TempDir(), RefreshSchedule: "off"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if code, deps := readyz(t, a.Handler()); code != http.StatusOK || deps["vectors"] != "ok" {
		t.Fatalf("before: %d %v, want 200 with vectors ok", code, deps)
	}
	if err := a.Vectors.Close(); err != nil {
		t.Fatal(err)
	}
	if code, deps := readyz(t, a.Handler()); code != http.StatusServiceUnavailable || deps["vectors"] == "ok" || deps["store"] != "ok" {
		t.Fatalf("vector store closed: %d %v, want 503 naming vectors, store ok", code, deps)
	}
}
