// Package indexer turns a resource into searchable chunks: fetch (through a
// ragkb.Connector) -> compare content hashes with what is indexed -> chunk and
// embed only new or changed documents -> write vectors, then swap documents and
// chunks in one store transaction -> delete vectors that left. A failed run
// writes nothing visible, so the last good content keeps answering.
package indexer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ragkb/ragkb"
)

// DocumentStore is what the indexer needs from the metadata store.
type DocumentStore interface {
	ListDocuments(ctx context.Context, f ragkb.DocumentFilter) ([]*ragkb.Document, error)
	ApplyIndex(ctx context.Context, c ragkb.IndexChange) ([]string, error)
}

// VectorWriter is what the indexer needs from the vector store.
type VectorWriter interface {
	Upsert(ctx context.Context, recs []ragkb.VectorRecord) error
	Delete(ctx context.Context, tenantID string, chunkIDs []string) error
}

// Config configures an Indexer.
type Config struct {
	Store     DocumentStore
	Vectors   VectorWriter
	Embedder  ragkb.Embedder
	Connector ragkb.Connector
	// ChunkSize is the maximum chunk length in characters (default 900).
	ChunkSize int
	// ChunkOverlap is how much of a chunk is repeated in the next (default 120).
	ChunkOverlap int
	// BatchSize is how many chunks are embedded per call (default 128).
	BatchSize int
	// MaxDocuments caps documents per resource (default 100,000).
	MaxDocuments int
	Now          func() time.Time
	Logger       *slog.Logger
}

// Validate names the missing dependency.
func (c *Config) Validate() error {
	switch {
	case c.Store == nil:
		return ragkb.Invalid("Store", "is required")
	case c.Vectors == nil:
		return ragkb.Invalid("Vectors", "is required")
	case c.Embedder == nil:
		return ragkb.Invalid("Embedder", "is required")
	case c.Connector == nil:
		return ragkb.Invalid("Connector", "is required")
	}
	return nil
}

// Indexer runs indexing for one resource at a time (safe for concurrent use).
type Indexer struct {
	cfg Config
}

// New returns an Indexer.
func New(cfg Config) (*Indexer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.ChunkSize = cmp.Or(cfg.ChunkSize, 900)
	cfg.ChunkOverlap = cmp.Or(cfg.ChunkOverlap, 120)
	cfg.BatchSize = cmp.Or(cfg.BatchSize, 128)
	cfg.MaxDocuments = cmp.Or(cfg.MaxDocuments, 100_000)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Indexer{cfg: cfg}, nil
}

// DocumentID is the stable id of a resource's document with the given source id.
func DocumentID(resourceID, sourceID string) string {
	sum := sha256.Sum256([]byte(resourceID + "\x00" + sourceID))
	return "doc_" + hex.EncodeToString(sum[:12])
}

// ChunkID is the id of a chunk: it depends on the document's content hash, so
// a re-run of the same content produces the same ids (no duplicates).
func ChunkID(documentID, hash string, ordinal int) string {
	sum := sha256.Sum256([]byte(documentID + "\x00" + hash + "\x00" + strconv.Itoa(ordinal)))
	return "chk_" + hex.EncodeToString(sum[:12])
}

