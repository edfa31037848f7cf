package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ragkb/ragkb"
)

const documentColumns = `id, tenant_id, resource_id, source_id, kind, title, url, text, language, intent, examples, offer, hash, updated_at`

// ListDocuments lists a tenant's documents ordered by resource then source id.
func (s *Store) ListDocuments(ctx context.Context, f ragkb.DocumentFilter) ([]*ragkb.Document, error) {
	if f.TenantID == "" {
		return nil, ragkb.Invalid("tenant_id", "a tenant is required to list documents")
	}
	q := `SELECT ` + documentColumns + ` FROM documents WHERE tenant_id = ?`
	args := []any{f.TenantID}
	if len(f.ResourceIDs) > 0 {
		q += ` AND resource_id IN (` + placeholders(len(f.ResourceIDs)) + `)`
		args = append(args, anySlice(f.ResourceIDs)...)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, string(f.Kind))
	}
	q += ` ORDER BY resource_id, source_id, id`
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate("list documents", "document", err)
	}
	defer rows.Close()
	var out []*ragkb.Document
	for rows.Next() {
		var d ragkb.Document
		var kind, examples, offer string
		var updated nullTime
		if err := rows.Scan(&d.ID, &d.TenantID, &d.ResourceID, &d.SourceID, &kind, &d.Title, &d.URL, &d.Text,
			&d.Language, &d.Intent, &examples, &offer, &d.Hash, &updated); err != nil {
			return nil, translate("list documents", "document", err)
		}
		d.Kind = ragkb.DocKind(kind)
		if err := json.Unmarshal([]byte(examples), &d.Examples); err != nil {
			return nil, fmt.Errorf("sqlite: list documents: decode examples: %w", err)
		}
		if err := json.Unmarshal([]byte(offer), &d.Offer); err != nil {
			return nil, fmt.Errorf("sqlite: list documents: decode offer: %w", err)
		}
		d.UpdatedAt = updated.Time()
		out = append(out, &d)
	}
	return out, translate("list documents", "document", rows.Err())
}

// ApplyIndex writes an indexing run in one transaction, unless c.Lease is
// no longer held (ECONFLICT, nothing written). It returns the ids of the
// chunks that no longer exist afterwards; an id that c.Chunks writes again
// is not among them, so deleting the returned ids from a vector store can
// never remove a vector of the new index, whatever the order.
func (s *Store) ApplyIndex(ctx context.Context, c ragkb.IndexChange) ([]string, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var removed []string
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM jobs
			WHERE id = ? AND lease_owner = ? AND lease_owner != '' AND lease_until > ? AND tenant_id = ? AND resource_id = ?`,
			c.Lease.JobID, c.Lease.Owner, s.now().UnixNano(), c.TenantID, c.ResourceID).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return errLeaseLost()
		}
		gone := make(map[string]bool)
		// Old chunks of upserted and deleted documents go first.
		docIDs := make([]string, 0, len(c.Upsert)+len(c.Delete))
		for _, d := range c.Upsert {
			docIDs = append(docIDs, d.ID)
		}
		docIDs = append(docIDs, c.Delete...)
		delta := newTermDelta(c.TenantID)
		for batch := range chunked(docIDs, 500) {
			ids, err := deleteChunks(ctx, tx, delta, `DELETE FROM chunks WHERE tenant_id = ? AND resource_id = ? AND document_id IN (`+
				placeholders(len(batch))+`) RETURNING id, analyzed`, append([]any{c.TenantID, c.ResourceID}, anySlice(batch)...)...)
			if err != nil {
				return err
			}
			for _, id := range ids {
				gone[id] = true
			}
		}
		for batch := range chunked(c.Delete, 500) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE tenant_id = ? AND resource_id = ? AND id IN (`+
				placeholders(len(batch))+`)`, append([]any{c.TenantID, c.ResourceID}, anySlice(batch)...)...); err != nil {
				return err
			}
		}
		if err := upsertDocuments(ctx, tx, c.Upsert); err != nil {
			return err
		}
		if err := insertChunks(ctx, tx, c.Chunks, delta); err != nil {
			return err
		}
		if err := delta.apply(ctx, tx); err != nil {
			return err
		}
		if len(c.Chunks)+len(gone) >= optimizeAfter {
			// A large batch leaves many small index segments; merging them
			// now keeps queries fast (about 1s per 100k chunks).
			if _, err := tx.ExecContext(ctx, `INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')`); err != nil {
				return err
			}
		}
		for _, ch := range c.Chunks {
			delete(gone, ch.ID)
		}
		for id := range gone {
			removed = append(removed, id)
		}
		sort.Strings(removed)
		if _, err := tx.ExecContext(ctx, `UPDATE resources SET
			documents = (SELECT count(*) FROM documents WHERE resource_id = ?1),
			chunks = (SELECT count(*) FROM chunks WHERE resource_id = ?1)
			WHERE id = ?1`, c.ResourceID); err != nil {
			return err
		}
		return bumpVersion(ctx, tx, c.TenantID)
	})
	if err != nil {
		return nil, translate("apply index", "chunk", err)
	}
	if len(c.Chunks)+len(removed) >= optimizeAfter {
		s.truncateWAL(ctx)
	}
	return removed, nil
}

