package sqlite

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// DefaultLexicalLimit is the number of hits SearchLexical returns when the
// query sets no limit.
const DefaultLexicalLimit = 20

// maxLexicalLimit bounds the hits one query may ask for.
const maxLexicalLimit = 1000

// SearchLexical ranks the tenant's chunks by bm25 over title (weight 2) and
// text; Score is -bm25, so higher is better. The text is reduced to
// store.LexicalTerms and the terms are OR-ed, so any input is a valid query;
// input without terms returns no hits.
func (s *Store) SearchLexical(ctx context.Context, q ragkb.LexicalQuery) ([]ragkb.ChunkHit, error) {
	if q.TenantID == "" {
		return nil, ragkb.Invalid("tenant_id", "a tenant is required to search")
	}
	terms := store.LexicalTerms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLexicalLimit
	}
	limit = min(limit, maxLexicalLimit)
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, -f.rank
		FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) AS f
		JOIN chunks AS c ON c.seq = f.rowid
		ORDER BY f.rank`, matchExpr(q.TenantID, q.ResourceIDs, terms), limit)
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	defer rows.Close()
	var hits []ragkb.ChunkHit
	for rows.Next() {
		var h ragkb.ChunkHit
		if err := rows.Scan(&h.ChunkID, &h.Score); err != nil {
			return nil, translate("search lexical", "chunk", err)
		}
		hits = append(hits, h)
	}
	return hits, translate("search lexical", "chunk", rows.Err())
}

// matchExpr builds the FTS5 query: the tenant (and resources) as single hex
// tokens in their own columns, AND any of the terms in title or text. Terms
// hold only letters, digits and marks (store.LexicalTerms) and are quoted
// anyway, so user input can never be read as FTS5 syntax.
func matchExpr(tenantID string, resourceIDs, terms []string) string {
	var b strings.Builder
	b.WriteString(`tenant : "`)
	b.WriteString(hex.EncodeToString([]byte(tenantID)))
	b.WriteString(`"`)
	if len(resourceIDs) > 0 {
		b.WriteString(` AND resource : (`)
		for i, id := range resourceIDs {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(`"` + hex.EncodeToString([]byte(id)) + `"`)
		}
		b.WriteString(`)`)
	}
	b.WriteString(` AND {title text} : (`)
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	b.WriteString(`)`)
	return b.String()
}
