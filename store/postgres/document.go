package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

const documentColumns = `id, tenant_id, resource_id, source_id, kind, title, url, text, language, intent,
	examples, offer, hash, updated_at`

const chunkColumns = `id, tenant_id, resource_id, document_id, ordinal, kind, title, url, text, language`

// chunkCopyColumns are chunkColumns for COPY.
var chunkCopyColumns = []string{"id", "tenant_id", "resource_id", "document_id", "ordinal", "kind", "title", "url", "text", "language"}

// ListDocuments lists a tenant's documents, ordered by resource then source id.
func (s *Store) ListDocuments(ctx context.Context, f ragkb.DocumentFilter) ([]*ragkb.Document, error) {
	args := []any{f.TenantID}
	q := `SELECT ` + documentColumns + ` FROM documents WHERE tenant_id = $1`
	if len(f.ResourceIDs) > 0 {
		args = append(args, f.ResourceIDs)
		q += fmt.Sprintf(" AND resource_id = ANY($%d)", len(args))
	}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		q += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	q += " ORDER BY resource_id, source_id, id"
	rows, _ := s.pool.Query(ctx, q, args...)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Document, error) {
		var d ragkb.Document
		var updated *time.Time
		err := row.Scan(&d.ID, &d.TenantID, &d.ResourceID, &d.SourceID, &d.Kind, &d.Title, &d.URL, &d.Text,
			&d.Language, &d.Intent, &d.Examples, &d.Offer, &d.Hash, &updated)
		if updated != nil {
			d.UpdatedAt = updated.UTC()
		}
		return &d, err
	})
	return out, translate("list documents", "document", err)
}

// ApplyIndex writes the result of an indexing run in one transaction, after
// checking (with the job row locked) that c.Lease is still held.
func (s *Store) ApplyIndex(ctx context.Context, c ragkb.IndexChange) ([]string, error) {
	var removed []string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkLease(ctx, tx, c.Lease); err != nil {
			return err
		}
		docIDs := make([]string, 0, len(c.Upsert)+len(c.Delete))
		for _, d := range c.Upsert {
			docIDs = append(docIDs, d.ID)
		}
		docIDs = append(docIDs, c.Delete...)
		rows, _ := tx.Query(ctx, `DELETE FROM chunks WHERE tenant_id = $1 AND document_id = ANY($2) RETURNING id`,
			c.TenantID, docIDs)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		removed = ids
		if len(c.Delete) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE tenant_id = $1 AND resource_id = $2 AND id = ANY($3)`,
				c.TenantID, c.ResourceID, c.Delete); err != nil {
				return err
			}
		}
		if err := upsertDocuments(ctx, tx, c); err != nil {
			return err
		}
		if len(c.Chunks) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"chunks"}, chunkCopyColumns,
				pgx.CopyFromSlice(len(c.Chunks), func(i int) ([]any, error) {
					ch := c.Chunks[i]
					return []any{ch.ID, c.TenantID, c.ResourceID, ch.DocumentID, ch.Ordinal, string(ch.Kind),
						ch.Title, ch.URL, ch.Text, ch.Language}, nil
				})); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE resources SET
			documents = (SELECT count(*) FROM documents WHERE resource_id = $1),
			chunks = (SELECT count(*) FROM chunks WHERE resource_id = $1)
			WHERE id = $1 AND tenant_id = $2`, c.ResourceID, c.TenantID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ragkb.NotFound("resource")
		}
		return bumpVersion(ctx, tx, c.TenantID)
	})
	if err != nil {
		return nil, translate("apply index", "document", err)
	}
	return removed, nil
}

