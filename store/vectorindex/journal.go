package vectorindex

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// The journal is an append-only file of framed records:
//
//	u32 payload length | u32 CRC-32C of payload | payload
//
// and a payload is an op byte followed by its fields (strings as uvarint
// length + bytes, vectors as little-endian float32s). A record that is cut
// short or fails its checksum ends the journal: it can only be the write
// that was in flight when the process died, so it is dropped on load.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	opUpsert         byte = 1
	opDelete         byte = 2
	opDeleteResource byte = 3

	frameHeader = 8
	// maxRecord bounds a record so a corrupt length cannot make us allocate
	// gigabytes (vectors are at most maxDimensions floats).
	maxRecord = 1<<20 + maxDimensions*4
)

// record is one journal entry.
type record struct {
	op         byte
	chunkID    string
	resourceID string
	documentID string
	vector     []float32
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendRecord frames r onto b.
func appendRecord(b []byte, r record) []byte {
	start := len(b)
	b = append(b, make([]byte, frameHeader)...)
	b = append(b, r.op)
	switch r.op {
	case opUpsert:
		b = appendString(b, r.chunkID)
		b = appendString(b, r.resourceID)
		b = appendString(b, r.documentID)
		for _, f := range r.vector {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
	case opDelete:
		b = appendString(b, r.chunkID)
	case opDeleteResource:
		b = appendString(b, r.resourceID)
	}
	payload := b[start+frameHeader:]
	binary.LittleEndian.PutUint32(b[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[start+4:], crc32.Checksum(payload, castagnoli))
	return b
}

var errBadRecord = errors.New("malformed record")

func readString(p []byte) (string, []byte, error) {
	n, k := binary.Uvarint(p)
	if k <= 0 || n > uint64(len(p)-k) {
		return "", nil, errBadRecord
	}
	return string(p[k : k+int(n)]), p[k+int(n):], nil
}

// decodeRecord parses a payload whose checksum was verified.
func decodeRecord(p []byte, dims int) (record, error) {
	if len(p) == 0 {
		return record{}, errBadRecord
	}
	r := record{op: p[0]}
	p = p[1:]
	var err error
	switch r.op {
	case opUpsert:
		if r.chunkID, p, err = readString(p); err != nil {
			return r, err
		}
		if r.resourceID, p, err = readString(p); err != nil {
			return r, err
		}
		if r.documentID, p, err = readString(p); err != nil {
			return r, err
		}
		if len(p) != dims*4 {
			return r, fmt.Errorf("%w: vector of %d bytes, want %d", errBadRecord, len(p), dims*4)
		}
		r.vector = make([]float32, dims)
		for i := range r.vector {
			r.vector[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[i*4:]))
		}
		return r, nil
	case opDelete:
		r.chunkID, p, err = readString(p)
	case opDeleteResource:
		r.resourceID, p, err = readString(p)
	default:
		return r, fmt.Errorf("%w: unknown op %d", errBadRecord, r.op)
	}
	if err == nil && len(p) != 0 {
		err = errBadRecord
	}
	return r, err
}

// replayJournal calls apply for every intact record of the file at path
// and returns the length of the intact prefix. A missing file is empty.
func replayJournal(path string, dims int, apply func(record)) (good int64, torn bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var hdr [frameHeader]byte
	var buf []byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if err == io.EOF {
				return good, false, nil
			}
			if err == io.ErrUnexpectedEOF {
				return good, true, nil
			}
			return good, false, err
		}
		n := binary.LittleEndian.Uint32(hdr[:4])
		if n == 0 || n > maxRecord {
			return good, true, nil
		}
		buf = slicesGrow(buf, int(n))
		if _, err := io.ReadFull(br, buf); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return good, true, nil
			}
			return good, false, err
		}
		if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) {
			return good, true, nil
		}
		r, err := decodeRecord(buf, dims)
		if err != nil {
			return good, true, nil
		}
		apply(r)
		good += frameHeader + int64(n)
	}
}

func slicesGrow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
