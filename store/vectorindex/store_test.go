package vectorindex_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/storetest"
	"github.com/ragkb/ragkb/store/vectorindex"
)

var _ ragkb.VectorStore = (*vectorindex.Store)(nil)

func open(t testing.TB, cfg vectorindex.Config) *vectorindex.Store {
	t.Helper()
	s, err := vectorindex.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	variants := []struct {
		name string
		cfg  func(t *testing.T, dims int) vectorindex.Config
	}{
		{name: "disk", cfg: func(t *testing.T, dims int) vectorindex.Config {
			return vectorindex.Config{Dir: t.TempDir(), Dimensions: dims}
		}},
		{name: "memory graph only", cfg: func(t *testing.T, dims int) vectorindex.Config {
			return vectorindex.Config{Dimensions: dims, ExactThreshold: -1}
		}},
		{name: "disk graph only compacting", cfg: func(t *testing.T, dims int) vectorindex.Config {
			return vectorindex.Config{Dir: t.TempDir(), Dimensions: dims, ExactThreshold: -1, CompactBytes: 1}
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			storetest.RunVectorStore(t, func(t *testing.T, dims int) ragkb.VectorStore {
				return open(t, v.cfg(t, dims))
			})
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   vectorindex.Config
		field string
	}{
		{name: "no dimensions", cfg: vectorindex.Config{}, field: "dimensions"},
		{name: "too many dimensions", cfg: vectorindex.Config{Dimensions: 1 << 20}, field: "dimensions"},
		{name: "tiny m", cfg: vectorindex.Config{Dimensions: 8, M: 1}, field: "m"},
		{name: "ef construction below m", cfg: vectorindex.Config{Dimensions: 8, M: 32, EfConstruction: 8}, field: "ef_construction"},
		{name: "negative ef search", cfg: vectorindex.Config{Dimensions: 8, EfSearch: -1}, field: "ef_search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := vectorindex.New(tt.cfg)
			if got, want := ragkb.ErrorField(err), tt.field; got != want || ragkb.ErrorCodeOf(err) != ragkb.EINVALID {
				t.Fatalf("New(%+v) error %v, want EINVALID on field %q", tt.cfg, err, want)
			}
		})
	}
}

func unitVec(r *rand.Rand, dims int) []float32 {
	v := make([]float32, dims)
	var sum float64
	for i := range v {
		f := r.NormFloat64()
		v[i] = float32(f)
		sum += f * f
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / math.Sqrt(sum))
	}
	return v
}

// clustered returns n unit vectors scattered around c random centres, which
// is closer to real embeddings (topics) than uniform noise.
func clustered(seed uint64, n, c, dims int) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float32, c)
	for i := range centres {
		centres[i] = unitVec(r, dims)
	}
	out := make([][]float32, n)
	for i := range out {
		noise := unitVec(r, dims)
		ctr := centres[r.IntN(c)]
		v := make([]float32, dims)
		var sum float64
		for j := range v {
			v[j] = ctr[j] + 0.9*noise[j]
			sum += float64(v[j]) * float64(v[j])
		}
		for j := range v {
			v[j] = float32(float64(v[j]) / math.Sqrt(sum))
		}
		out[i] = v
	}
	return out
}

func search(t testing.TB, s *vectorindex.Store, q ragkb.VectorQuery) []ragkb.VectorHit {
	t.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	return hits
}

// fill upserts n clustered vectors into tenant in batches and returns them by chunk id.
func fill(t testing.TB, s *vectorindex.Store, tenant string, vecs [][]float32, resources int) []string {
	t.Helper()
	ids := make([]string, len(vecs))
	var batch []ragkb.VectorRecord
	for i, v := range vecs {
		ids[i] = fmt.Sprintf("c%06d", i)
		batch = append(batch, ragkb.VectorRecord{ChunkID: ids[i], TenantID: tenant, ResourceID: "r" + strconv.Itoa(i%resources), DocumentID: "d", Vector: v})
		if len(batch) == 64 || i == len(vecs)-1 {
			if err := s.Upsert(context.Background(), batch); err != nil {
				t.Fatalf("Upsert: %v", err)
			}
			batch = batch[:0]
		}
	}
	return ids
}

