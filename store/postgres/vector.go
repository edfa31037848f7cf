package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
	"github.com/ragkb/ragkb"
)

// VectorStore is the pgvector implementation of ragkb.VectorStore. It shares
// its Store's connection pool; get it from Store.Vectors. (It is a separate
// type because the DeleteResource contracts of ragkb.Store and
// ragkb.VectorStore differ: ENOTFOUND for an unknown resource versus
// removing whatever vectors the resource left.)
type VectorStore struct {
	s *Store
}

// Vectors returns the Store's vector store. It fails every call when the
// Store was opened without Config.Dimensions.
func (s *Store) Vectors() *VectorStore { return &VectorStore{s: s} }

// Close closes the shared connection pool (as Store.Close does; closing
// both is fine).
func (v *VectorStore) Close() error { return v.s.Close() }

var _ ragkb.Pinger = (*VectorStore)(nil)

// Ping checks that the database answers (ragkb.Pinger).
func (v *VectorStore) Ping(ctx context.Context) error { return v.s.Ping(ctx) }

// ensureVectors creates the vector extension and the vectors table with dims
// dimensions, or checks that the existing table has dims dimensions.
func ensureVectors(ctx context.Context, conn *pgx.Conn, dims int, log *slog.Logger) error {
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector`); err != nil {
		return translate("create extension vector", "database", err)
	}
	var have int32
	err := conn.QueryRow(ctx, `SELECT a.atttypmod FROM pg_attribute a
		WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.vectors')
		AND a.attname = 'embedding' AND NOT a.attisdropped`).Scan(&have)
	switch {
	case err == nil && int(have) == dims:
		return nil
	case err == nil:
		return ragkb.Invalid("Dimensions", "the database holds %d-dimension vectors but %d dimensions are configured: "+
			"use the embedding model the index was built with, or re-index into an empty database", have, dims)
	case !errors.Is(err, pgx.ErrNoRows):
		return translate("check vectors table", "database", err)
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, fmt.Sprintf(`
			CREATE TABLE vectors (
				chunk_id    text PRIMARY KEY,
				tenant_id   text NOT NULL,
				resource_id text NOT NULL,
				document_id text NOT NULL DEFAULT '',
				embedding   vector(%d) NOT NULL
			);
			CREATE INDEX vectors_tenant_resource ON vectors (tenant_id, resource_id);
			CREATE INDEX vectors_embedding ON vectors USING hnsw (embedding vector_cosine_ops);`, dims))
		return err
	})
	if err != nil {
		return translate("create vectors table", "database", err)
	}
	log.Info("postgres: created vectors table", "dimensions", dims)
	return nil
}

// check fails unless the store was opened with dimensions.
func (v *VectorStore) check(op string) error {
	if v.s.dims == 0 {
		return &ragkb.Error{Code: ragkb.EINTERNAL, Message: "the PostgreSQL store was opened without vector dimensions",
			Err: fmt.Errorf("postgres: %s: Config.Dimensions is 0", op)}
	}
	return nil
}

// Upsert inserts or replaces vectors by ChunkID, in one transaction. A chunk
// id held by another tenant is left alone.
func (v *VectorStore) Upsert(ctx context.Context, recs []ragkb.VectorRecord) error {
	if err := v.check("upsert vectors"); err != nil {
		return err
	}
	if len(recs) == 0 {
		return nil
	}
	var b pgx.Batch
	for i, r := range recs {
		switch {
		case r.ChunkID == "":
			return ragkb.Invalid(fmt.Sprintf("records[%d].chunk_id", i), "a chunk id is required")
		case r.TenantID == "":
			return ragkb.Invalid(fmt.Sprintf("records[%d].tenant_id", i), "a tenant id is required")
		case len(r.Vector) != v.s.dims:
			return ragkb.Invalid(fmt.Sprintf("records[%d].vector", i), "the vector has %d dimensions, want %d",
				len(r.Vector), v.s.dims)
		}
		b.Queue(`INSERT INTO vectors (chunk_id, tenant_id, resource_id, document_id, embedding)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (chunk_id) DO UPDATE SET resource_id = EXCLUDED.resource_id,
				document_id = EXCLUDED.document_id, embedding = EXCLUDED.embedding
			WHERE vectors.tenant_id = EXCLUDED.tenant_id`,
			r.ChunkID, r.TenantID, r.ResourceID, r.DocumentID, pgvector.NewVector(r.Vector))
	}
	err := v.s.inTx(ctx, func(tx pgx.Tx) error { return tx.SendBatch(ctx, &b).Close() })
	return translate("upsert vectors", "vector", err)
}

// Delete removes the tenant's vectors with these chunk ids.
func (v *VectorStore) Delete(ctx context.Context, tenantID string, chunkIDs []string) error {
	if err := v.check("delete vectors"); err != nil {
		return err
	}
	if len(chunkIDs) == 0 {
		return nil
	}
	_, err := v.s.pool.Exec(ctx, `DELETE FROM vectors WHERE tenant_id = $1 AND chunk_id = ANY($2)`, tenantID, chunkIDs)
	return translate("delete vectors", "vector", err)
}

// DeleteResource removes every vector of a resource.
func (v *VectorStore) DeleteResource(ctx context.Context, tenantID, resourceID string) error {
	if err := v.check("delete resource vectors"); err != nil {
		return err
	}
	_, err := v.s.pool.Exec(ctx, `DELETE FROM vectors WHERE tenant_id = $1 AND resource_id = $2`, tenantID, resourceID)
	return translate("delete resource vectors", "vector", err)
}

// maxEfSearch is the largest hnsw.ef_search pgvector accepts.
const maxEfSearch = 1000

// exactSearchBelow is the number of candidate rows (the tenant's, or its
// resources') under which Search scans them exactly instead of using HNSW.
// With a selective filter an HNSW scan has to visit many points of other
// tenants to find K of this one (slow, and lower recall); scanning a few
// thousand rows found by the (tenant_id, resource_id) index is fast and exact.
const exactSearchBelow = 10_000

// Search returns the q.K nearest vectors of the tenant (and resources) by
// cosine distance, best first, with Score = 1 - distance.
//
// It first counts the candidate rows (up to exactSearchBelow, on the btree
// index). Few candidates are ranked exactly (index scans off, so PostgreSQL
// uses a bitmap scan of the btree index and sorts). Otherwise the HNSW index
// is scanned iteratively (hnsw.iterative_scan = relaxed_order): when the
// filter rejects candidates, pgvector keeps scanning instead of returning
// fewer than K rows; the rows are re-sorted by exact distance, as relaxed
// order requires.
func (v *VectorStore) Search(ctx context.Context, q ragkb.VectorQuery) ([]ragkb.VectorHit, error) {
	if err := v.check("search vectors"); err != nil {
		return nil, err
	}
	if len(q.Vector) != v.s.dims {
		return nil, ragkb.Invalid("vector", "the query vector has %d dimensions, want %d", len(q.Vector), v.s.dims)
	}
	k := q.K
	if k <= 0 {
		return nil, ragkb.Invalid("k", "the number of neighbours must be positive, got %d", k)
	}
	filter, args, countFilter, countArgs := searchArgs(q)
	ef := min(max(v.s.efSearch, k), maxEfSearch)
	var hits []ragkb.VectorHit
	err := v.s.inTx(ctx, func(tx pgx.Tx) error {
		if err := v.prepareSearch(ctx, tx, countFilter, countArgs, ef); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, searchSQL(filter), args...)
		var err error
		hits, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (ragkb.VectorHit, error) {
			var h ragkb.VectorHit
			err := row.Scan(&h.ChunkID, &h.Score)
			return h, err
		})
		return err
	})
	if err != nil {
		return nil, translate("search vectors", "vector", err)
	}
	return hits, nil
}

// searchArgs builds the filters and arguments of the search and candidate
// count queries.
func searchArgs(q ragkb.VectorQuery) (filter string, args []any, countFilter string, countArgs []any) {
	args = []any{pgvector.NewVector(q.Vector), q.TenantID, q.K}
	filter = `tenant_id = $2`
	countArgs = []any{q.TenantID, exactSearchBelow}
	countFilter = `tenant_id = $1`
	if len(q.ResourceIDs) > 0 {
		args = append(args, q.ResourceIDs)
		filter += ` AND resource_id = ANY($4)`
		countArgs = append(countArgs, q.ResourceIDs)
		countFilter += ` AND resource_id = ANY($3)`
	}
	return filter, args, countFilter, countArgs
}

// searchSQL is the nearest-neighbour query of Search with the given filter.
func searchSQL(filter string) string {
	return `WITH nn AS MATERIALIZED (
			SELECT chunk_id, embedding <=> $1 AS distance FROM vectors
			WHERE ` + filter + `
			ORDER BY embedding <=> $1 LIMIT $3)
		SELECT chunk_id, 1 - distance FROM nn ORDER BY distance, chunk_id`
}

// prepareSearch counts the candidate rows and sets up tx for an exact or an
// HNSW search accordingly.
func (v *VectorStore) prepareSearch(ctx context.Context, tx pgx.Tx, countFilter string, countArgs []any, ef int) error {
	var candidates int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM vectors WHERE `+countFilter+` LIMIT $2) AS c`,
		countArgs...).Scan(&candidates); err != nil {
		return err
	}
	// Custom plans: a generic plan (used after a cached statement's fifth
	// run) would not know how many rows the tenant has.
	settings := `SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
		set_config('enable_indexscan', 'off', true)`
	if candidates >= exactSearchBelow {
		settings = `SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
			set_config('hnsw.ef_search', '` + strconv.Itoa(ef) + `', true),
			set_config('hnsw.iterative_scan', 'relaxed_order', true)`
	}
	_, err := tx.Exec(ctx, settings)
	return err
}
