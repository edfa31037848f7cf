// Package vectorindex is the embedded ragkb.VectorStore: one partition per
// tenant, each an HNSW graph over cosine similarity with exact search for
// small partitions and selective resource filters.
//
// Every partition lives in its own directory under Config.Dir as a snapshot
// (vectors and graph) plus an append-only journal of upserts and deletes
// with per-record checksums. Writes are synced before they return; a record
// torn by a crash is dropped on load. When the journal grows past a fraction
// of the snapshot it is folded into a new snapshot (temporary file, fsync,
// rename), and when replaced or deleted vectors pile up the graph is rebuilt
// from the live ones.
//
// Partitions of up to Config.ExactThreshold vectors are searched exactly
// and have no graph; the graph is built (in parallel, beside searches) when
// a partition outgrows that. New vectors are linked in rounds of 32: their
// neighbourhoods are searched in parallel while searches go on, then the
// links are written, which holds searches of that partition up briefly.
// Writes to one partition are serialised.
package vectorindex

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/ragkb/ragkb"
)

const (
	maxDimensions = 1 << 16
	metaName      = "meta.json"
	metaFormat    = 1
)

// Config configures the index. Zero values take the defaults.
type Config struct {
	// Dir holds the partitions; "" keeps everything in memory (tests).
	Dir string
	// Dimensions of every vector; the index refuses to open a Dir built
	// with other dimensions (the embedder changed).
	Dimensions int
	// Embedder optionally names the embedding model (ragkb.Embedder.Name);
	// when set, the index refuses a Dir built by another named model.
	Embedder string
	Logger   *slog.Logger

	// ExactThreshold: a search whose candidates (the tenant's vectors, or
	// those of the filtered resources) number at most this is answered by
	// an exact scan, and a partition's graph is only built once it holds
	// more live vectors. With a resource filter the scan is also chosen
	// while candidates^2 <= ExactThreshold*live (a filtered graph search
	// costs about live/candidates times an unfiltered one). Default 4096:
	// at 384 dimensions a scan costs ~20ns a vector in cache and ~120ns
	// from memory, an unfiltered graph search at 100k ~330µs; negative
	// means always use the graph (tests).
	ExactThreshold int
	// M is the number of graph links per node (twice that on the bottom
	// level). Default 16.
	M int
	// EfConstruction is the beam width while linking a vector. Default 100.
	EfConstruction int
	// EfSearch is the beam width of a search (at least k). Default 64.
	EfSearch int
	// CompactBytes is the journal size from which the journal is folded into
	// the snapshot once it is also a sixteenth of the snapshot. Default 8 MiB.
	CompactBytes int64
}

func (c Config) withDefaults() Config {
	c.Logger = cmp.Or(c.Logger, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.ExactThreshold = cmp.Or(c.ExactThreshold, 4096)
	c.M = cmp.Or(c.M, 16)
	// Chosen with BenchmarkGraphParams (20k clustered 384-dim vectors): ef 64
	// reaches recall@10 1.000 on queries from the data's topics at efc 64,
	// 100 or 128; ef 96 costs 50% more and only helps queries unrelated to
	// any stored text. efc 64 builds 25-35% faster, but at 100,000 custom
	// questions (`ragkb bench -sections scale -scale-sizes 100000`) it made
	// 9.7% of the unseen paraphrases get another product's text from
	// retrieval against 6.3% at efc 100: the weaker graph misses the right
	// product's chunk among its many near twins, so efc stays at 100.
	c.EfConstruction = cmp.Or(c.EfConstruction, 100)
	c.EfSearch = cmp.Or(c.EfSearch, 64)
	c.CompactBytes = cmp.Or(c.CompactBytes, 8<<20)
	return c
}

// Validate checks the configuration after defaults are applied.
func (c Config) Validate() error {
	switch {
	case c.Dimensions <= 0 || c.Dimensions > maxDimensions:
		return ragkb.Invalid("dimensions", "vector dimensions must be between 1 and %d, got %d", maxDimensions, c.Dimensions)
	case c.M < 2 || c.M > 256:
		return ragkb.Invalid("m", "graph links per node must be between 2 and 256, got %d", c.M)
	case c.EfConstruction < c.M:
		return ragkb.Invalid("ef_construction", "must be at least m (%d), got %d", c.M, c.EfConstruction)
	case c.EfSearch < 1:
		return ragkb.Invalid("ef_search", "must be positive, got %d", c.EfSearch)
	case c.CompactBytes < 0:
		return ragkb.Invalid("compact_bytes", "must not be negative")
	}
	return nil
}

// Store is the embedded vector index. It is safe for concurrent use.
type Store struct {
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	parts   map[string]*partition
	closed  bool
	tenants string   // Dir/tenants, "" in memory
	lock    *os.File // held while open
}

var (
	_ ragkb.VectorStore = (*Store)(nil)
	_ ragkb.Pinger      = (*Store)(nil)
)

type meta struct {
	Format     int    `json:"format"`
	Dimensions int    `json:"dimensions"`
	Embedder   string `json:"embedder,omitempty"`
}

// New opens (or creates) the index in cfg.Dir and loads every partition.
func New(cfg Config) (*Store, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Store{cfg: cfg, log: cfg.Logger, parts: map[string]*partition{}}
	if cfg.Dir == "" {
		return s, nil
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("vectorindex: create dir: %w", err)
	}
	lock, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("vectorindex: lock %s: %w", cfg.Dir, err)
	}
	s.lock = lock
	if err := checkMeta(cfg.Dir, cfg.Dimensions, cfg.Embedder); err != nil {
		lock.Close()
		return nil, err
	}
	s.tenants = filepath.Join(cfg.Dir, "tenants")
	if err := os.MkdirAll(s.tenants, 0o700); err != nil {
		s.Close()
		return nil, fmt.Errorf("vectorindex: create dir: %w", err)
	}
	entries, err := os.ReadDir(s.tenants)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("vectorindex: list partitions: %w", err)
	}
	for _, e := range entries {
		raw, err := hex.DecodeString(e.Name())
		if !e.IsDir() || err != nil {
			continue
		}
		p, err := openPartition(filepath.Join(s.tenants, e.Name()), cfg, s.log.With("tenant", string(raw)))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("vectorindex: open partition of tenant %q: %w (to recover, move %s away and reindex the tenant's resources)",
				raw, err, filepath.Join(s.tenants, e.Name()))
		}
		s.parts[string(raw)] = p
	}
	return s, nil
}

