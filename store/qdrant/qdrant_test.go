package qdrant_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	qc "github.com/qdrant/go-client/qdrant"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store/qdrant"
	"github.com/ragkb/ragkb/store/qdrant/qdranttest"
	"github.com/ragkb/ragkb/store/storetest"
)

var _ ragkb.VectorStore = (*qdrant.Store)(nil)

func open(t *testing.T, cfg qdrant.Config) *qdrant.Store {
	t.Helper()
	s, err := qdrant.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("qdrant.New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestVectorStoreConformance(t *testing.T) {
	srv := qdranttest.NewServer(t)
	storetest.RunVectorStore(t, func(t *testing.T, dims int) ragkb.VectorStore {
		return open(t, qdrant.Config{Addr: srv.Addr, Collection: randomName("suite"), Dimensions: dims})
	})
}

// TestVectorStoreConformanceLive runs the suite against a real Qdrant when
// RAGKB_TEST_QDRANT_URL (its gRPC address, host:6334) is set; each subtest
// uses its own collection, deleted afterwards.
func TestVectorStoreConformanceLive(t *testing.T) {
	addr := os.Getenv("RAGKB_TEST_QDRANT_URL")
	if addr == "" {
		t.Skip("RAGKB_TEST_QDRANT_URL is not set: no live Qdrant to test against")
	}
	apiKey := os.Getenv("RAGKB_TEST_QDRANT_API_KEY")
	storetest.RunVectorStore(t, func(t *testing.T, dims int) ragkb.VectorStore {
		name := randomName("ragkb_test")
		s := open(t, qdrant.Config{Addr: addr, APIKey: apiKey, Collection: name, Dimensions: dims})
		t.Cleanup(func() { dropCollection(t, addr, apiKey, name) })
		return s
	})
}

func dropCollection(t *testing.T, addr, apiKey, name string) {
	host, port := splitHostPort(t, addr)
	c, err := qc.NewClient(&qc.Config{Host: host, Port: port, APIKey: apiKey, SkipCompatibilityCheck: true})
	if err != nil {
		t.Errorf("drop collection %s: %v", name, err)
		return
	}
	defer c.Close()
	if err := c.DeleteCollection(context.Background(), name); err != nil {
		t.Errorf("drop collection %s: %v", name, err)
	}
}

func splitHostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 6334
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("RAGKB_TEST_QDRANT_URL %q: bad port", addr)
	}
	return host, port
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "_" + hex.EncodeToString(b[:])
}

func TestNewCreatesCollectionAndIndexes(t *testing.T) {
	srv := qdranttest.NewServer(t)
	open(t, qdrant.Config{Addr: srv.Addr, Dimensions: 8})
	idx := srv.Indexes(qdrant.DefaultCollection)
	for _, tt := range []struct {
		name   string
		field  string
		tenant bool
	}{
		{name: "tenant", field: "tenant_id", tenant: true},
		{name: "resource", field: "resource_id", tenant: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			info := idx[tt.field]
			if info == nil {
				t.Fatalf("no payload index on %s; indexes %v", tt.field, idx)
			}
			if got, want := info.GetDataType(), qc.PayloadSchemaType_Keyword; got != want {
				t.Errorf("index type %v, want %v", got, want)
			}
			if got, want := info.GetParams().GetKeywordIndexParams().GetIsTenant(), tt.tenant; got != want {
				t.Errorf("is_tenant = %v, want %v", got, want)
			}
		})
	}
	// Opening again keeps the collection; other dimensions are refused.
	open(t, qdrant.Config{Addr: srv.Addr, Dimensions: 8})
	_, err := qdrant.New(context.Background(), qdrant.Config{Addr: srv.Addr, Dimensions: 9})
	if got, want := ragkb.ErrorField(err), "Dimensions"; got != want {
		t.Fatalf("New with other dimensions: %v, want an EINVALID on %s", err, want)
	}
}

