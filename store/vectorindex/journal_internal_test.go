package vectorindex

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRecordRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  record
	}{
		{name: "upsert", rec: record{op: opUpsert, chunkID: "chk_1", resourceID: "res_1", documentID: "doc_1", vector: []float32{0.5, -0.25, 1, 0}}},
		{name: "upsert with empty keys", rec: record{op: opUpsert, chunkID: "c", vector: []float32{1, 0, 0, 0}}},
		{name: "delete", rec: record{op: opDelete, chunkID: "chk_ż"}},
		{name: "delete resource", rec: record{op: opDeleteResource, resourceID: "res_2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := appendRecord(nil, tt.rec)
			n := binary.LittleEndian.Uint32(b)
			if got, want := int(n)+frameHeader, len(b); got != want {
				t.Fatalf("frame length %d, want %d", got, want)
			}
			got, err := decodeRecord(b[frameHeader:], 4)
			if err != nil {
				t.Fatal(err)
			}
			if got.op != tt.rec.op || got.chunkID != tt.rec.chunkID || got.resourceID != tt.rec.resourceID ||
				got.documentID != tt.rec.documentID || !slices.Equal(got.vector, tt.rec.vector) {
				t.Fatalf("decoded %+v, want %+v", got, tt.rec)
			}
		})
	}
}

// FuzzReplayJournal feeds arbitrary journal files to the loader: it must
// never panic, and must keep exactly the intact prefix.
func FuzzReplayJournal(f *testing.F) {
	valid := appendRecord(nil, record{op: opUpsert, chunkID: "a", resourceID: "r", vector: []float32{1, 0, 0, 0}})
	valid = appendRecord(valid, record{op: opDelete, chunkID: "a"})
	f.Add(valid)
	f.Add(valid[:len(valid)-3])
	f.Add([]byte{})
	f.Add([]byte{255, 255, 255, 255, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "journal-0.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ix := newIndex(newGraph(4, 4, 8, 1), -1)
		good, torn, err := replayJournal(path, 4, ix.apply)
		if err != nil {
			t.Fatal(err)
		}
		if good > int64(len(data)) || (good < int64(len(data))) != torn {
			t.Fatalf("good %d torn %v for %d bytes", good, torn, len(data))
		}
	})
}

// FuzzReadSnapshot feeds arbitrary snapshots (with a valid checksum, so
// the decoder itself is exercised) to the loader: it must never panic.
func FuzzReadSnapshot(f *testing.F) {
	ix := newIndex(newGraph(4, 4, 8, 1), -1)
	ix.upsert("a", "r", "d", []float32{1, 0, 0, 0})
	ix.upsert("b", "r", "d", []float32{0, 1, 0, 0})
	ix.delete("a")
	dir := f.TempDir()
	if _, err := writeSnapshot(dir, 3, ix); err != nil {
		f.Fatal(err)
	}
	seed, _ := os.ReadFile(filepath.Join(dir, snapshotName))
	f.Add(seed[:len(seed)-4])
	f.Add([]byte("RKVI"))
	f.Fuzz(func(t *testing.T, body []byte) {
		dir := t.TempDir()
		data := binary.LittleEndian.AppendUint32(slices.Clone(body), crc32.Checksum(body, castagnoli))
		if err := os.WriteFile(filepath.Join(dir, snapshotName), data, 0o600); err != nil {
			t.Fatal(err)
		}
		ix, _, _, ok, err := readSnapshot(dir, 4, func() *index { return newIndex(newGraph(4, 4, 8, 1), -1) })
		if err != nil || !ok {
			return
		}
		// A snapshot that loads must be searchable.
		ix.search([]float32{1, 0, 0, 0}, nil, searchParams{k: 3, ef: 8, exactThreshold: -1})
		ix.search([]float32{1, 0, 0, 0}, []string{"r"}, searchParams{k: 3, ef: 8, exactThreshold: 100})
	})
}

func TestSnapshotRoundTrip(t *testing.T) {
	ix := newIndex(newGraph(4, 4, 8, 1), -1)
	ix.upsert("a", "r1", "d1", []float32{1, 0, 0, 0})
	ix.upsert("b", "r2", "d2", []float32{0, 1, 0, 0})
	ix.upsert("c", "r1", "d1", []float32{0, 0, 1, 0})
	ix.delete("a")
	dir := t.TempDir()
	if _, err := writeSnapshot(dir, 9, ix); err != nil {
		t.Fatal(err)
	}
	got, gen, _, ok, err := readSnapshot(dir, 4, func() *index { return newIndex(newGraph(4, 4, 8, 1), -1) })
	if err != nil || !ok {
		t.Fatalf("readSnapshot: ok %v err %v", ok, err)
	}
	if gen != 9 || got.live != 2 || got.tomb != 1 || !slices.Equal(got.ids, ix.ids) || !slices.Equal(got.g.vecs, ix.g.vecs) {
		t.Fatalf("round trip: gen %d live %d tomb %d ids %v", gen, got.live, got.tomb, got.ids)
	}
	for slot := range ix.g.links {
		for l := range ix.g.links[slot] {
			if !slices.Equal(got.g.links[slot][l], ix.g.links[slot][l]) {
				t.Fatalf("links of slot %d level %d = %v, want %v", slot, l, got.g.links[slot][l], ix.g.links[slot][l])
			}
		}
	}
	// Flipping any byte must be caught by the checksum.
	data, _ := os.ReadFile(filepath.Join(dir, snapshotName))
	data[len(data)/2] ^= 1
	os.WriteFile(filepath.Join(dir, snapshotName), data, 0o600)
	if _, _, _, _, err := readSnapshot(dir, 4, func() *index { return newIndex(newGraph(4, 4, 8, 1), -1) }); err == nil {
		t.Fatal("corrupt snapshot loaded without error")
	}
}