// checkMeta records the dimensions (and embedder) on first use and refuses
// others later.
func checkMeta(dir string, dims int, embedder string) error {
	path := filepath.Join(dir, metaName)
	write := func(m meta) error {
		data, _ := json.Marshal(m)
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			return fmt.Errorf("vectorindex: write meta: %w", err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("vectorindex: write meta: %w", err)
		}
		return syncDir(dir)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return write(meta{Format: metaFormat, Dimensions: dims, Embedder: embedder})
	}
	if err != nil {
		return fmt.Errorf("vectorindex: read meta: %w", err)
	}
	var m meta
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("vectorindex: read meta %s: %w", path, err)
	}
	if m.Format != metaFormat {
		return fmt.Errorf("vectorindex: %s has format %d, this build reads %d", path, m.Format, metaFormat)
	}
	if m.Dimensions != dims {
		return ragkb.Invalid("dimensions",
			"the vector index in %s holds %d-dimensional vectors but the embedder now produces %d: "+
				"the embedder changed; switch back, or move the directory away and reindex every resource",
			dir, m.Dimensions, dims)
	}
	switch {
	case embedder == "" || m.Embedder == embedder:
	case m.Embedder == "":
		// First start with a named embedder: remember it.
		m.Embedder = embedder
		return write(m)
	default:
		return ragkb.Invalid("embedder",
			"the vector index in %s was built by the embedder %q but the embedder is now %q: "+
				"switch back, or move the directory away and reindex every resource",
			dir, m.Embedder, embedder)
	}
	return nil
}

// Ping reports whether the index can be used (ragkb.Pinger): EUNAVAILABLE
// once it is closed or when its directory has gone.
func (s *Store) Ping(ctx context.Context) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return errClosed
	}
	if s.tenants != "" {
		if _, err := os.Stat(s.tenants); err != nil {
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "the vector index directory cannot be read", Err: err}
		}
	}
	return ctx.Err()
}

// Close syncs and closes every partition; the Store is unusable afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	for _, p := range s.parts {
		errs = append(errs, p.close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	return errors.Join(errs...)
}

var errClosed = &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "the vector index is closed"}

// partition returns the tenant's partition, creating it when create is set;
// nil when it does not exist.
func (s *Store) partition(tenantID string, create bool) (*partition, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	if p, ok := s.parts[tenantID]; ok || !create {
		return p, nil
	}
	dir := ""
	if s.tenants != "" {
		dir = filepath.Join(s.tenants, hex.EncodeToString([]byte(tenantID)))
	}
	p, err := openPartition(dir, s.cfg, s.log.With("tenant", tenantID))
	if err != nil {
		return nil, fmt.Errorf("vectorindex: create partition: %w", err)
	}
	s.parts[tenantID] = p
	return p, nil
}

