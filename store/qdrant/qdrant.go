// Package qdrant is a ragkb.VectorStore on a Qdrant server, over gRPC with
// the official client (github.com/qdrant/go-client).
//
// All tenants share one collection (cosine distance, Config.Dimensions)
// with keyword payload indexes on tenant_id (marked is_tenant, so Qdrant
// co-locates each tenant's points) and resource_id. A point's id is the
// UUIDv5 of its tenant and chunk id, so the same chunk id in two tenants
// never collides and deleting by chunk id cannot touch another tenant; the
// payload keeps chunk_id, tenant_id, resource_id and document_id. Every
// search is filtered by tenant_id (and resource_id when given). Writes wait
// for Qdrant to apply them, so a search right after an Upsert sees it.
//
// What is verified: the storetest.RunVectorStore suite and this package's
// tests run against qdranttest, an in-process gRPC server built on the
// client module's own generated service definitions, which implements the
// subset of the API this package uses (collections, payload indexes,
// upsert, delete by ids and by filter, query with keyword/has_id filters,
// exact cosine). That proves the requests are well-formed protobuf of the
// real API and that the store's logic is right, but not how a real Qdrant
// server answers them (HNSW approximation, validation messages, payload
// index behaviour, auth, TLS). The same suite runs against a live Qdrant
// when RAGKB_TEST_QDRANT_URL is set (host:6334); it was not run so here.
package qdrant

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	qc "github.com/qdrant/go-client/qdrant"
	"github.com/ragkb/ragkb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// DefaultCollection is the collection used when Config.Collection is empty.
const DefaultCollection = "ragkb_chunks"

// defaultPort is Qdrant's gRPC port.
const defaultPort = 6334

// Payload keys.
const (
	keyChunk    = "chunk_id"
	keyTenant   = "tenant_id"
	keyResource = "resource_id"
	keyDocument = "document_id"
)

// pointNamespace is the UUIDv5 namespace of point ids.
var pointNamespace = uuid.MustParse("6f0b7c1e-2a0d-5b8e-9c61-7a4b2f1e3d90")

// Config configures a Store.
type Config struct {
	// Addr is the gRPC address, "host:port" (port defaults to 6334). A URL
	// ("http://host:6334", "https://host:6334") is accepted too; https
	// turns on TLS.
	Addr string
	// Collection is the collection name (default DefaultCollection).
	Collection string
	// Dimensions is the length of the embedding vectors.
	Dimensions int
	// APIKey is sent in the api-key header when set.
	APIKey string
	// UseTLS connects with TLS.
	UseTLS bool
	// Logger receives setup messages (default: discarded).
	Logger *slog.Logger
	// Timeout bounds each request without a deadline of its own (default 10s).
	Timeout time.Duration
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Addr == "":
		return ragkb.Invalid("Addr", "the Qdrant gRPC address is required")
	case c.Dimensions <= 0 || c.Dimensions > 65536:
		return ragkb.Invalid("Dimensions", "must be between 1 and 65536, got %d", c.Dimensions)
	case c.Timeout < 0:
		return ragkb.Invalid("Timeout", "must not be negative")
	}
	if _, _, _, err := parseAddr(c.Addr); err != nil {
		return ragkb.Invalid("Addr", "%v", err)
	}
	return nil
}

// parseAddr splits "host:port" or a URL into host, port and whether the
// scheme asks for TLS.
func parseAddr(addr string) (host string, port int, tls bool, err error) {
	if strings.Contains(addr, "://") {
		u, err := url.Parse(addr)
		if err != nil {
			return "", 0, false, fmt.Errorf("not a valid URL: %q", addr)
		}
		if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "grpc" {
			return "", 0, false, fmt.Errorf("scheme %q: want http, https or grpc", u.Scheme)
		}
		tls = u.Scheme == "https"
		addr = u.Host
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		if !strings.Contains(addr, ":") && addr != "" {
			return addr, defaultPort, tls, nil
		}
		return "", 0, false, fmt.Errorf("want host:port, got %q", addr)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 || n > 65535 {
		return "", 0, false, fmt.Errorf("bad port %q", p)
	}
	return h, n, tls, nil
}

// Store is the Qdrant implementation of ragkb.VectorStore.
type Store struct {
	client     *qc.Client
	collection string
	dims       int
	timeout    time.Duration
	log        *slog.Logger
}

// New connects to Qdrant and creates the collection (cosine distance,
// cfg.Dimensions) and its payload indexes when absent; an existing
// collection must have cfg.Dimensions.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Collection = cmp.Or(cfg.Collection, DefaultCollection)
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	cfg.Timeout = cmp.Or(cfg.Timeout, 10*time.Second)
	host, port, tls, _ := parseAddr(cfg.Addr)
	client, err := qc.NewClient(&qc.Config{
		Host:                   host,
		Port:                   port,
		APIKey:                 cfg.APIKey,
		UseTLS:                 cfg.UseTLS || tls,
		SkipCompatibilityCheck: true,
		PoolSize:               1,
	})
	if err != nil {
		return nil, translate("connect", err)
	}
	s := &Store{client: client, collection: cfg.Collection, dims: cfg.Dimensions, timeout: cfg.Timeout, log: cfg.Logger}
	if err := s.ensureCollection(ctx); err != nil {
		client.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the gRPC connection.
func (s *Store) Close() error { return s.client.Close() }

var _ ragkb.Pinger = (*Store)(nil)

// Ping checks that Qdrant answers its health check (ragkb.Pinger).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if _, err := s.client.HealthCheck(ctx); err != nil {
		return translate("health check", err)
	}
	return nil
}