func TestPayloadAndPointIDs(t *testing.T) {
	srv := qdranttest.NewServer(t)
	s := open(t, qdrant.Config{Addr: srv.Addr, Collection: "c", Dimensions: 2})
	ctx := context.Background()
	recs := []ragkb.VectorRecord{
		{ChunkID: "chk_same", TenantID: "ten_a", ResourceID: "res_a", DocumentID: "doc_a", Vector: []float32{1, 0}},
		{ChunkID: "chk_same", TenantID: "ten_b", ResourceID: "res_b", DocumentID: "doc_b", Vector: []float32{0, 1}},
	}
	if err := s.Upsert(ctx, recs); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if got, want := len(srv.Payloads("c")), 2; got != want {
		t.Fatalf("%d points, want %d (the same chunk id in two tenants is two points)", got, want)
	}
	for _, p := range srv.Payloads("c") {
		if p["chunk_id"] != "chk_same" || p["document_id"] == "" || p["resource_id"] == "" || p["tenant_id"] == "" {
			t.Errorf("payload %v, want chunk_id, tenant_id, resource_id and document_id", p)
		}
	}
	if err := s.Delete(ctx, "ten_a", []string{"chk_same"}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	hits, err := s.Search(ctx, ragkb.VectorQuery{TenantID: "ten_b", Vector: []float32{0, 1}, K: 5})
	if err != nil || len(hits) != 1 || hits[0].ChunkID != "chk_same" {
		t.Fatalf("Search ten_b after deleting ten_a's chunk = %v, %v; want ten_b's chunk kept", hits, err)
	}
	if a, b := qdrant.PointID("ten_a", "chk_same"), qdrant.PointID("ten_a", "chk_same"); a != b {
		t.Errorf("PointID is not deterministic: %s != %s", a, b)
	}
}

func TestErrorCodes(t *testing.T) {
	srv := qdranttest.Start(t, qdranttest.Options{APIKey: "secret"})
	s := open(t, qdrant.Config{Addr: srv.Addr, APIKey: "secret", Dimensions: 4})
	ctx := context.Background()
	_, badKey := qdrant.New(ctx, qdrant.Config{Addr: srv.Addr, APIKey: "wrong", Dimensions: 4})
	ctx2, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, down := qdrant.New(ctx2, qdrant.Config{Addr: "127.0.0.1:1", Dimensions: 4})
	_, searchK := s.Search(ctx, ragkb.VectorQuery{TenantID: "t", Vector: make([]float32, 4), K: 0})
	tests := []struct {
		name string
		err  error
		want ragkb.ErrorCode
	}{
		{name: "server down", err: down, want: ragkb.EUNAVAILABLE},
		{name: "wrong api key is internal", err: badKey, want: ragkb.EINTERNAL},
		{name: "k zero", err: searchK, want: ragkb.EINVALID},
		{name: "short vector", err: s.Upsert(ctx, []ragkb.VectorRecord{{ChunkID: "c", TenantID: "t", Vector: []float32{1}}}), want: ragkb.EINVALID},
		{name: "no tenant", err: s.Upsert(ctx, []ragkb.VectorRecord{{ChunkID: "c", Vector: make([]float32, 4)}}), want: ragkb.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ragkb.ErrorCodeOf(tt.err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, tt.err, tt.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name  string
		cfg   qdrant.Config
		field string
	}{
		{name: "host port", cfg: qdrant.Config{Addr: "qdrant:6334", Dimensions: 384}},
		{name: "host only", cfg: qdrant.Config{Addr: "qdrant", Dimensions: 384}},
		{name: "url", cfg: qdrant.Config{Addr: "https://x.cloud.qdrant.io:6334", Dimensions: 384}},
		{name: "no addr", cfg: qdrant.Config{Dimensions: 384}, field: "Addr"},
		{name: "bad port", cfg: qdrant.Config{Addr: "qdrant:http", Dimensions: 384}, field: "Addr"},
		{name: "bad scheme", cfg: qdrant.Config{Addr: "ftp://qdrant:6334", Dimensions: 384}, field: "Addr"},
		{name: "no dims", cfg: qdrant.Config{Addr: "qdrant:6334"}, field: "Dimensions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ragkb.ErrorField(tt.cfg.Validate()); got != tt.field {
				t.Errorf("Validate() field = %q (%v), want %q", got, tt.cfg.Validate(), tt.field)
			}
		})
	}
}