// Upsert inserts or replaces vectors by chunk id; vectors are normalised.
func (s *Store) Upsert(ctx context.Context, recs []ragkb.VectorRecord) error {
	byTenant := map[string][]record{}
	var order []string
	for i, r := range recs {
		switch {
		case r.TenantID == "":
			return ragkb.Invalid("tenant_id", "vector record %d has no tenant", i)
		case r.ChunkID == "":
			return ragkb.Invalid("chunk_id", "vector record %d has no chunk id", i)
		case len(r.Vector) != s.cfg.Dimensions:
			return ragkb.Invalid("vector", "vector of chunk %s has %d dimensions, the index holds %d", r.ChunkID, len(r.Vector), s.cfg.Dimensions)
		}
		v, ok := normalized(r.Vector)
		if !ok {
			return ragkb.Invalid("vector", "vector of chunk %s has a NaN or infinite component", r.ChunkID)
		}
		if _, seen := byTenant[r.TenantID]; !seen {
			order = append(order, r.TenantID)
		}
		byTenant[r.TenantID] = append(byTenant[r.TenantID], record{
			op: opUpsert, chunkID: r.ChunkID, resourceID: r.ResourceID, documentID: r.DocumentID, vector: v,
		})
	}
	for _, tenant := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := s.partition(tenant, true)
		if err != nil {
			return err
		}
		if err := p.write(byTenant[tenant]); err != nil {
			return fmt.Errorf("vectorindex: upsert: %w", err)
		}
	}
	return nil
}

// Delete removes the tenant's vectors with these chunk ids.
func (s *Store) Delete(ctx context.Context, tenantID string, chunkIDs []string) error {
	if tenantID == "" {
		return ragkb.Invalid("tenant_id", "tenant is required")
	}
	p, err := s.partition(tenantID, false)
	if err != nil || p == nil || len(chunkIDs) == 0 {
		return err
	}
	recs := make([]record, len(chunkIDs))
	for i, id := range chunkIDs {
		recs[i] = record{op: opDelete, chunkID: id}
	}
	if err := p.write(recs); err != nil {
		return fmt.Errorf("vectorindex: delete: %w", err)
	}
	return nil
}

// DeleteResource removes every vector of a resource.
func (s *Store) DeleteResource(ctx context.Context, tenantID, resourceID string) error {
	if tenantID == "" {
		return ragkb.Invalid("tenant_id", "tenant is required")
	}
	p, err := s.partition(tenantID, false)
	if err != nil || p == nil {
		return err
	}
	if err := p.write([]record{{op: opDeleteResource, resourceID: resourceID}}); err != nil {
		return fmt.Errorf("vectorindex: delete resource: %w", err)
	}
	return nil
}

// Search returns up to q.K chunks of q.TenantID nearest to q.Vector, best first.
func (s *Store) Search(ctx context.Context, q ragkb.VectorQuery) ([]ragkb.VectorHit, error) {
	switch {
	case q.TenantID == "":
		return nil, ragkb.Invalid("tenant_id", "tenant is required")
	case q.K <= 0:
		return nil, ragkb.Invalid("k", "k must be positive, got %d", q.K)
	case len(q.Vector) != s.cfg.Dimensions:
		return nil, ragkb.Invalid("vector", "query vector has %d dimensions, the index holds %d", len(q.Vector), s.cfg.Dimensions)
	}
	v, ok := normalized(q.Vector)
	if !ok {
		return nil, ragkb.Invalid("vector", "query vector has a NaN or infinite component")
	}
	p, err := s.partition(q.TenantID, false)
	if err != nil || p == nil {
		return nil, err
	}
	return p.search(v, q.ResourceIDs, searchParams{k: q.K, ef: s.cfg.EfSearch, exactThreshold: s.cfg.ExactThreshold}), nil
}

// Len returns the number of live vectors of a tenant.
func (s *Store) Len(tenantID string) int {
	p, err := s.partition(tenantID, false)
	if err != nil || p == nil {
		return 0
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.ix.live
}

// normalized returns a unit-length copy of v (zero vectors stay zero); ok
// is false when v has a NaN or infinite component.
func normalized(v []float32) ([]float32, bool) {
	var sum float64
	for _, f := range v {
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			return nil, false
		}
		sum += float64(f) * float64(f)
	}
	out := make([]float32, len(v))
	if sum == 0 {
		return out, true
	}
	inv := 1 / math.Sqrt(sum)
	for i, f := range v {
		out[i] = float32(float64(f) * inv)
	}
	return out, true
}