func TestRestartKeepsResults(t *testing.T) {
	const dims = 32
	dir := t.TempDir()
	// A small CompactBytes makes the state span a snapshot and a journal.
	cfg := vectorindex.Config{Dir: dir, Dimensions: dims, ExactThreshold: 100, CompactBytes: 64 << 10}
	s, err := vectorindex.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	vecs := clustered(1, 3000, 30, dims)
	ids := fill(t, s, "t1", vecs, 5)
	fill(t, s, "t2", vecs[:500], 1)
	if err := s.Delete(context.Background(), "t1", ids[:100]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteResource(context.Background(), "t1", "r4"); err != nil {
		t.Fatal(err)
	}
	queries := clustered(2, 20, 30, dims)
	type result struct{ all, filtered, other []ragkb.VectorHit }
	run := func(s *vectorindex.Store) []result {
		var out []result
		for _, q := range queries {
			out = append(out, result{
				all:      search(t, s, ragkb.VectorQuery{TenantID: "t1", Vector: q, K: 10}),
				filtered: search(t, s, ragkb.VectorQuery{TenantID: "t1", ResourceIDs: []string{"r1"}, Vector: q, K: 10}),
				other:    search(t, s, ragkb.VectorQuery{TenantID: "t2", Vector: q, K: 10}),
			})
		}
		return out
	}
	before := run(s)
	wantLen := s.Len("t1")
	journalBytes := func() (snap bool, journal int64) {
		files, _ := filepath.Glob(filepath.Join(dir, "tenants", "*", "*"))
		for _, f := range files {
			st, _ := os.Stat(f)
			snap = snap || filepath.Base(f) == "snapshot"
			if strings.HasPrefix(filepath.Base(f), "journal-") {
				journal += st.Size()
			}
		}
		return snap, journal
	}
	// exact: the same hits; otherwise the journal tail was linked anew, so
	// the approximate results may differ a little.
	check := func(name string, s *vectorindex.Store, exact bool) {
		t.Helper()
		if got := s.Len("t1"); got != wantLen {
			t.Fatalf("%s: Len = %d, want %d", name, got, wantLen)
		}
		after := run(s)
		var same, total int
		for i := range before {
			for _, pair := range [][2][]ragkb.VectorHit{{before[i].all, after[i].all}, {before[i].filtered, after[i].filtered}, {before[i].other, after[i].other}} {
				if exact && !slices.Equal(pair[0], pair[1]) {
					t.Fatalf("%s: query %d:\n got %v\nwant %v", name, i, pair[1], pair[0])
				}
				for _, h := range pair[1] {
					if slices.Contains(pair[0], h) {
						same++
					}
				}
				total += len(pair[0])
			}
		}
		if float64(same) < 0.95*float64(total) {
			t.Fatalf("%s: %d of %d hits as before the restart, want >= 95%%", name, same, total)
		}
	}

	// As after a crash: snapshots plus journals to replay.
	s.Abandon()
	if snap, journal := journalBytes(); !snap || journal == 0 {
		t.Fatalf("after abandoning: snapshot %v, journal bytes %d: want both", snap, journal)
	}
	s2, err := vectorindex.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	check("reopened after a crash", s2, false)

	// A clean Close folds the journals: the restart loads snapshots only
	// and finds exactly what the closed store found.
	before = run(s2)
	if err := s2.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if snap, journal := journalBytes(); !snap || journal != 0 {
		t.Fatalf("after Close: snapshot %v, journal bytes %d: want a snapshot and empty journals", snap, journal)
	}
	check("reopened after Close", open(t, cfg), true)
}

func TestTornJournal(t *testing.T) {
	const dims = 8
	dir := t.TempDir()
	cfg := vectorindex.Config{Dir: dir, Dimensions: dims}
	s, err := vectorindex.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var vecs [][]float32
	for i := range 5 {
		v := unitVec(r, dims)
		vecs = append(vecs, v)
		if err := s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: "c" + strconv.Itoa(i), TenantID: "t", ResourceID: "r", Vector: v}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Abandon()
	journals, _ := filepath.Glob(filepath.Join(dir, "tenants", "*", "journal-*.log"))
	if len(journals) != 1 {
		t.Fatalf("journals %v, want one", journals)
	}
	st, _ := os.Stat(journals[0])
	recordSize := st.Size() / 5

	tests := []struct {
		name    string
		damage  func(path string) error
		wantLen int
	}{
		{name: "last record cut short", wantLen: 4, damage: func(p string) error {
			return os.Truncate(p, st.Size()-recordSize/2)
		}},
		{name: "last record header only", wantLen: 4, damage: func(p string) error {
			return os.Truncate(p, st.Size()-recordSize+5)
		}},
		{name: "garbage appended", wantLen: 5, damage: func(p string) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write([]byte{0x20, 0, 0, 0, 1, 2, 3, 4, 5, 6})
			return err
		}},
		{name: "last record bit flipped", wantLen: 4, damage: func(p string) error {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			data[len(data)-3] ^= 0x40
			return os.WriteFile(p, data, 0o600)
		}},
	}
	rel, _ := filepath.Rel(dir, journals[0])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each case damages its own copy of the abandoned directory.
			cfg := cfg
			cfg.Dir = t.TempDir()
			if err := os.CopyFS(cfg.Dir, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			if err := tt.damage(filepath.Join(cfg.Dir, rel)); err != nil {
				t.Fatal(err)
			}
			s, err := vectorindex.New(cfg)
			if err != nil {
				t.Fatalf("reopen after damage: %v", err)
			}
			if got := s.Len("t"); got != tt.wantLen {
				t.Fatalf("Len = %d, want %d", got, tt.wantLen)
			}
			// The journal must be writable again after the torn tail.
			if err := s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: "new", TenantID: "t", ResourceID: "r", Vector: vecs[0]}}); err != nil {
				t.Fatal(err)
			}
			s.Abandon()
			s = open(t, cfg)
			if got, want := s.Len("t"), tt.wantLen+1; got != want {
				t.Fatalf("after write and reopen Len = %d, want %d", got, want)
			}
			hits := search(t, s, ragkb.VectorQuery{TenantID: "t", Vector: vecs[0], K: 2})
			if got, want := vecIDs(hits), []string{"c0", "new"}; !slices.Equal(got, want) && !slices.Equal(got, []string{"new", "c0"}) {
				t.Fatalf("hits %v, want %v", got, want)
			}
			s.Close()
		})
	}
}

