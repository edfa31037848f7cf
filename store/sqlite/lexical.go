package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// DefaultLexicalLimit is the number of hits SearchLexical returns when the
// query sets no limit.
const DefaultLexicalLimit = 20

const (
	// maxLexicalLimit bounds the hits one query may ask for.
	maxLexicalLimit = 1000
	// lexicalBudget is about how many chunks one query ranks: bm25 costs
	// a microsecond or two per matching chunk, so ranking every chunk that
	// contains a word like "delivery" would take a large shop's query to
	// hundreds of milliseconds.
	lexicalBudget = 500
)

// SearchLexical ranks the tenant's chunks by bm25 over title (weight 2) and
// text; Score is -bm25, so higher is better. The text is reduced to
// store.LexicalTerms, so any input is a valid query and input without terms
// returns no hits.
//
// To stay fast on large tenants it ranks a bounded set of candidates, using
// the document frequencies kept in lexical_terms:
//   - terms found in no chunk are left out, and so are terms found in more
//     than a quarter of all chunks (they barely change bm25) unless every
//     term is that common;
//   - if the remaining terms are rare enough, chunks containing any of them
//     are ranked (a plain OR query);
//   - otherwise chunks containing all of them are ranked first, followed by
//     chunks containing the rarest of them, up to the limit;
//   - a query of common terms only ranks chunks containing all of them,
//     shortest first (see rankLexical).
//
// Each candidate query stops after lexicalBudget chunks of the tenant.
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
	df, total, err := s.documentFrequencies(ctx, terms)
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	var rare, common []string
	for _, t := range terms {
		switch n := df[t]; {
		case n == 0:
		case n > max(total/4, lexicalBudget):
			common = append(common, t)
		default:
			rare = append(rare, t)
		}
	}
	slices.SortStableFunc(rare, func(a, b string) int { return cmp.Compare(df[a], df[b]) })
	run := func(terms []string, op string) ([]ragkb.ChunkHit, error) {
		return s.rankLexical(ctx, q, ftsExpr(terms, op), limit, true)
	}
	var hits []ragkb.ChunkHit
	switch {
	case len(rare) == 0 && len(common) == 0:
		return nil, nil
	case len(rare) == 0:
		// bm25 would read every posting of these terms to weigh them, and
		// weigh them near zero: rank by length instead.
		hits, err = s.rankLexical(ctx, q, ftsExpr(common, "AND"), limit, false)
	default:
		sum, cut := 0, 0
		for cut < len(rare) && (cut == 0 || sum+df[rare[cut]] <= lexicalBudget) {
			sum += df[rare[cut]]
			cut++
		}
		if cut == len(rare) {
			hits, err = run(rare, "OR")
			break
		}
		hits, err = run(rare, "AND")
		if err != nil || len(hits) >= limit {
			break
		}
		var more []ragkb.ChunkHit
		more, err = run(rare[:cut], "OR")
		hits = appendHits(hits, more, limit)
	}
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	return hits, nil
}

// appendHits appends the hits of more that are not in hits yet, up to
// limit, lowering their scores where needed so that scores never rise.
func appendHits(hits, more []ragkb.ChunkHit, limit int) []ragkb.ChunkHit {
	seen := make(map[string]bool, len(hits))
	for _, h := range hits {
		seen[h.ChunkID] = true
	}
	for _, h := range more {
		if len(hits) >= limit {
			break
		}
		if seen[h.ChunkID] {
			continue
		}
		if n := len(hits); n > 0 && h.Score > hits[n-1].Score {
			h.Score = hits[n-1].Score
		}
		hits = append(hits, h)
	}
	return hits
}

// documentFrequencies returns how many chunks contain each term, and how
// many chunks there are.
func (s *Store) documentFrequencies(ctx context.Context, terms []string) (map[string]int, int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT term, docs FROM lexical_terms WHERE term IN (`+placeholders(len(terms)+1)+`)`,
		append([]any{""}, anySlice(terms)...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	df := make(map[string]int, len(terms))
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, 0, err
		}
		df[t] = n
	}
	return df, df[""], rows.Err()
}

// rankLexical ranks up to lexicalBudget of the tenant's chunks matching
// expr, by -bm25 or, without bm25, by shortness (1/(1+characters)): what
// bm25 reduces to when every term is in most chunks. bm25 costs a read of
// every posting of every term (to count the chunks containing it) however
// few chunks are ranked, so it is only used for terms that are rare.
func (s *Store) rankLexical(ctx context.Context, q ragkb.LexicalQuery, expr string, limit int, bm25 bool) ([]ragkb.ChunkHit, error) {
	score := `-bm25(chunks_fts, 2.0, 1.0)`
	if !bm25 {
		score = `1.0 / (1 + length(c.title) + length(c.text))`
	}
	filter := `c.tenant_id = ?`
	args := []any{expr, q.TenantID}
	if len(q.ResourceIDs) > 0 {
		filter += ` AND c.resource_id IN (` + placeholders(len(q.ResourceIDs)) + `)`
		args = append(args, anySlice(q.ResourceIDs)...)
	}
	args = append(args, max(lexicalBudget, limit), limit)
	rows, err := s.r.QueryContext(ctx, `SELECT id, score FROM (
			SELECT c.id AS id, `+score+` AS score
			FROM chunks_fts CROSS JOIN chunks AS c ON c.seq = chunks_fts.rowid
			WHERE chunks_fts MATCH ? AND `+filter+`
			LIMIT ?)
		ORDER BY score DESC, id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	return scanHits(rows)
}

func scanHits(rows *sql.Rows) ([]ragkb.ChunkHit, error) {
	defer rows.Close()
	var hits []ragkb.ChunkHit
	for rows.Next() {
		var h ragkb.ChunkHit
		if err := rows.Scan(&h.ChunkID, &h.Score); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// ftsExpr joins terms with op ("AND", "OR") into an FTS5 query. Terms hold
// only letters, digits and marks (store.LexicalTerms) and are quoted
// anyway, so user input is never read as FTS5 syntax.
func ftsExpr(terms []string, op string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " "+op+" ")
}

// termDelta accumulates changes to the lexical_terms counts.
type termDelta map[string]int

// add counts a chunk's terms sign times (+1 inserted, -1 deleted).
func (d termDelta) add(title, text string, sign int) {
	for _, t := range store.Terms(title + " " + text) {
		d[t] += sign
	}
	d[""] += sign
}

// apply writes the accumulated counts inside tx.
func (d termDelta) apply(ctx context.Context, tx *sql.Tx) error {
	if len(d) == 0 {
		return nil
	}
	up, err := tx.PrepareContext(ctx, `INSERT INTO lexical_terms (term, docs) VALUES (?, ?)
		ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs`)
	if err != nil {
		return err
	}
	defer up.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM lexical_terms WHERE term = ? AND docs <= 0`)
	if err != nil {
		return err
	}
	defer del.Close()
	for t, n := range d {
		if n == 0 {
			continue
		}
		if _, err := up.ExecContext(ctx, t, n); err != nil {
			return err
		}
		if n < 0 {
			if _, err := del.ExecContext(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}