// truncateWAL checkpoints the write-ahead log and truncates it after a
// large ApplyIndex. The run's transaction left about as many WAL bytes as
// it wrote pages (158 MB for 100k offers); the next commit's automatic
// checkpoint would copy them into the database anyway, but it never
// shrinks the file, so the run's size stayed on disk twice. The data is
// committed already: a failure (readers that stay in the way past the busy
// timeout) is only logged.
func (s *Store) truncateWAL(ctx context.Context) {
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		s.log.Warn("sqlite: truncate the write-ahead log after a large index write", "err", err)
	}
}

// optimizeAfter is the number of chunks written by one ApplyIndex after
// which the full-text index is optimized.
const optimizeAfter = 5000

// deleteChunks runs a "DELETE FROM chunks ... RETURNING id, analyzed"
// query, counts the deleted terms into delta and returns the deleted ids.
func deleteChunks(ctx context.Context, tx *sql.Tx, delta *termDelta, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id, analyzed string
		if err := rows.Scan(&id, &analyzed); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		delta.add(analyzed, -1)
	}
	return ids, rows.Err()
}

// chunked yields v in slices of at most n.
func chunked[T any](v []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(v) > 0 {
			k := min(n, len(v))
			if !yield(v[:k]) {
				return
			}
			v = v[k:]
		}
	}
}

func upsertDocuments(ctx context.Context, tx *sql.Tx, docs []*ragkb.Document) error {
	if len(docs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (`+placeholders(14)+`)
		ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, kind = excluded.kind, title = excluded.title,
			url = excluded.url, text = excluded.text, language = excluded.language, intent = excluded.intent,
			examples = excluded.examples, offer = excluded.offer, hash = excluded.hash, updated_at = excluded.updated_at
		WHERE documents.tenant_id = excluded.tenant_id AND documents.resource_id = excluded.resource_id`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, d := range docs {
		examples, err := jsonText(d.Examples)
		if err != nil {
			return err
		}
		offer, err := jsonText(d.Offer)
		if err != nil {
			return err
		}
		res, err := stmt.ExecContext(ctx, d.ID, d.TenantID, d.ResourceID, d.SourceID, string(d.Kind), d.Title, d.URL, d.Text,
			d.Language, d.Intent, examples, offer, d.Hash, ts(d.UpdatedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &ragkb.Error{Code: ragkb.ECONFLICT, Message: "document " + d.ID + " already exists in another resource"}
		}
	}
	return nil
}

// insertChunks inserts chunks and their full-text rows in multi-row
// statements (FTS5 flushes its pending index data at the end of every
// statement, so one statement per chunk would write one tiny index segment
// per chunk and spend its time merging them).
func insertChunks(ctx context.Context, tx *sql.Tx, chunks []*ragkb.Chunk, delta *termDelta) error {
	const cols = 11
	for batch := range chunked(chunks, 200) {
		args := make([]any, 0, cols*len(batch))
		an := make([]analysis, len(batch))
		for i, c := range batch {
			an[i] = analyze(c.Title, c.Text, c.Language)
			delta.add(an[i].String(), +1)
			args = append(args, c.ID, c.TenantID, c.ResourceID, c.DocumentID, c.Ordinal, string(c.Kind),
				c.Title, c.URL, c.Text, c.Language, an[i].String())
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO chunks (id, tenant_id, resource_id, document_id, ordinal, kind, title, url, text, language, analyzed)
			VALUES `+rowPlaceholders(cols, len(batch))+` RETURNING id, seq`, args...)
		if err != nil {
			return err
		}
		seqs := make(map[string]int64, len(batch))
		for rows.Next() {
			var id string
			var seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				rows.Close()
				return err
			}
			seqs[id] = seq
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		fts := make([]any, 0, 3*len(batch))
		for i, c := range batch {
			tag := tenantTag(c.TenantID)
			fts = append(fts, seqs[c.ID], taggedText(tag, an[i].title), taggedText(tag, an[i].text))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chunks_fts (rowid, title, text) VALUES `+rowPlaceholders(3, len(batch)), fts...); err != nil {
			return err
		}
	}
	return nil
}

// rowPlaceholders returns n rows "(?, ?), (?, ?)" of cols placeholders each.
func rowPlaceholders(cols, n int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.Repeat(row+", ", n-1) + row
}

// GetChunks returns the tenant's chunks with these ids, in the order asked;
// unknown ids (and other tenants' chunks) are skipped.
func (s *Store) GetChunks(ctx context.Context, tenantID string, ids []string) ([]*ragkb.Chunk, error) {
	byID := make(map[string]*ragkb.Chunk, len(ids))
	for batch := range chunked(ids, 500) {
		rows, err := s.stmts.chunks.QueryContext(ctx, tenantID, jsonArray(batch))
		if err != nil {
			return nil, translate("get chunks", "chunk", err)
		}
		for rows.Next() {
			var c ragkb.Chunk
			var kind string
			if err := rows.Scan(&c.ID, &c.TenantID, &c.ResourceID, &c.DocumentID, &c.Ordinal, &kind, &c.Title, &c.URL,
				&c.Text, &c.Language); err != nil {
				rows.Close()
				return nil, translate("get chunks", "chunk", err)
			}
			c.Kind = ragkb.DocKind(kind)
			byID[c.ID] = &c
		}
		err = errors.Join(rows.Err(), rows.Close())
		if err != nil {
			return nil, translate("get chunks", "chunk", err)
		}
	}
	out := make([]*ragkb.Chunk, 0, len(byID))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
			delete(byID, id)
		}
	}
	return out, nil
}
