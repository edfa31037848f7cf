package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ragkb/ragkb"
)

const documentColumns = `id, tenant_id, resource_id, source_id, kind, title, url, text, language, intent,
	examples, offer, hash, updated_at`

const chunkColumns = `id, tenant_id, resource_id, document_id, ordinal, kind, title, url, text, language`

// chunkCopyColumns are chunkColumns for COPY.
var chunkCopyColumns = []string{"id", "tenant_id", "resource_id", "document_id", "ordinal", "kind", "title", "url", "text", "language", "tsv"}

// ListDocuments lists a tenant's documents, ordered by resource then source id.
func (s *Store) ListDocuments(ctx context.Context, f ragkb.DocumentFilter) ([]*ragkb.Document, error) {
	if f.TenantID == "" {
		return nil, ragkb.Invalid("tenant_id", "a tenant is required to list documents")
	}
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
// checking (with the job row locked) that c.Lease is still held. It returns
// the ids of the chunks that no longer exist afterwards: an id that c.Chunks
// writes again is not among them, so deleting the returned ids from a vector
// store never removes a vector of the new index, whatever the order.
func (s *Store) ApplyIndex(ctx context.Context, c ragkb.IndexChange) ([]string, error) {
	if err := validateChange(&c); err != nil {
		return nil, err
	}
	var removed []string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var n int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM jobs
			WHERE id = $1 AND lease_owner = $2 AND lease_owner <> '' AND lease_until > $3 AND tenant_id = $4 AND resource_id = $5
			FOR UPDATE) AS j`,
			c.Lease.JobID, c.Lease.Owner, s.now(), c.TenantID, c.ResourceID).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return leaseLost(c.Lease)
		}
		docIDs := make([]string, 0, len(c.Upsert)+len(c.Delete))
		for _, d := range c.Upsert {
			docIDs = append(docIDs, d.ID)
		}
		docIDs = append(docIDs, c.Delete...)
		rows, _ := tx.Query(ctx, `DELETE FROM chunks WHERE tenant_id = $1 AND resource_id = $2 AND document_id = ANY($3) RETURNING id`,
			c.TenantID, c.ResourceID, docIDs)
		gone, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(c.Delete) > 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE tenant_id = $1 AND resource_id = $2 AND id = ANY($3)`,
				c.TenantID, c.ResourceID, c.Delete); err != nil {
				return err
			}
		}
		if err := upsertDocuments(ctx, tx, c.Upsert); err != nil {
			return err
		}
		if len(c.Chunks) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"chunks"}, chunkCopyColumns,
				pgx.CopyFromSlice(len(c.Chunks), func(i int) ([]any, error) {
					ch := c.Chunks[i]
					return []any{ch.ID, ch.TenantID, ch.ResourceID, ch.DocumentID, ch.Ordinal, string(ch.Kind),
						ch.Title, ch.URL, ch.Text, ch.Language, chunkVector(ch.Title, ch.Text, ch.Language)}, nil
				})); err != nil {
				return err
			}
		}
		written := make(map[string]bool, len(c.Chunks))
		for _, ch := range c.Chunks {
			written[ch.ID] = true
		}
		for _, id := range gone {
			if !written[id] {
				removed = append(removed, id)
			}
		}
		slices.Sort(removed)
		if _, err := tx.Exec(ctx, `UPDATE resources SET
			documents = (SELECT count(*) FROM documents WHERE resource_id = $1),
			chunks = (SELECT count(*) FROM chunks WHERE resource_id = $1)
			WHERE id = $1`, c.ResourceID); err != nil {
			return err
		}
		return bumpVersion(ctx, tx, c.TenantID)
	})
	if err != nil {
		return nil, translate("apply index", "chunk", err)
	}
	if len(c.Chunks)+len(removed) >= analyzeAfterChunks {
		s.refreshTermStats(ctx)
	}
	return removed, nil
}

// analyzeAfterChunks is how many chunks one change must write or remove
// before the chunks table is analysed at once, instead of waiting for
// autovacuum: lexical search reads its term statistics (see
// termFrequencies), and without them every question would be scored
// against nearly every chunk.
const analyzeAfterChunks = 1000

// refreshTermStats analyses the chunks table and drops the cached term
// frequencies. A failure only costs search speed, so it is logged.
func (s *Store) refreshTermStats(ctx context.Context) {
	if _, err := s.pool.Exec(ctx, `ANALYZE chunks`); err != nil {
		s.log.Warn("postgres: analyze chunks", "err", err)
		return
	}
	s.terms.mu.Lock()
	s.terms.freq = nil
	s.terms.mu.Unlock()
}

// storable returns s as PostgreSQL text can hold it: invalid UTF-8 (a
// title cut inside a character by a connector) becomes U+FFFD and NUL bytes
// are dropped, so that one bad byte in a crawled page does not fail a whole
// indexing run.
func storable(s string) string {
	if utf8.ValidString(s) && !strings.Contains(s, "\x00") {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// validateChange checks c (ragkb.IndexChange.Check) and makes its text
// storable in PostgreSQL.
func validateChange(c *ragkb.IndexChange) error {
	if err := c.Check(); err != nil {
		return err
	}
	for _, d := range c.Upsert {
		d.Title, d.URL, d.Text = storable(d.Title), storable(d.URL), storable(d.Text)
	}
	for _, ch := range c.Chunks {
		ch.Title, ch.URL, ch.Text = storable(ch.Title), storable(ch.URL), storable(ch.Text)
	}
	return nil
}

// upsertDocuments inserts or replaces (by id) docs; a document id held by
// another tenant or resource is ECONFLICT.
func upsertDocuments(ctx context.Context, tx pgx.Tx, docs []*ragkb.Document) error {
	if len(docs) == 0 {
		return nil
	}
	var b pgx.Batch
	for _, d := range docs {
		b.Queue(`INSERT INTO documents (`+documentColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (id) DO UPDATE SET source_id = EXCLUDED.source_id,
				kind = EXCLUDED.kind, title = EXCLUDED.title, url = EXCLUDED.url, text = EXCLUDED.text,
				language = EXCLUDED.language, intent = EXCLUDED.intent, examples = EXCLUDED.examples,
				offer = EXCLUDED.offer, hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at
			WHERE documents.tenant_id = EXCLUDED.tenant_id AND documents.resource_id = EXCLUDED.resource_id`,
			d.ID, d.TenantID, d.ResourceID, d.SourceID, string(d.Kind), d.Title, d.URL, d.Text, d.Language,
			d.Intent, d.Examples, d.Offer, d.Hash, nullTime(d.UpdatedAt)).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() == 0 {
				return &ragkb.Error{Code: ragkb.ECONFLICT, Message: "document " + d.ID + " already exists in another resource"}
			}
			return nil
		})
	}
	return tx.SendBatch(ctx, &b).Close()
}

// checkLease locks the job row and returns its resource id; ECONFLICT
// unless l is held.
func checkLease(ctx context.Context, tx pgx.Tx, l ragkb.Lease) (string, error) {
	if l.JobID == "" || l.Owner == "" {
		return "", leaseLost(l)
	}
	var owner, resourceID string
	err := tx.QueryRow(ctx, `SELECT lease_owner, resource_id FROM jobs WHERE id = $1 FOR UPDATE`, l.JobID).Scan(&owner, &resourceID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != l.Owner) {
		return "", leaseLost(l)
	}
	return resourceID, err
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
