package intent

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// EmbedFunc embeds texts (as queries: questions and example phrasings are
// compared with each other, so both sides are queries).
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// VectorCache remembers embeddings by embedder name and text content, so
// examples are embedded once per model: when a tenant's lane is rebuilt
// only new or edited examples are embedded, and a benchmark run again
// embeds nothing. It is safe for concurrent use. With a path it can be
// saved to and loaded from a file.
type VectorCache struct {
	mu   sync.Mutex
	m    map[[32]byte][]float32
	path string
}

// NewVectorCache returns an empty cache, or the one saved at path when path
// is not empty and the file exists.
func NewVectorCache(path string) (*VectorCache, error) {
	c := &VectorCache{m: map[[32]byte][]float32{}, path: path}
	if path == "" {
		return c, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("intent: vector cache: %w", err)
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(&c.m); err != nil {
		// A damaged cache is only lost work: start again.
		c.m = map[[32]byte][]float32{}
	}
	return c, nil
}

// Len is the number of cached vectors.
func (c *VectorCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func cacheKey(model, text string) [32]byte {
	return sha256.Sum256([]byte(model + "\x00" + text))
}

// batchSize is how many texts one call to the embedder carries.
const batchSize = 64

// Embed returns the vectors of texts under model, embedding with embed only
// the texts the cache does not have yet.
func (c *VectorCache) Embed(ctx context.Context, model string, texts []string, embed EmbedFunc) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var missing []int
	c.mu.Lock()
	for i, t := range texts {
		if v, ok := c.m[cacheKey(model, t)]; ok {
			out[i] = v
		} else {
			missing = append(missing, i)
		}
	}
	c.mu.Unlock()
	for start := 0; start < len(missing); start += batchSize {
		idx := missing[start:min(start+batchSize, len(missing))]
		batch := make([]string, len(idx))
		for j, i := range idx {
			batch[j] = texts[i]
		}
		vecs, err := embed(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("intent: embed examples: %w", err)
		}
		if len(vecs) != len(batch) {
			return nil, fmt.Errorf("intent: embed examples: %d vectors for %d texts", len(vecs), len(batch))
		}
		c.mu.Lock()
		for j, i := range idx {
			out[i] = vecs[j]
			c.m[cacheKey(model, texts[i])] = vecs[j]
		}
		c.mu.Unlock()
	}
	return out, nil
}

// Save writes the cache to its file (a no-op without a path).
func (c *VectorCache) Save() error {
	if c.path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("intent: save vector cache: %w", err)
	}
	tmp := c.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("intent: save vector cache: %w", err)
	}
	c.mu.Lock()
	err = gob.NewEncoder(f).Encode(c.m)
	c.mu.Unlock()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("intent: save vector cache: %w", err)
	}
	return os.Rename(tmp, c.path)
}