// Run indexes r under the job lease l. It returns a merchant-readable
// *ragkb.Error when the source cannot be read.
func (ix *Indexer) Run(ctx context.Context, l ragkb.Lease, r *ragkb.Resource) (*ragkb.IndexResult, error) {
	start := ix.cfg.Now()
	fetched, err := ix.cfg.Connector.Fetch(ctx, r)
	if err != nil {
		return nil, err
	}
	docs := fetched.Documents
	// An orders resource is a live connection: checked, never indexed.
	if len(docs) == 0 && r.Type != ragkb.TypeOrders {
		msg := "No content was found in this resource"
		if len(fetched.Warnings) > 0 {
			msg += ": " + fetched.Warnings[0]
		}
		return nil, ragkb.Errorf(ragkb.EINVALID, "%s", msg)
	}
	warnings := append([]string(nil), fetched.Warnings...)
	if len(docs) > ix.cfg.MaxDocuments {
		warnings = append(warnings, fmt.Sprintf("only the first %d of %d documents were indexed", ix.cfg.MaxDocuments, len(docs)))
		docs = docs[:ix.cfg.MaxDocuments]
	}

	existing, err := ix.cfg.Store.ListDocuments(ctx, ragkb.DocumentFilter{TenantID: r.TenantID, ResourceIDs: []string{r.ID}})
	if err != nil {
		return nil, fmt.Errorf("indexer: list documents: %w", err)
	}
	old := make(map[string]string, len(existing)) // id -> hash
	for _, d := range existing {
		old[d.ID] = d.Hash
	}

	stats := ragkb.RunStats{StartedAt: start, Skipped: fetched.Skipped}
	seen := make(map[string]bool, len(docs))
	var upsert []*ragkb.Document
	var chunks []*ragkb.Chunk
	now := ix.cfg.Now().UTC()
	for _, d := range docs {
		if d == nil || strings.TrimSpace(d.Text) == "" && strings.TrimSpace(d.Title) == "" {
			stats.Skipped++
			continue
		}
		id := DocumentID(r.ID, d.SourceID)
		if seen[id] {
			continue // the same source item twice (e.g. a page listed twice in a sitemap)
		}
		seen[id] = true
		if d.Hash == "" {
			d.ComputeHash()
		}
		if d.Language == "" {
			d.Language = r.Language
		}
		prev, ok := old[id]
		switch {
		case ok && prev == d.Hash:
			stats.Unchanged++
			continue
		case ok:
			stats.Changed++
		default:
			stats.Added++
		}
		d.ID, d.TenantID, d.ResourceID, d.UpdatedAt = id, r.TenantID, r.ID, now
		upsert = append(upsert, d)
		chunks = append(chunks, ix.chunk(d)...)
	}
	var remove []string
	for _, d := range existing {
		if !seen[d.ID] && !unread(fetched.Unread, d.SourceID) {
			remove = append(remove, d.ID)
			stats.Removed++
		}
	}
	if len(seen) == 0 && r.Type != ragkb.TypeOrders {
		return nil, ragkb.Errorf(ragkb.EINVALID, "No readable content was found in this resource")
	}
	if err := checkShrink(r, fetched, len(existing), len(remove)); err != nil {
		return nil, err
	}
	warnings = append(warnings, fetched.Incomplete...)

	examples := map[string][]string{}
	for _, d := range upsert {
		if len(d.Examples) > 0 {
			examples[d.ID] = d.Examples
		}
	}
	if err := ix.embed(ctx, r, chunks, examples); err != nil {
		ix.dropIfDeleted(r)
		return nil, err
	}
	stats.Embedded = len(chunks)

	removed, err := ix.cfg.Store.ApplyIndex(ctx, ragkb.IndexChange{
		TenantID: r.TenantID, ResourceID: r.ID, Lease: l,
		Upsert: upsert, Chunks: chunks, Delete: remove,
	})
	if err != nil {
		ix.dropIfDeleted(r)
		return nil, fmt.Errorf("indexer: apply: %w", err)
	}
	if len(removed) > 0 {
		keep := make(map[string]bool, len(chunks))
		for _, c := range chunks {
			keep[c.ID] = true
		}
		var del []string
		for _, id := range removed {
			if !keep[id] {
				del = append(del, id)
			}
		}
		// Stale vectors are harmless (searches drop ids with no chunk), so a
		// failure here is logged, not fatal.
		if err := ix.cfg.Vectors.Delete(ctx, r.TenantID, del); err != nil {
			ix.cfg.Logger.Warn("indexer: delete stale vectors", "resource_id", r.ID, "err", err)
		}
	}
	stats.Duration = float64(ix.cfg.Now().Sub(start).Microseconds()) / 1000
	return &ragkb.IndexResult{Stats: stats, Warnings: warnings}, nil
}

// MinShrinkDocuments is the size from which a resource whose fetched source
// lost more than half of its documents needs the merchant's confirmation.
const MinShrinkDocuments = 4

// ErrShrink is the error of a run stopped because the source broke halfway or
// shrank sharply; errors.Is finds it in the *ragkb.Error the indexer returns.
var ErrShrink = errors.New("indexer: the source shrank")

// checkShrink refuses a run that would delete what the source could not be
// read for: a source read only in part, or one that lost more than half of
// its documents, unless the merchant confirmed the run (r.ConfirmShrink).
// Questionnaires and inline policies are the merchant's own edits.
func checkShrink(r *ragkb.Resource, fetched *ragkb.FetchResult, existing, removed int) error {
	if r.ConfirmShrink || removed == 0 || !fetchedSource(r) {
		return nil
	}
	const keep = "Nothing was deleted: the last good content keeps answering. Fix the source and refresh, " +
		"or, if the source really is this small now, retry with confirm=true."
	if len(fetched.Incomplete) > 0 {
		return &ragkb.Error{Code: ragkb.EINVALID, Err: ErrShrink, Message: fmt.Sprintf(
			"%s; %d of %d indexed documents were not in what could be read. %s",
			strings.TrimSuffix(strings.Join(fetched.Incomplete, "; "), "."), removed, existing, keep)}
	}
	if existing >= MinShrinkDocuments && removed*2 > existing {
		return &ragkb.Error{Code: ragkb.EINVALID, Err: ErrShrink, Message: fmt.Sprintf(
			"The source now has %d documents where %d were indexed: %d would be deleted, more than half. %s",
			existing-removed, existing, removed, keep)}
	}
	return nil
}