func vecIDs(hits []ragkb.VectorHit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ChunkID)
	}
	return ids
}

func TestDimensionsChanged(t *testing.T) {
	dir := t.TempDir()
	s := open(t, vectorindex.Config{Dir: dir, Dimensions: 384})
	s.Close()
	_, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: 768})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.EINVALID; got != want {
		t.Fatalf("error %v, want code %s", err, want)
	}
	if msg := ragkb.ErrorMessage(err); !strings.Contains(msg, "384") || !strings.Contains(msg, "768") || !strings.Contains(msg, "embedder") {
		t.Fatalf("message %q should name both dimensions and the embedder change", msg)
	}
	s = open(t, vectorindex.Config{Dir: dir, Dimensions: 384})
	if err := s.Close(); err != nil {
		t.Fatalf("reopen with the same dimensions: %v", err)
	}
}

func TestEmbedderChanged(t *testing.T) {
	dir := t.TempDir()
	steps := []struct {
		name     string
		embedder string
		field    string // "" = opens
	}{
		{name: "unnamed first", embedder: ""},
		{name: "named later is remembered", embedder: "local-v1-384"},
		{name: "same name", embedder: "local-v1-384"},
		{name: "unnamed still opens", embedder: ""},
		{name: "other model with the same dimensions", embedder: "openai:all-minilm", field: "embedder"},
	}
	for _, st := range steps {
		s, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: 384, Embedder: st.embedder})
		if got := ragkb.ErrorField(err); got != st.field {
			t.Fatalf("%s: New error %v, want field %q", st.name, err, st.field)
		}
		if err == nil {
			s.Close()
		} else if msg := ragkb.ErrorMessage(err); !strings.Contains(msg, "local-v1-384") || !strings.Contains(msg, "openai:all-minilm") {
			t.Fatalf("%s: message %q should name both embedders", st.name, msg)
		}
	}
}

