package qdranttest_test

import (
	"context"
	"net"
	"slices"
	"strconv"
	"testing"

	qc "github.com/qdrant/go-client/qdrant"
	"github.com/ragkb/ragkb/store/qdrant/qdranttest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func client(t *testing.T, srv *qdranttest.Server) *qc.Client {
	t.Helper()
	host, port, _ := net.SplitHostPort(srv.Addr)
	p, _ := strconv.Atoi(port)
	c, err := qc.NewClient(&qc.Config{Host: host, Port: p, SkipCompatibilityCheck: true, PoolSize: 1})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestFilters checks the stand-in's filter semantics against Qdrant's
// documented ones: must = AND, should = OR (ignored when empty), must_not =
// none of, match keywords = any of.
func TestFilters(t *testing.T) {
	srv := qdranttest.NewServer(t)
	c := client(t, srv)
	ctx := context.Background()
	if err := c.CreateCollection(ctx, &qc.CreateCollection{CollectionName: "c",
		VectorsConfig: qc.NewVectorsConfig(&qc.VectorParams{Size: 2, Distance: qc.Distance_Cosine})}); err != nil {
		t.Fatalf("CreateCollection: %v", err)
	}
	points := []*qc.PointStruct{
		{Id: qc.NewIDNum(1), Vectors: qc.NewVectorsDense([]float32{1, 0}), Payload: qc.NewValueMap(map[string]any{"t": "a", "r": "x"})},
		{Id: qc.NewIDNum(2), Vectors: qc.NewVectorsDense([]float32{0, 1}), Payload: qc.NewValueMap(map[string]any{"t": "a", "r": "y"})},
		{Id: qc.NewIDNum(3), Vectors: qc.NewVectorsDense([]float32{1, 1}), Payload: qc.NewValueMap(map[string]any{"t": "b", "r": "x"})},
	}
	if _, err := c.Upsert(ctx, &qc.UpsertPoints{CollectionName: "c", Points: points}); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	tests := []struct {
		name   string
		filter *qc.Filter
		want   []uint64 // ids by descending similarity to (1, 0)
	}{
		{name: "none", filter: nil, want: []uint64{1, 3, 2}},
		{name: "must keyword", filter: &qc.Filter{Must: []*qc.Condition{qc.NewMatchKeyword("t", "a")}}, want: []uint64{1, 2}},
		{name: "must two", filter: &qc.Filter{Must: []*qc.Condition{qc.NewMatchKeyword("t", "a"), qc.NewMatchKeyword("r", "y")}}, want: []uint64{2}},
		{name: "keywords any", filter: &qc.Filter{Must: []*qc.Condition{qc.NewMatchKeywords("r", "y", "z")}}, want: []uint64{2}},
		{name: "should", filter: &qc.Filter{Should: []*qc.Condition{qc.NewMatchKeyword("t", "b"), qc.NewMatchKeyword("r", "y")}}, want: []uint64{3, 2}},
		{name: "must not", filter: &qc.Filter{MustNot: []*qc.Condition{qc.NewMatchKeyword("t", "a")}}, want: []uint64{3}},
		{name: "has id", filter: &qc.Filter{Must: []*qc.Condition{qc.NewHasID(qc.NewIDNum(2), qc.NewIDNum(3))}}, want: []uint64{3, 2}},
		{name: "missing key", filter: &qc.Filter{Must: []*qc.Condition{qc.NewMatchKeyword("nope", "a")}}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Query(ctx, &qc.QueryPoints{CollectionName: "c", Query: qc.NewQueryDense([]float32{1, 0}), Filter: tt.filter})
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			var ids []uint64
			for _, p := range got {
				ids = append(ids, p.GetId().GetNum())
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("ids = %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestUnsupportedIsUnimplemented makes sure the stand-in refuses what it
// does not model instead of answering wrongly.
func TestUnsupportedIsUnimplemented(t *testing.T) {
	srv := qdranttest.NewServer(t)
	c := client(t, srv)
	ctx := context.Background()
	if err := c.CreateCollection(ctx, &qc.CreateCollection{CollectionName: "c",
		VectorsConfig: qc.NewVectorsConfig(&qc.VectorParams{Size: 2, Distance: qc.Distance_Cosine})}); err != nil {
		t.Fatalf("CreateCollection: %v", err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{name: "range filter", call: func() error {
			_, err := c.Query(ctx, &qc.QueryPoints{CollectionName: "c", Query: qc.NewQueryDense([]float32{1, 0}),
				Filter: &qc.Filter{Must: []*qc.Condition{qc.NewRange("n", &qc.Range{Gt: qc.PtrOf(1.0)})}}})
			return err
		}},
		{name: "sparse query", call: func() error {
			_, err := c.Query(ctx, &qc.QueryPoints{CollectionName: "c", Query: qc.NewQuerySparse([]uint32{1}, []float32{1})})
			return err
		}},
		{name: "integer index", call: func() error {
			_, err := c.CreateFieldIndex(ctx, &qc.CreateFieldIndexCollection{CollectionName: "c", FieldName: "n",
				FieldType: qc.FieldType_FieldTypeInteger.Enum()})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := status.Code(tt.call()), codes.Unimplemented; got != want {
				t.Errorf("code = %v, want %v", got, want)
			}
		})
	}
}
