package postgres

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// DefaultLexicalLimit is the number of hits SearchLexical returns when the
// query sets no limit.
const DefaultLexicalLimit = 20

// maxLexicalLimit bounds the hits one query may ask for.
const maxLexicalLimit = 1000

// commonTermFreq is the share of chunks above which a term is "common":
// boilerplate such as "delivery" or "warranty" that every offer repeats.
// Common terms still count in the ranking but do not select candidates
// when the query has rarer terms, so a question does not rank the whole
// catalogue.
const commonTermFreq = 0.05

// termStatsTTL is how long the term frequencies read from pg_stats are reused.
const termStatsTTL = 5 * time.Minute

// termStats caches the most common lexemes of chunks.tsv with their
// frequencies, as ANALYZE found them (pg_stats.most_common_elems).
type termStats struct {
	mu      sync.Mutex
	freq    map[string]float64
	fetched time.Time
}

// SearchLexical ranks the tenant's chunks by full-text relevance: ts_rank_cd
// (the title weighs twice the text, normalised by length) against the OR of
// the store.LexicalTerms of q.Text, each quoted, so any input is a valid
// tsquery.
//
// PostgreSQL ranks every matching row, so a term found in most chunks would
// make a question rank the whole catalogue. Using the planner statistics of
// the tsv column, terms in more than 5% of chunks only select candidates
// when the query has nothing rarer (then all of them are required); they
// still weigh in the ranking. When that selection finds fewer than the
// limit, the plain OR query runs instead, so restricting never loses a hit
// that the tenant has.
func (s *Store) SearchLexical(ctx context.Context, q ragkb.LexicalQuery) ([]ragkb.ChunkHit, error) {
	if q.TenantID == "" {
		return nil, ragkb.Invalid("tenant_id", "a tenant is required to search")
	}
	terms := store.LexicalTerms(q.Text)
	if len(terms) == 0 {
		return []ragkb.ChunkHit{}, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLexicalLimit
	}
	limit = min(limit, maxLexicalLimit)
	freq, err := s.termFrequencies(ctx)
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	var rare, common []string
	for _, t := range terms {
		if freq[t] > commonTermFreq {
			common = append(common, t)
		} else {
			rare = append(rare, t)
		}
	}
	all := tsQuery(terms, " | ")
	match := all
	switch {
	case len(common) == 0:
	case len(rare) > 0:
		match = tsQuery(rare, " | ")
	default:
		match = tsQuery(common, " & ")
	}
	hits, err := s.lexical(ctx, q, match, all, limit)
	if err == nil && match != all && len(hits) < limit {
		hits, err = s.lexical(ctx, q, all, all, limit)
	}
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	return hits, nil
}

// lexical runs one full-text query: rows matching match, ranked by rank.
func (s *Store) lexical(ctx context.Context, q ragkb.LexicalQuery, match, rank string, limit int) ([]ragkb.ChunkHit, error) {
	args := []any{q.TenantID, match, rank, limit}
	sql := `SELECT id, ts_rank_cd('{0.1, 0.1, 0.1, 0.2}', tsv, rq, 1) AS score
		FROM chunks, to_tsquery('simple', ragkb_unaccent($2)) AS mq, to_tsquery('simple', ragkb_unaccent($3)) AS rq
		WHERE tenant_id = $1 AND tsv @@ mq`
	if len(q.ResourceIDs) > 0 {
		args = append(args, q.ResourceIDs)
		sql += ` AND resource_id = ANY($5)`
	}
	sql += ` ORDER BY score DESC, id LIMIT $4`
	rows, _ := s.pool.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ragkb.ChunkHit, error) {
		var h ragkb.ChunkHit
		var score float32
		err := row.Scan(&h.ChunkID, &score)
		h.Score = float64(score)
		return h, err
	})
}

// termFrequencies returns the share of chunks holding each of the most
// common lexemes, from pg_stats (empty until the table is first analysed),
// cached for termStatsTTL.
func (s *Store) termFrequencies(ctx context.Context) (map[string]float64, error) {
	s.terms.mu.Lock()
	defer s.terms.mu.Unlock()
	now := s.now()
	if s.terms.freq != nil && now.Sub(s.terms.fetched) < termStatsTTL && !now.Before(s.terms.fetched) {
		return s.terms.freq, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT e.elem, e.freq
		FROM pg_stats AS s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(elem, freq)
		WHERE s.schemaname = current_schema() AND s.tablename = 'chunks' AND s.attname = 'tsv' AND e.elem IS NOT NULL`)
	freq := map[string]float64{}
	var elem string
	var f float64
	_, err := pgx.ForEachRow(rows, []any{&elem, &f}, func() error {
		freq[elem] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.terms.freq, s.terms.fetched = freq, now
	return freq, nil
}

// tsQuery joins the terms, quoted as tsquery lexemes, with op (" | " or
// " & "). Quotes and backslashes are escaped even though
// store.LexicalTerms never returns them.
func tsQuery(terms []string, op string) string {
	quoted := make([]string, 0, len(terms))
	for _, t := range terms {
		if t == "" {
			continue
		}
		t = strings.ReplaceAll(t, `\`, `\\`)
		t = strings.ReplaceAll(t, `'`, `''`)
		quoted = append(quoted, "'"+t+"'")
	}
	return strings.Join(quoted, op)
}