// TestGraphBuiltOnGrowth checks the switch from exact-only to graph: a
// small partition reopened under a lower threshold gets its graph, and
// searches through it still find every vector itself.
func TestGraphBuiltOnGrowth(t *testing.T) {
	const dims = 16
	dir := t.TempDir()
	vecs := clustered(6, 600, 10, dims)
	s := open(t, vectorindex.Config{Dir: dir, Dimensions: dims, ExactThreshold: 1000, CompactBytes: 1})
	ids := fill(t, s, "t", vecs[:300], 2)
	s.Close()
	steps := []struct {
		name      string
		threshold int
		add       [][]float32
	}{
		{name: "reopen below threshold", threshold: 100},
		{name: "grow past threshold", threshold: 100, add: vecs[300:]},
	}
	for _, st := range steps {
		s := open(t, vectorindex.Config{Dir: dir, Dimensions: dims, ExactThreshold: st.threshold})
		for i, v := range st.add {
			id := fmt.Sprintf("d%06d", i)
			ids = append(ids, id)
			if err := s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: id, TenantID: "t", ResourceID: "r0", Vector: v}}); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < s.Len("t"); i += 7 {
			hits := search(t, s, ragkb.VectorQuery{TenantID: "t", Vector: vecs[i], K: 1})
			if len(hits) != 1 || hits[0].ChunkID != ids[i] {
				t.Fatalf("%s: vector %d: hits %v, want %s", st.name, i, hits, ids[i])
			}
		}
		s.Close()
	}
}

// TestSearchWhileGraphBuilds searches without pause while upserts cross
// the threshold and the graph is built beside the searches (run with -race).
func TestSearchWhileGraphBuilds(t *testing.T) {
	const dims = 16
	s := open(t, vectorindex.Config{Dimensions: dims, ExactThreshold: 300})
	vecs := clustered(8, 800, 10, dims)
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.Search(context.Background(), ragkb.VectorQuery{TenantID: "t", Vector: vecs[i%len(vecs)], K: 3}); err != nil {
				done <- err
				return
			}
		}
	}()
	ids := fill(t, s, "t", vecs, 3)
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(vecs); i += 13 {
		hits := search(t, s, ragkb.VectorQuery{TenantID: "t", Vector: vecs[i], K: 1})
		if len(hits) != 1 || hits[0].ChunkID != ids[i] {
			t.Fatalf("vector %d: hits %v, want %s", i, hits, ids[i])
		}
	}
}

func TestDirInUse(t *testing.T) {
	dir := t.TempDir()
	s := open(t, vectorindex.Config{Dir: dir, Dimensions: 4})
	_, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: 4})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.EUNAVAILABLE; got != want {
		t.Fatalf("second New on an open dir: %v, want %s", err, want)
	}
	s.Close()
	s2, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: 4})
	if err != nil {
		t.Fatalf("New after Close: %v", err)
	}
	s2.Close()
}

func TestClosed(t *testing.T) {
	s := open(t, vectorindex.Config{Dir: t.TempDir(), Dimensions: 4})
	s.Close()
	err := s.Upsert(context.Background(), []ragkb.VectorRecord{{ChunkID: "c", TenantID: "t", Vector: []float32{1, 0, 0, 0}}})
	if got, want := ragkb.ErrorCodeOf(err), ragkb.EUNAVAILABLE; got != want {
		t.Fatalf("Upsert after Close: %v, want %s", err, want)
	}
}

