package vectorindex

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
)

// A snapshot is the whole index of a partition, graph included, so that a
// restart does not rebuild the graph:
//
//	"RKVI" u32 version | u32 dims | u64 generation | u32 slots | u32 resources
//	resources: string each
//	slots: u8 dead | string chunk | u32 resource | string document | dims x f32
//	       | u8 level | per level: u32 count, count x u32 slot
//	i32 entry | u32 max level | u8 linked | u32 CRC-32C of everything before
//
// It is written to a temporary file, synced and renamed over the previous
// one, so a crash leaves either the old or the new snapshot.

const (
	snapshotMagic   = "RKVI"
	snapshotVersion = 1
	snapshotName    = "snapshot"
)

type snapWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	b   []byte
}

func (s *snapWriter) flushBuf() error {
	if len(s.b) < 1<<16 {
		return nil
	}
	return s.emit()
}

func (s *snapWriter) emit() error {
	s.crc.Write(s.b)
	_, err := s.w.Write(s.b)
	s.b = s.b[:0]
	return err
}

// writeSnapshot writes ix as generation gen into dir and returns its size.
func writeSnapshot(dir string, gen uint64, ix *index) (int64, error) {
	tmp := filepath.Join(dir, snapshotName+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp) // no-op after the rename
	size, err := encodeSnapshot(f, gen, ix)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotName)); err != nil {
		return 0, err
	}
	return size, syncDir(dir)
}

func encodeSnapshot(w io.Writer, gen uint64, ix *index) (int64, error) {
	cw := &countWriter{w: w}
	s := &snapWriter{w: bufio.NewWriterSize(cw, 1<<20), crc: crc32.New(castagnoli)}
	le := binary.LittleEndian
	g := ix.g
	s.b = append(s.b, snapshotMagic...)
	s.b = le.AppendUint32(s.b, snapshotVersion)
	s.b = le.AppendUint32(s.b, uint32(g.dims))
	s.b = le.AppendUint64(s.b, gen)
	s.b = le.AppendUint32(s.b, uint32(len(ix.ids)))
	s.b = le.AppendUint32(s.b, uint32(len(ix.resNames)))
	for _, name := range ix.resNames {
		s.b = appendString(s.b, name)
	}
	for slot := range ix.ids {
		dead := byte(0)
		if ix.dead[slot] {
			dead = 1
		}
		s.b = append(s.b, dead)
		s.b = appendString(s.b, ix.ids[slot])
		s.b = le.AppendUint32(s.b, uint32(ix.res[slot]))
		s.b = appendString(s.b, ix.docs[slot])
		for _, f := range g.vec(int32(slot)) {
			s.b = le.AppendUint32(s.b, math.Float32bits(f))
		}
		s.b = append(s.b, g.levels[slot])
		for _, ls := range g.links[slot] {
			s.b = le.AppendUint32(s.b, uint32(len(ls)))
			for _, n := range ls {
				s.b = le.AppendUint32(s.b, uint32(n))
			}
		}
		if err := s.flushBuf(); err != nil {
			return 0, err
		}
	}
	s.b = le.AppendUint32(s.b, uint32(g.entry))
	s.b = le.AppendUint32(s.b, uint32(g.maxLevel))
	linked := byte(0)
	if g.linked {
		linked = 1
	}
	s.b = append(s.b, linked)
	if err := s.emit(); err != nil {
		return 0, err
	}
	s.b = le.AppendUint32(s.b, s.crc.Sum32())
	if _, err := s.w.Write(s.b); err != nil {
		return 0, err
	}
	if err := s.w.Flush(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

var errCorruptSnapshot = errors.New("corrupt snapshot")

// snapReader decodes from an in-memory snapshot.
type snapReader struct {
	p   []byte
	err error
}

func (r *snapReader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.p) {
		r.err = errCorruptSnapshot
		return nil
	}
	b := r.p[:n]
	r.p = r.p[n:]
	return b
}

func (r *snapReader) u32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *snapReader) str() string {
	if r.err != nil {
		return ""
	}
	s, rest, err := readString(r.p)
	if err != nil {
		r.err = errCorruptSnapshot
		return ""
	}
	r.p = rest
	return s
}