func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// ensureCollection creates the collection and payload indexes, or checks
// the existing collection's vector size.
func (s *Store) ensureCollection(ctx context.Context) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	exists, err := s.client.CollectionExists(ctx, s.collection)
	if err != nil {
		return translate("check collection", err)
	}
	if exists {
		info, err := s.client.GetCollectionInfo(ctx, s.collection)
		if err != nil {
			return translate("get collection", err)
		}
		params := info.GetConfig().GetParams().GetVectorsConfig().GetParams()
		if params == nil {
			return ragkb.Invalid("Collection", "Qdrant collection %q uses named vectors; ragkb needs one unnamed vector", s.collection)
		}
		if int(params.GetSize()) != s.dims {
			return ragkb.Invalid("Dimensions", "Qdrant collection %q holds %d-dimension vectors but %d dimensions are configured: "+
				"use the embedding model the index was built with, or another collection", s.collection, params.GetSize(), s.dims)
		}
		if params.GetDistance() != qc.Distance_Cosine {
			return ragkb.Invalid("Collection", "Qdrant collection %q uses %s distance; ragkb needs Cosine", s.collection, params.GetDistance())
		}
	} else {
		err := s.client.CreateCollection(ctx, &qc.CreateCollection{
			CollectionName: s.collection,
			VectorsConfig:  qc.NewVectorsConfig(&qc.VectorParams{Size: uint64(s.dims), Distance: qc.Distance_Cosine}),
		})
		// Another process may have created it in the meantime.
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return translate("create collection", err)
		}
		if err == nil {
			s.log.Info("qdrant: created collection", "collection", s.collection, "dimensions", s.dims)
		}
	}
	// Creating an index that exists already is a no-op in Qdrant.
	for _, f := range []struct {
		name   string
		tenant bool
	}{{keyTenant, true}, {keyResource, false}} {
		_, err := s.client.CreateFieldIndex(ctx, &qc.CreateFieldIndexCollection{
			CollectionName:   s.collection,
			Wait:             qc.PtrOf(true),
			FieldName:        f.name,
			FieldType:        qc.FieldType_FieldTypeKeyword.Enum(),
			FieldIndexParams: qc.NewPayloadIndexParamsKeyword(&qc.KeywordIndexParams{IsTenant: qc.PtrOf(f.tenant)}),
		})
		if err != nil {
			return translate("create payload index "+f.name, err)
		}
	}
	return nil
}

// PointID returns the Qdrant point id of a tenant's chunk: a UUIDv5 of both.
func PointID(tenantID, chunkID string) string {
	return uuid.NewSHA1(pointNamespace, []byte(tenantID+"\x00"+chunkID)).String()
}