func TestTombstonesRebuild(t *testing.T) {
	const dims = 16
	cfg := vectorindex.Config{Dir: t.TempDir(), Dimensions: dims, ExactThreshold: -1}
	s := open(t, cfg)
	ids := fill(t, s, "t", clustered(3, 1500, 20, dims), 3)
	// Replace every vector twice: 3000 tombstones force a rebuild.
	fill(t, s, "t", clustered(4, 1500, 20, dims), 3)
	last := clustered(5, 1500, 20, dims)
	fill(t, s, "t", last, 3)
	if got, want := s.Len("t"), len(ids); got != want {
		t.Fatalf("Len = %d, want %d", got, want)
	}
	var found int
	for i := 0; i < len(last); i += 15 {
		hits := search(t, s, ragkb.VectorQuery{TenantID: "t", Vector: last[i], K: 1})
		if len(hits) == 1 && hits[0].ChunkID == ids[i] {
			found++
		}
	}
	if found < 98 {
		t.Fatalf("self-recall after replacements: %d of 100", found)
	}
	s.Close()
	s = open(t, cfg)
	if got, want := s.Len("t"), len(ids); got != want {
		t.Fatalf("after reopen Len = %d, want %d", got, want)
	}
}

// TestCrash kills a writer with SIGKILL mid-stream and checks that every
// acknowledged write survives and the index opens cleanly, once with a
// journal that is folded now and then, once folding after every write (so
// the kill often lands inside a compaction).
func TestCrash(t *testing.T) {
	if dir := os.Getenv("VECTORINDEX_CRASH_DIR"); dir != "" {
		compact, _ := strconv.ParseInt(os.Getenv("VECTORINDEX_CRASH_COMPACT"), 10, 64)
		crashWriter(dir, compact)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	tests := []struct {
		name    string
		compact int64
	}{
		{name: "journal", compact: 256 << 10},
		{name: "compacting every write", compact: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
			cmd.Env = append(os.Environ(), "VECTORINDEX_CRASH_DIR="+dir, "VECTORINDEX_CRASH_COMPACT="+strconv.FormatInt(tt.compact, 10))
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			acked := -1
			for sc.Scan() {
				if n, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
					acked, _ = strconv.Atoi(n)
					if acked >= 40 {
						break
					}
				}
			}
			cmd.Process.Kill() // SIGKILL
			cmd.Wait()
			if acked < 40 {
				t.Fatalf("writer acknowledged only %d batches", acked)
			}
			s := open(t, vectorindex.Config{Dir: dir, Dimensions: 64, ExactThreshold: 500})
			if got := s.Len("t"); got < (acked+1)*50 {
				t.Fatalf("after kill -9: %d vectors, want at least the %d acknowledged", got, (acked+1)*50)
			}
			vecs := clustered(9, (acked+1)*50, 10, 64)
			for i := 0; i < len(vecs); i += 97 {
				hits := search(t, s, ragkb.VectorQuery{TenantID: "t", Vector: vecs[i], K: 1})
				if len(hits) != 1 || hits[0].ChunkID != fmt.Sprintf("c%06d", i) {
					t.Fatalf("vector %d: hits %v", i, hits)
				}
			}
		})
	}
}

func crashWriter(dir string, compact int64) {
	s, err := vectorindex.New(vectorindex.Config{Dir: dir, Dimensions: 64, ExactThreshold: 500, CompactBytes: compact})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	vecs := clustered(9, 1000*50, 10, 64)
	for b := range 1000 {
		var batch []ragkb.VectorRecord
		for i := b * 50; i < (b+1)*50; i++ {
			batch = append(batch, ragkb.VectorRecord{ChunkID: fmt.Sprintf("c%06d", i), TenantID: "t", ResourceID: "r", Vector: vecs[i]})
		}
		if err := s.Upsert(context.Background(), batch); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("acked", b)
	}
	time.Sleep(time.Minute)
}