// readSnapshot loads the snapshot in dir; ok is false when there is none.
func readSnapshot(dir string, dims int, newIx func() *index) (ix *index, gen uint64, size int64, ok bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, snapshotName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, 0, false, nil
	}
	if err != nil {
		return nil, 0, 0, false, err
	}
	if len(data) < 4+4+4+8+4+4+4 || string(data[:4]) != snapshotMagic {
		return nil, 0, 0, false, errCorruptSnapshot
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, 0, 0, false, fmt.Errorf("%w: checksum mismatch", errCorruptSnapshot)
	}
	r := &snapReader{p: body[4:]}
	if v := r.u32(); v != snapshotVersion {
		return nil, 0, 0, false, fmt.Errorf("%w: unknown version %d", errCorruptSnapshot, v)
	}
	if d := int(r.u32()); d != dims {
		return nil, 0, 0, false, fmt.Errorf("%w: %d dimensions, want %d", errCorruptSnapshot, d, dims)
	}
	genBytes := r.take(8)
	if genBytes != nil {
		gen = binary.LittleEndian.Uint64(genBytes)
	}
	slots := int(r.u32())
	nres := int(r.u32())
	if r.err != nil || slots > len(r.p) || nres > len(r.p) {
		return nil, 0, 0, false, errCorruptSnapshot
	}
	ix = newIx()
	g := ix.g
	for range nres {
		ix.resource(r.str())
	}
	g.vecs = make([]float32, 0, slots*dims)
	g.levels = make([]uint8, 0, slots)
	g.links = make([][][]int32, 0, slots)
	ix.ids = make([]string, 0, slots)
	for slot := range slots {
		dead := r.take(1)
		id := r.str()
		res := int32(r.u32())
		doc := r.str()
		vb := r.take(dims * 4)
		lvl := r.take(1)
		if r.err != nil || res < 0 || int(res) >= nres {
			return nil, 0, 0, false, errCorruptSnapshot
		}
		for i := range dims {
			g.vecs = append(g.vecs, math.Float32frombits(binary.LittleEndian.Uint32(vb[i*4:])))
		}
		links := make([][]int32, int(lvl[0])+1)
		for l := range links {
			n := int(r.u32())
			nb := r.take(n * 4)
			if r.err != nil {
				return nil, 0, 0, false, errCorruptSnapshot
			}
			links[l] = make([]int32, n)
			for i := range links[l] {
				s := binary.LittleEndian.Uint32(nb[i*4:])
				if s >= uint32(slots) {
					return nil, 0, 0, false, errCorruptSnapshot
				}
				links[l][i] = int32(s)
			}
		}
		g.levels = append(g.levels, lvl[0])
		g.links = append(g.links, links)
		ix.ids = append(ix.ids, id)
		ix.docs = append(ix.docs, doc)
		ix.res = append(ix.res, res)
		ix.dead = append(ix.dead, dead[0] != 0)
		if dead[0] != 0 {
			ix.tomb++
			continue
		}
		ix.byID[id] = int32(slot)
		ix.resSlots[res][int32(slot)] = struct{}{}
		ix.live++
	}
	g.entry = int32(r.u32())
	g.maxLevel = int(r.u32())
	linked := r.take(1)
	if r.err != nil || len(r.p) != 0 || g.entry >= int32(slots) || g.entry < -1 ||
		(g.entry >= 0 && g.maxLevel != int(g.levels[g.entry])) {
		return nil, 0, 0, false, errCorruptSnapshot
	}
	g.linked = linked[0] != 0
	// A link on level l must lead to a node that has level l.
	for _, links := range g.links {
		for l, ls := range links {
			for _, n := range ls {
				if int(g.levels[n]) < l {
					return nil, 0, 0, false, errCorruptSnapshot
				}
			}
		}
	}
	return ix, gen, int64(len(data)), true, nil
}

// syncDir makes a rename or file creation in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