// Upsert inserts or replaces vectors by ChunkID.
func (s *Store) Upsert(ctx context.Context, recs []ragkb.VectorRecord) error {
	if len(recs) == 0 {
		return nil
	}
	points := make([]*qc.PointStruct, len(recs))
	for i, r := range recs {
		switch {
		case r.ChunkID == "":
			return ragkb.Invalid(fmt.Sprintf("records[%d].chunk_id", i), "a chunk id is required")
		case r.TenantID == "":
			return ragkb.Invalid(fmt.Sprintf("records[%d].tenant_id", i), "a tenant id is required")
		case len(r.Vector) != s.dims:
			return ragkb.Invalid(fmt.Sprintf("records[%d].vector", i), "the vector has %d dimensions, want %d", len(r.Vector), s.dims)
		}
		points[i] = &qc.PointStruct{
			Id:      qc.NewIDUUID(PointID(r.TenantID, r.ChunkID)),
			Vectors: qc.NewVectorsDense(r.Vector),
			Payload: map[string]*qc.Value{
				keyChunk:    qc.NewValueString(r.ChunkID),
				keyTenant:   qc.NewValueString(r.TenantID),
				keyResource: qc.NewValueString(r.ResourceID),
				keyDocument: qc.NewValueString(r.DocumentID),
			},
		}
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	_, err := s.client.Upsert(ctx, &qc.UpsertPoints{CollectionName: s.collection, Wait: qc.PtrOf(true), Points: points})
	return translate("upsert", err)
}

// Delete removes the tenant's vectors with these chunk ids.
func (s *Store) Delete(ctx context.Context, tenantID string, chunkIDs []string) error {
	if len(chunkIDs) == 0 {
		return nil
	}
	ids := make([]*qc.PointId, len(chunkIDs))
	for i, c := range chunkIDs {
		ids[i] = qc.NewIDUUID(PointID(tenantID, c))
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	_, err := s.client.Delete(ctx, &qc.DeletePoints{CollectionName: s.collection, Wait: qc.PtrOf(true),
		Points: qc.NewPointsSelectorIDs(ids)})
	return translate("delete", err)
}

// DeleteResource removes every vector of a resource.
func (s *Store) DeleteResource(ctx context.Context, tenantID, resourceID string) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	_, err := s.client.Delete(ctx, &qc.DeletePoints{CollectionName: s.collection, Wait: qc.PtrOf(true),
		Points: qc.NewPointsSelectorFilter(&qc.Filter{Must: []*qc.Condition{
			qc.NewMatchKeyword(keyTenant, tenantID),
			qc.NewMatchKeyword(keyResource, resourceID),
		}})})
	return translate("delete resource", err)
}

// Search returns up to q.K of the tenant's nearest vectors by cosine
// similarity, best first.
func (s *Store) Search(ctx context.Context, q ragkb.VectorQuery) ([]ragkb.VectorHit, error) {
	if len(q.Vector) != s.dims {
		return nil, ragkb.Invalid("vector", "the query vector has %d dimensions, want %d", len(q.Vector), s.dims)
	}
	if q.K <= 0 {
		return nil, ragkb.Invalid("k", "the number of neighbours must be positive, got %d", q.K)
	}
	filter := &qc.Filter{Must: []*qc.Condition{qc.NewMatchKeyword(keyTenant, q.TenantID)}}
	if len(q.ResourceIDs) > 0 {
		filter.Must = append(filter.Must, qc.NewMatchKeywords(keyResource, q.ResourceIDs...))
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	points, err := s.client.Query(ctx, &qc.QueryPoints{
		CollectionName: s.collection,
		Query:          qc.NewQueryDense(q.Vector),
		Filter:         filter,
		Limit:          qc.PtrOf(uint64(q.K)),
		WithPayload:    qc.NewWithPayloadInclude(keyChunk),
	})
	if err != nil {
		return nil, translate("search", err)
	}
	hits := make([]ragkb.VectorHit, 0, len(points))
	for _, p := range points {
		id := p.GetPayload()[keyChunk].GetStringValue()
		if id == "" {
			return nil, fmt.Errorf("qdrant: search: point %s has no %s payload", p.GetId().GetUuid(), keyChunk)
		}
		hits = append(hits, ragkb.VectorHit{ChunkID: id, Score: float64(p.GetScore())})
	}
	return hits, nil
}

// translate turns a gRPC error into a *ragkb.Error by status code (never by
// message text).
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	wrapped := fmt.Errorf("qdrant: %s: %w", op, err)
	var re *qc.QdrantResourceExhaustedError
	if errors.As(err, &re) {
		return &ragkb.Error{Code: ragkb.ERATELIMITED, Message: "the vector database is busy; try again later",
			RetryAfter: time.Duration(re.RetryAfterS) * time.Second, Err: wrapped}
	}
	if errors.Is(err, context.Canceled) {
		return wrapped
	}
	switch status.Code(err) {
	case codes.InvalidArgument, codes.OutOfRange, codes.FailedPrecondition:
		return &ragkb.Error{Code: ragkb.EINVALID, Message: "the vector database rejected the request", Err: wrapped}
	case codes.NotFound:
		return &ragkb.Error{Code: ragkb.ENOTFOUND, Message: "the vector collection was not found", Err: wrapped}
	case codes.AlreadyExists, codes.Aborted:
		return &ragkb.Error{Code: ragkb.ECONFLICT, Message: "the vector database reported a conflict; try again", Err: wrapped}
	case codes.ResourceExhausted:
		return &ragkb.Error{Code: ragkb.ERATELIMITED, Message: "the vector database is busy; try again later", Err: wrapped}
	case codes.Unavailable, codes.DeadlineExceeded:
		return &ragkb.Error{Code: ragkb.EUNAVAILABLE, Message: "the vector database is temporarily unavailable", Err: wrapped}
	}
	return wrapped
}
