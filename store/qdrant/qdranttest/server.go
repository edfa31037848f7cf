// Package qdranttest is an in-process stand-in for a Qdrant server, for
// tests. It serves the gRPC services generated in the official client module
// (qdrant.CollectionsServer, qdrant.PointsServer) on a 127.0.0.1 listener,
// keeps points in memory and answers queries by exact cosine similarity.
//
// Only the subset of the API that store/qdrant uses is implemented:
// CollectionExists, Get, Create and Delete collection; CreateFieldIndex;
// Upsert; Delete by ids or by filter; Count; Query with a dense nearest
// query. Filters support must / should / must_not with keyword match,
// keywords (any) match, has_id and nested filters. Anything else returns
// codes.Unimplemented so that a test notices it is relying on something the
// stand-in does not model. It does not model HNSW approximation, write
// ordering, sharding or Qdrant's exact error messages.
package qdranttest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net"
	"slices"
	"sync"
	"testing"

	qc "github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Options configure a Server.
type Options struct {
	// APIKey, when set, is required in every request's api-key header.
	APIKey string
}

// Server is a running stand-in.
type Server struct {
	// Addr is the "127.0.0.1:port" the server listens on.
	Addr string

	mu          sync.Mutex
	collections map[string]*collection
	calls       map[string]int
}

type collection struct {
	dims     int
	distance qc.Distance
	indexes  map[string]*qc.PayloadSchemaInfo
	points   map[string]*point // by UUID string or decimal number
}

type point struct {
	id      *qc.PointId
	vector  []float32 // normalised for cosine
	payload map[string]*qc.Value
}

// NewServer starts a stand-in without authentication, stopped when the test ends.
func NewServer(t testing.TB) *Server { return Start(t, Options{}) }

// Start starts a stand-in with opts, stopped when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("qdranttest: listen: %v", err)
	}
	s := &Server{Addr: lis.Addr().String(), collections: map[string]*collection{}, calls: map[string]int{}}
	srv := grpc.NewServer(grpc.UnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if opts.APIKey != "" {
			md, _ := metadata.FromIncomingContext(ctx)
			if got := md.Get("api-key"); len(got) != 1 || got[0] != opts.APIKey {
				return nil, status.Error(codes.Unauthenticated, "Must provide an API key or an Authorization bearer token")
			}
		}
		s.mu.Lock()
		s.calls[info.FullMethod]++
		s.mu.Unlock()
		return h(ctx, req)
	}))
	qc.RegisterCollectionsServer(srv, &collectionsServer{s: s})
	qc.RegisterPointsServer(srv, &pointsServer{s: s})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return s
}

// Calls returns how many times the gRPC method (e.g.
// "/qdrant.Points/Query") was called.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Indexes returns the payload-indexed fields of a collection with their types.
func (s *Server) Indexes(name string) map[string]*qc.PayloadSchemaInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.collections[name]
	if c == nil {
		return nil
	}
	out := make(map[string]*qc.PayloadSchemaInfo, len(c.indexes))
	for k, v := range c.indexes {
		out[k] = v
	}
	return out
}

// Payloads returns the payloads of every point of a collection.
func (s *Server) Payloads(name string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.collections[name]
	if c == nil {
		return nil
	}
	var out []map[string]string
	for _, p := range c.points {
		m := map[string]string{}
		for k, v := range p.payload {
			m[k] = v.GetStringValue()
		}
		out = append(out, m)
	}
	return out
}

func (s *Server) collection(name string) (*collection, error) {
	c := s.collections[name]
	if c == nil {
		return nil, status.Errorf(codes.NotFound, "Not found: Collection `%s` doesn't exist!", name)
	}
	return c, nil
}

func idKey(id *qc.PointId) (string, error) {
	switch v := id.GetPointIdOptions().(type) {
	case *qc.PointId_Uuid:
		return "u:" + v.Uuid, nil
	case *qc.PointId_Num:
		return fmt.Sprintf("n:%d", v.Num), nil
	}
	return "", status.Error(codes.InvalidArgument, "point id is required")
}

