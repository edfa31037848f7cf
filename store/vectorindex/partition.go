package vectorindex

import (
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ragkb/ragkb"
)

// partition is one tenant's index and its files.
type partition struct {
	dir string // "" in memory
	cfg Config
	log *slog.Logger

	// writeMu serialises writers and compaction; mu guards ix and lets
	// searches share it.
	writeMu sync.Mutex
	mu      sync.RWMutex
	ix      *index

	journal   *os.File
	jbytes    int64
	gen       uint64
	snapBytes int64
	rebuilds  uint64
	closed    bool
	// failed is set when the files can no longer be trusted to match
	// memory (a failed fsync or journal switch); writes fail until restart.
	failed error
}

func journalName(gen uint64) string { return "journal-" + strconv.FormatUint(gen, 10) + ".log" }

func (p *partition) newGraph() *graph {
	h := fnv.New64a()
	h.Write([]byte(p.dir))
	return newGraph(p.cfg.Dimensions, p.cfg.M, p.cfg.EfConstruction, h.Sum64()+p.rebuilds)
}

// openPartition loads (or creates) the partition in dir.
func openPartition(dir string, cfg Config, log *slog.Logger) (*partition, error) {
	p := &partition{dir: dir, cfg: cfg, log: log}
	newIx := func() *index { return newIndex(p.newGraph(), cfg.ExactThreshold) }
	if dir == "" {
		p.ix = newIx()
		p.ix.manualLink = true
		return p, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ix, gen, size, ok, err := readSnapshot(dir, cfg.Dimensions, newIx)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	if !ok {
		ix = newIx()
	}
	p.ix, p.gen, p.snapBytes = ix, gen, size
	p.ix.manualLink = true
	jpath := filepath.Join(dir, journalName(gen))
	good, torn, err := replayJournal(jpath, cfg.Dimensions, p.ix.apply)
	if err != nil {
		return nil, fmt.Errorf("replay journal: %w", err)
	}
	// Also links a graph the threshold (changed since the snapshot?) asks for.
	p.ix.linkNow(runtime.GOMAXPROCS(0))
	f, err := os.OpenFile(jpath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if torn {
		st, _ := f.Stat()
		log.Warn("vectorindex: dropping torn journal tail", "file", jpath, "kept_bytes", good, "dropped_bytes", st.Size()-good)
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, fmt.Errorf("truncate torn journal: %w", err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(good, 0); err != nil {
		f.Close()
		return nil, err
	}
	p.journal, p.jbytes = f, good
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, err
	}
	// Journals of older generations are folded into the snapshot already.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if (strings.HasPrefix(name, "journal-") && name != journalName(gen)) || name == snapshotName+".tmp" {
			os.Remove(filepath.Join(dir, name))
		}
	}
	return p, nil
}

// apply replays one record.
func (ix *index) apply(r record) {
	switch r.op {
	case opUpsert:
		ix.upsert(r.chunkID, r.resourceID, r.documentID, r.vector)
	case opDelete:
		ix.delete(r.chunkID)
	case opDeleteResource:
		ix.deleteResource(r.resourceID)
	}
}

var errUnavailable = &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "the vector index cannot write to its directory"}

// write journals recs (synced), then applies them one by one so searches
// are held up only briefly.
func (p *partition) write(recs []record) error {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	if p.closed {
		return errClosed
	}
	if p.failed != nil {
		return p.failed
	}
	if p.journal != nil {
		var buf []byte
		for _, r := range recs {
			buf = appendRecord(buf, r)
		}
		if _, err := p.journal.Write(buf); err != nil {
			// Cut back to the last whole record so the journal stays readable.
			p.journal.Truncate(p.jbytes)
			p.journal.Seek(p.jbytes, 0)
			if f := ragkb.StorageFault("the vectors could not be saved", err); f != nil {
				return f
			}
			return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: errUnavailable.Message, Err: err}
		}
		if err := p.journal.Sync(); err != nil {
			// After a failed fsync the kernel may have dropped the pages:
			// stop writing rather than guess what is on disk.
			p.failed = &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: errUnavailable.Message + "; restart the service", Err: err}
			return p.failed
		}
		p.jbytes += int64(len(buf))
	}
	for _, r := range recs {
		p.mu.Lock()
		p.ix.apply(r)
		p.mu.Unlock()
	}
	p.link()
	// The write is durable in the journal: a failed compaction is retried
	// on the next write and must not fail this one.
	if err := p.maybeCompact(); err != nil {
		p.log.Error("vectorindex: compaction failed", "err", err)
	}
	return nil
}