// upsertDocuments inserts or replaces (by id) the documents of c.Upsert. A
// document id held by another tenant is left alone (and its chunks then fail
// their foreign key check).
func upsertDocuments(ctx context.Context, tx pgx.Tx, c ragkb.IndexChange) error {
	if len(c.Upsert) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, d := range c.Upsert {
		b.Queue(`INSERT INTO documents (`+documentColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (id) DO UPDATE SET resource_id = EXCLUDED.resource_id, source_id = EXCLUDED.source_id,
				kind = EXCLUDED.kind, title = EXCLUDED.title, url = EXCLUDED.url, text = EXCLUDED.text,
				language = EXCLUDED.language, intent = EXCLUDED.intent, examples = EXCLUDED.examples,
				offer = EXCLUDED.offer, hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at
			WHERE documents.tenant_id = EXCLUDED.tenant_id`,
			d.ID, c.TenantID, c.ResourceID, d.SourceID, string(d.Kind), d.Title, d.URL, d.Text, d.Language,
			d.Intent, d.Examples, d.Offer, d.Hash, nullTime(d.UpdatedAt))
	}
	return tx.SendBatch(ctx, &b).Close()
}

// checkLease locks the job row and fails with ECONFLICT unless l is held.
func checkLease(ctx context.Context, tx pgx.Tx, l ragkb.Lease) error {
	var owner string
	err := tx.QueryRow(ctx, `SELECT lease_owner FROM jobs WHERE id = $1 FOR UPDATE`, l.JobID).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (owner == "" || owner != l.Owner)) {
		return leaseLost(l)
	}
	return err
}

func leaseLost(l ragkb.Lease) error {
	return &ragkb.Error{Code: ragkb.ECONFLICT,
		Message: "the job's lease was lost (another worker took it over or the resource changed)",
		Err:     fmt.Errorf("postgres: job %s is not leased by %q", l.JobID, l.Owner)}
}

// GetChunks returns the tenant's chunks with these ids, in the order asked;
// unknown ids are skipped.
func (s *Store) GetChunks(ctx context.Context, tenantID string, ids []string) ([]*ragkb.Chunk, error) {
	if len(ids) == 0 {
		return []*ragkb.Chunk{}, nil
	}
	// An id asked twice is returned once, at its first position.
	seen := make(map[string]bool, len(ids))
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+chunkColumns+` FROM chunks
		JOIN unnest($2::text[]) WITH ORDINALITY AS want(id, pos) USING (id)
		WHERE tenant_id = $1 ORDER BY want.pos`, tenantID, uniq)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*ragkb.Chunk, error) {
		var c ragkb.Chunk
		err := row.Scan(&c.ID, &c.TenantID, &c.ResourceID, &c.DocumentID, &c.Ordinal, &c.Kind, &c.Title, &c.URL,
			&c.Text, &c.Language)
		return &c, err
	})
	if err != nil {
		return nil, translate("get chunks", "chunk", err)
	}
	return out, nil
}

// defaultLexicalLimit is the number of hits of a LexicalQuery without a Limit.
const defaultLexicalLimit = 20

// SearchLexical ranks the tenant's chunks by full-text relevance
// (ts_rank_cd with the title weighted twice the text, normalised by length).
// The query ORs the store.LexicalTerms of q.Text, each quoted, so any input
// is a valid tsquery.
func (s *Store) SearchLexical(ctx context.Context, q ragkb.LexicalQuery) ([]ragkb.ChunkHit, error) {
	query := tsQuery(store.LexicalTerms(q.Text))
	if query == "" {
		return []ragkb.ChunkHit{}, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLexicalLimit
	}
	args := []any{q.TenantID, query, limit}
	sql := `SELECT id, ts_rank_cd('{0.1, 0.1, 0.1, 0.2}', tsv, tq, 1) AS score
		FROM chunks, to_tsquery('simple', ragkb_unaccent($2)) AS tq
		WHERE tenant_id = $1 AND tsv @@ tq`
	if len(q.ResourceIDs) > 0 {
		args = append(args, q.ResourceIDs)
		sql += ` AND resource_id = ANY($4)`
	}
	sql += ` ORDER BY score DESC, id LIMIT $3`
	rows, _ := s.pool.Query(ctx, sql, args...)
	hits, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ragkb.ChunkHit, error) {
		var h ragkb.ChunkHit
		var score float32
		err := row.Scan(&h.ChunkID, &score)
		h.Score = float64(score)
		return h, err
	})
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	return hits, nil
}

// tsQuery ORs the terms as quoted tsquery lexemes ('a' | 'b'). Quotes and
// backslashes are escaped even though store.LexicalTerms never returns them.
func tsQuery(terms []string) string {
	quoted := make([]string, 0, len(terms))
	for _, t := range terms {
		if t == "" {
			continue
		}
		t = strings.ReplaceAll(t, `\`, `\\`)
		t = strings.ReplaceAll(t, `'`, `''`)
		quoted = append(quoted, "'"+t+"'")
	}
	return strings.Join(quoted, " | ")
}