type collectionsServer struct {
	qc.UnimplementedCollectionsServer
	s *Server
}

func (c *collectionsServer) CollectionExists(_ context.Context, req *qc.CollectionExistsRequest) (*qc.CollectionExistsResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	_, ok := c.s.collections[req.GetCollectionName()]
	return &qc.CollectionExistsResponse{Result: &qc.CollectionExists{Exists: ok}}, nil
}

func (c *collectionsServer) Create(_ context.Context, req *qc.CreateCollection) (*qc.CollectionOperationResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	name := req.GetCollectionName()
	if _, ok := c.s.collections[name]; ok {
		return nil, status.Errorf(codes.AlreadyExists, "Wrong input: Collection `%s` already exists!", name)
	}
	params := req.GetVectorsConfig().GetParams()
	if params == nil || params.GetSize() == 0 {
		return nil, status.Error(codes.Unimplemented, "qdranttest: only a single unnamed dense vector is supported")
	}
	c.s.collections[name] = &collection{dims: int(params.GetSize()), distance: params.GetDistance(),
		indexes: map[string]*qc.PayloadSchemaInfo{}, points: map[string]*point{}}
	return &qc.CollectionOperationResponse{Result: true}, nil
}

func (c *collectionsServer) Delete(_ context.Context, req *qc.DeleteCollection) (*qc.CollectionOperationResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	_, ok := c.s.collections[req.GetCollectionName()]
	delete(c.s.collections, req.GetCollectionName())
	return &qc.CollectionOperationResponse{Result: ok}, nil
}

func (c *collectionsServer) Get(_ context.Context, req *qc.GetCollectionInfoRequest) (*qc.GetCollectionInfoResponse, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	col, err := c.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	n := uint64(len(col.points))
	return &qc.GetCollectionInfoResponse{Result: &qc.CollectionInfo{
		Status:        qc.CollectionStatus_Green,
		PointsCount:   &n,
		PayloadSchema: col.indexes,
		Config: &qc.CollectionConfig{Params: &qc.CollectionParams{
			ShardNumber:   1,
			VectorsConfig: qc.NewVectorsConfig(&qc.VectorParams{Size: uint64(col.dims), Distance: col.distance}),
		}},
	}}, nil
}

type pointsServer struct {
	qc.UnimplementedPointsServer
	s *Server
}

func done() *qc.PointsOperationResponse {
	return &qc.PointsOperationResponse{Result: &qc.UpdateResult{Status: qc.UpdateStatus_Completed}}
}

func (p *pointsServer) CreateFieldIndex(_ context.Context, req *qc.CreateFieldIndexCollection) (*qc.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	col, err := p.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if req.GetFieldType() != qc.FieldType_FieldTypeKeyword {
		return nil, status.Errorf(codes.Unimplemented, "qdranttest: only keyword indexes are supported, not %s", req.GetFieldType())
	}
	col.indexes[req.GetFieldName()] = &qc.PayloadSchemaInfo{DataType: qc.PayloadSchemaType_Keyword, Params: req.GetFieldIndexParams()}
	return done(), nil
}

func (p *pointsServer) Upsert(_ context.Context, req *qc.UpsertPoints) (*qc.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	col, err := p.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	staged := make(map[string]*point, len(req.GetPoints()))
	for _, ps := range req.GetPoints() {
		key, err := idKey(ps.GetId())
		if err != nil {
			return nil, err
		}
		v := ps.GetVectors().GetVector()
		if v == nil {
			return nil, status.Error(codes.Unimplemented, "qdranttest: only unnamed dense vectors are supported")
		}
		data := v.GetDense().GetData()
		if data == nil {
			//lint:ignore SA1019 the deprecated field is still sent by older clients
			data = v.GetData()
		}
		if len(data) != col.dims {
			return nil, status.Errorf(codes.InvalidArgument, "Wrong input: Vector dimension error: expected dim: %d, got %d", col.dims, len(data))
		}
		staged[key] = &point{id: ps.GetId(), vector: normalise(data), payload: ps.GetPayload()}
	}
	for k, pt := range staged {
		col.points[k] = pt
	}
	return done(), nil
}