// fetchedSource reports whether r is read from a URL (not typed in by the merchant).
func fetchedSource(r *ragkb.Resource) bool {
	switch r.Type {
	case ragkb.TypeFAQPage, ragkb.TypeOffers:
		return true
	case ragkb.TypePolicy:
		return r.Policy != nil && strings.TrimSpace(r.Policy.URL) != ""
	}
	return false
}

// unread reports whether sourceID is one of the items (or belongs to one of
// the pages, "page#…") the connector could not read this time.
func unread(list []string, sourceID string) bool {
	for _, u := range list {
		if sourceID == u || strings.HasPrefix(sourceID, u+"#") {
			return true
		}
	}
	return false
}

// MaxQARunes is the longest answer of a question-and-answer document kept in
// one chunk, so that a grounded answer from an FAQ entry is the entry's
// whole answer, never a piece of it. Offer documents (name, price, the
// lines of each aspect and a description cut at 1,500 characters) are kept
// whole up to the same size, so that an answer about an offer always sees
// its name-and-price line.
const MaxQARunes = 4000

// chunk splits a document. A question-and-answer pair is one chunk unless the
// answer is longer than MaxQARunes; the title travels with every chunk.
func (ix *Indexer) chunk(d *ragkb.Document) []*ragkb.Chunk {
	size := ix.cfg.ChunkSize
	if d.Kind == ragkb.DocQA || d.Kind == ragkb.DocOffer {
		size = max(size, MaxQARunes)
	}
	pieces := Split(d.Text, size, ix.cfg.ChunkOverlap)
	if len(pieces) == 0 {
		pieces = []string{d.Title}
	}
	out := make([]*ragkb.Chunk, len(pieces))
	for i, p := range pieces {
		out[i] = &ragkb.Chunk{
			ID: ChunkID(d.ID, d.Hash, i), TenantID: d.TenantID, ResourceID: d.ResourceID,
			DocumentID: d.ID, Ordinal: i, Kind: d.Kind, Title: d.Title, URL: d.URL,
			Text: p, Language: d.Language,
		}
	}
	return out
}

// EmbeddingText is what is embedded for a chunk: its title (the question, for
// Q&A), the other phrasings of the question, and the text.
func EmbeddingText(c *ragkb.Chunk, examples []string) string {
	var b strings.Builder
	b.WriteString(c.Title)
	for _, e := range examples {
		b.WriteString("\n")
		b.WriteString(e)
	}
	b.WriteString("\n")
	b.WriteString(c.Text)
	return b.String()
}

// embed embeds chunks in batches and writes their vectors, one batch ahead:
// the next batch is embedded while the previous one's vectors are written
// (the local embedder and the vector index's linking then share the CPU; a
// remote embedder's round trip overlaps the writes). Batches are written in
// order; the first error stops both.
func (ix *Indexer) embed(ctx context.Context, r *ragkb.Resource, chunks []*ragkb.Chunk, examples map[string][]string) error {
	type embedded struct {
		batch []*ragkb.Chunk
		vecs  [][]float32
	}
	g, gctx := errgroup.WithContext(ctx)
	// Unbuffered: a batch is handed over when the previous one's vectors
	// are written, so embedding runs exactly one batch ahead.
	ready := make(chan embedded)
	g.Go(func() error {
		defer close(ready)
		for start := 0; start < len(chunks); start += ix.cfg.BatchSize {
			batch := chunks[start:min(start+ix.cfg.BatchSize, len(chunks))]
			texts := make([]string, len(batch))
			for i, c := range batch {
				texts[i] = EmbeddingText(c, examples[c.DocumentID])
			}
			vecs, err := ix.cfg.Embedder.Embed(gctx, texts)
			if err != nil {
				return fmt.Errorf("indexer: embed: %w", err)
			}
			if len(vecs) != len(batch) {
				return fmt.Errorf("indexer: embed: got %d vectors for %d texts", len(vecs), len(batch))
			}
			select {
			case ready <- embedded{batch, vecs}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	g.Go(func() error {
		for e := range ready {
			recs := make([]ragkb.VectorRecord, len(e.batch))
			for i, c := range e.batch {
				recs[i] = ragkb.VectorRecord{ChunkID: c.ID, TenantID: r.TenantID, ResourceID: r.ID, DocumentID: c.DocumentID, Vector: e.vecs[i]}
			}
			if err := ix.cfg.Vectors.Upsert(gctx, recs); err != nil {
				return fmt.Errorf("indexer: write vectors: %w", err)
			}
			if err := gctx.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