// link links the slots the write added to a linked graph, or the whole
// graph once the partition outgrew exact search, in parallel. Searches go
// on meanwhile: they share the graph while neighbourhoods are searched,
// wait while links are written, and ignore an unlinked graph's links
// altogether. The caller holds writeMu.
func (p *partition) link() {
	workers := runtime.GOMAXPROCS(0)
	p.mu.Lock()
	pending := p.ix.pending
	p.ix.pending = nil
	p.mu.Unlock()
	if len(pending) > 0 {
		p.ix.g.linkMany(pending, p.ix.alive, workers, func(write bool) func() {
			if write {
				p.mu.Lock()
				return p.mu.Unlock
			}
			p.mu.RLock()
			return p.mu.RUnlock
		})
	}
	p.mu.RLock()
	needs := p.ix.needsLink()
	p.mu.RUnlock()
	if needs {
		start := time.Now()
		g := p.ix.g
		var slots []int32
		for s := range g.levels {
			if p.ix.alive(int32(s)) {
				slots = append(slots, int32(s))
			}
		}
		g.linkMany(slots, p.ix.alive, workers, nil)
		p.mu.Lock()
		g.linked = true
		p.mu.Unlock()
		p.log.Info("vectorindex: built graph", "vectors", len(slots), "took", time.Since(start))
	}
}

// maybeCompact folds the journal into a snapshot when it has grown, and
// rebuilds the graph when tombstones outnumber a third of the live vectors.
// The caller holds writeMu.
func (p *partition) maybeCompact() error {
	p.mu.RLock()
	rebuild := p.ix.tomb > 1024 && p.ix.tomb > p.ix.live/3 || p.ix.tomb > 0 && p.ix.live == 0
	p.mu.RUnlock()
	grown := p.journal != nil && p.jbytes > max(p.cfg.CompactBytes, p.snapBytes/16)
	if !rebuild && !grown {
		return nil
	}
	return p.compact(rebuild)
}

// compact writes a new snapshot (of a rebuilt index when rebuild is set)
// and starts a new journal. Searches go on meanwhile; the caller holds
// writeMu so no write interleaves.
func (p *partition) compact(rebuild bool) error {
	p.mu.RLock()
	ix := p.ix
	if rebuild {
		p.rebuilds++
		ix = ix.rebuilt(p.newGraph(), runtime.GOMAXPROCS(0))
	}
	var (
		size int64
		err  error
	)
	if p.journal != nil {
		size, err = writeSnapshot(p.dir, p.gen+1, ix)
	}
	p.mu.RUnlock()
	if err != nil {
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: errUnavailable.Message, Err: fmt.Errorf("write snapshot: %w", err)}
	}
	if p.journal != nil {
		next, err := os.OpenFile(filepath.Join(p.dir, journalName(p.gen+1)), os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
		if err == nil {
			err = syncDir(p.dir)
		}
		if err != nil {
			// The snapshot of generation gen+1 is in place: without its
			// journal later writes could not be recorded.
			p.failed = &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: errUnavailable.Message + "; restart the service", Err: fmt.Errorf("start journal: %w", err)}
			return p.failed
		}
		old := p.journal.Name()
		p.journal.Close()
		os.Remove(old)
		p.journal, p.jbytes, p.snapBytes = next, 0, size
		p.gen++
	}
	if rebuild {
		p.mu.Lock()
		p.ix = ix
		p.mu.Unlock()
		p.log.Info("vectorindex: rebuilt graph", "live", ix.live)
	}
	return nil
}

func (p *partition) search(q []float32, filter []string, sp searchParams) []ragkb.VectorHit {
	p.mu.RLock()
	defer p.mu.RUnlock()
	res := p.ix.search(q, filter, sp)
	hits := make([]ragkb.VectorHit, len(res))
	for i, c := range res {
		hits[i] = ragkb.VectorHit{ChunkID: p.ix.ids[c.slot], Score: float64(c.sim)}
	}
	return hits
}

// close folds a non-empty journal into the snapshot, so that a clean
// restart loads the graph as saved instead of replaying inserts.
func (p *partition) close() error {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.journal == nil {
		return nil
	}
	if p.jbytes > 0 && p.failed == nil {
		if err := p.compact(false); err != nil {
			p.log.Error("vectorindex: compaction at close failed; the journal will be replayed", "err", err)
		}
	}
	err := p.journal.Sync()
	err = errors.Join(err, p.journal.Close())
	p.journal = nil
	return err
}