func (p *pointsServer) Delete(_ context.Context, req *qc.DeletePoints) (*qc.PointsOperationResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	col, err := p.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	switch sel := req.GetPoints().GetPointsSelectorOneOf().(type) {
	case *qc.PointsSelector_Points:
		for _, id := range sel.Points.GetIds() {
			key, err := idKey(id)
			if err != nil {
				return nil, err
			}
			delete(col.points, key)
		}
	case *qc.PointsSelector_Filter:
		if err := checkFilter(sel.Filter); err != nil {
			return nil, err
		}
		for k, pt := range col.points {
			ok, err := matches(sel.Filter, pt)
			if err != nil {
				return nil, err
			}
			if ok {
				delete(col.points, k)
			}
		}
	default:
		return nil, status.Error(codes.InvalidArgument, "points selector is required")
	}
	return done(), nil
}

func (p *pointsServer) Count(_ context.Context, req *qc.CountPoints) (*qc.CountResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	col, err := p.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if err := checkFilter(req.GetFilter()); err != nil {
		return nil, err
	}
	var n uint64
	for _, pt := range col.points {
		ok, err := matches(req.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if ok {
			n++
		}
	}
	return &qc.CountResponse{Result: &qc.CountResult{Count: n}}, nil
}

func (p *pointsServer) Query(_ context.Context, req *qc.QueryPoints) (*qc.QueryResponse, error) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	col, err := p.s.collection(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if len(req.GetPrefetch()) > 0 || req.Using != nil || req.GetOffset() != 0 || req.ScoreThreshold != nil {
		return nil, status.Error(codes.Unimplemented, "qdranttest: prefetch, using, offset and score_threshold are not supported")
	}
	nearest := req.GetQuery().GetNearest()
	if nearest == nil || nearest.GetDense() == nil {
		return nil, status.Error(codes.Unimplemented, "qdranttest: only a dense nearest query is supported")
	}
	q := nearest.GetDense().GetData()
	if len(q) != col.dims {
		return nil, status.Errorf(codes.InvalidArgument, "Wrong input: Vector dimension error: expected dim: %d, got %d", col.dims, len(q))
	}
	if col.distance != qc.Distance_Cosine {
		return nil, status.Error(codes.Unimplemented, "qdranttest: only cosine distance is supported")
	}
	if err := checkFilter(req.GetFilter()); err != nil {
		return nil, err
	}
	q = normalise(q)
	limit := int(cmp.Or(req.GetLimit(), 10))
	var scored []*qc.ScoredPoint
	for _, pt := range col.points {
		ok, err := matches(req.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		scored = append(scored, &qc.ScoredPoint{Id: pt.id, Score: dot(q, pt.vector), Payload: selectPayload(req.GetWithPayload(), pt.payload)})
	}
	slices.SortFunc(scored, func(a, b *qc.ScoredPoint) int {
		if c := cmp.Compare(b.GetScore(), a.GetScore()); c != 0 {
			return c
		}
		return cmp.Compare(a.GetId().String(), b.GetId().String())
	})
	if len(scored) > limit {
		scored = scored[:limit]
	}
	return &qc.QueryResponse{Result: scored}, nil
}

func selectPayload(sel *qc.WithPayloadSelector, payload map[string]*qc.Value) map[string]*qc.Value {
	if sel == nil {
		return nil
	}
	switch {
	case sel.GetInclude() != nil:
		out := map[string]*qc.Value{}
		for _, k := range sel.GetInclude().GetFields() {
			if v, ok := payload[k]; ok {
				out[k] = v
			}
		}
		return out
	case sel.GetExclude() != nil:
		out := map[string]*qc.Value{}
		for k, v := range payload {
			if !slices.Contains(sel.GetExclude().GetFields(), k) {
				out[k] = v
			}
		}
		return out
	case sel.GetEnable():
		return payload
	}
	return nil
}

// checkFilter returns the error matches would give for f, even when the
// collection is empty (so unsupported filters never pass unnoticed).
func checkFilter(f *qc.Filter) error {
	_, err := matchesAll(f, &point{id: qc.NewIDNum(0)})
	return err
}

// matchesAll evaluates every condition of f (no short cut), for checkFilter.
func matchesAll(f *qc.Filter, pt *point) (bool, error) {
	if f == nil {
		return true, nil
	}
	if f.MinShould != nil {
		return false, status.Error(codes.Unimplemented, "qdranttest: min_should is not supported")
	}
	for _, list := range [][]*qc.Condition{f.GetMust(), f.GetMustNot(), f.GetShould()} {
		for _, c := range list {
			if c.GetFilter() != nil {
				if _, err := matchesAll(c.GetFilter(), pt); err != nil {
					return false, err
				}
				continue
			}
			if _, err := condition(c, pt); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// matches evaluates f on pt; a nil filter matches everything.
func matches(f *qc.Filter, pt *point) (bool, error) {
	if f == nil {
		return true, nil
	}
	if f.MinShould != nil {
		return false, status.Error(codes.Unimplemented, "qdranttest: min_should is not supported")
	}
	for _, c := range f.GetMust() {
		ok, err := condition(c, pt)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, c := range f.GetMustNot() {
		ok, err := condition(c, pt)
		if err != nil || ok {
			return false, err
		}
	}
	if len(f.GetShould()) == 0 {
		return true, nil
	}
	for _, c := range f.GetShould() {
		ok, err := condition(c, pt)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func condition(c *qc.Condition, pt *point) (bool, error) {
	switch v := c.GetConditionOneOf().(type) {
	case *qc.Condition_Filter:
		return matches(v.Filter, pt)
	case *qc.Condition_HasId:
		want, err := idKey(pt.id)
		if err != nil {
			return false, err
		}
		for _, id := range v.HasId.GetHasId() {
			if k, err := idKey(id); err == nil && k == want {
				return true, nil
			}
		}
		return false, nil
	case *qc.Condition_Field:
		fc := v.Field
		if fc.GetRange() != nil || fc.GetGeoBoundingBox() != nil || fc.GetGeoRadius() != nil || fc.GetValuesCount() != nil ||
			fc.GetGeoPolygon() != nil || fc.GetDatetimeRange() != nil || fc.IsEmpty != nil || fc.IsNull != nil {
			return false, status.Error(codes.Unimplemented, "qdranttest: only match conditions are supported")
		}
		got := pt.payload[fc.GetKey()]
		s, isString := got.GetKind().(*qc.Value_StringValue)
		switch m := fc.GetMatch().GetMatchValue().(type) {
		case *qc.Match_Keyword:
			return isString && s.StringValue == m.Keyword, nil
		case *qc.Match_Keywords:
			return isString && slices.Contains(m.Keywords.GetStrings(), s.StringValue), nil
		case *qc.Match_ExceptKeywords:
			return got != nil && (!isString || !slices.Contains(m.ExceptKeywords.GetStrings(), s.StringValue)), nil
		}
		return false, status.Error(codes.Unimplemented, "qdranttest: only keyword matches are supported")
	}
	return false, status.Errorf(codes.Unimplemented, "qdranttest: condition %T is not supported", c.GetConditionOneOf())
}

func normalise(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	if sum == 0 {
		return out
	}
	inv := 1 / math.Sqrt(sum)
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out
}

func dot(a, b []float32) float32 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return float32(s)
}
