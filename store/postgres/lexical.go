package postgres

import (
	"context"
	"math"
	"strconv"
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

// emptyStatsTTL is how long missing statistics are trusted before pg_stats
// is read again.
const emptyStatsTTL = 10 * time.Second

// maxCandidates bounds the chunks one lexical query scores: a question made
// only of words found in most chunks ranks an arbitrary subset of them
// instead of the whole catalogue (the same trade-off as the SQLite store).
const maxCandidates = 2000

// termStats caches the most common lexemes of chunks.tsv with their
// frequencies, as ANALYZE found them (pg_stats.most_common_elems).
type termStats struct {
	mu      sync.Mutex
	freq    map[string]float64
	fetched time.Time
}

// SearchLexical ranks the tenant's chunks by BM25 over the
// store.LexicalTerms of q.Text: term presence (a title match counts as a
// second occurrence) weighted by the term's inverse document frequency in
// the tenant's (or the resources') chunks, normalised by chunk length
// (k1 = 1.2, b = 0.75). Each term is quoted into its own tsquery, so any
// input is valid; a chunk matches when it holds any term.
//
// PostgreSQL scores every matching row, so a term found in most chunks
// would make a question score the whole catalogue. Using the planner
// statistics of the tsv column, terms in more than 5% of chunks only select
// candidates when the query has nothing rarer (then all of them are
// required); they still count in the score. When that selection finds fewer
// hits than the limit, every term selects, so restricting never loses a
// hit that the tenant has.
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
	// Each term is looked up under every form it may be indexed as
	// (store.TermVariants); its frequency is that of its most common form.
	groups := make([][]string, len(terms))
	gfreq := make([]float64, len(terms))
	for i, t := range terms {
		groups[i] = store.TermVariants(t)
		for _, f := range groups[i] {
			gfreq[i] = max(gfreq[i], freq[f])
		}
	}
	idf, err := s.inverseDocumentFrequencies(ctx, q, groups, gfreq)
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	var rare, common [][]string
	for i, g := range groups {
		if gfreq[i] > commonTermFreq {
			common = append(common, g)
		} else {
			rare = append(rare, g)
		}
	}
	all := tsQuery(groups, " | ", "")
	match := all
	switch {
	case len(common) == 0:
	case len(rare) > 0:
		match = tsQuery(rare, " | ", "")
	default:
		match = tsQuery(common, " & ", "")
	}
	hits, err := s.lexical(ctx, q, groups, idf, match, limit)
	if err == nil && match != all && len(hits) < limit {
		hits, err = s.lexical(ctx, q, groups, idf, all, limit)
	}
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	return hits, nil
}

// dfCountCap bounds the rows counted for one term's document frequency.
const dfCountCap = 5000

// inverseDocumentFrequencies returns the BM25 idf of each term among the
// tenant's (or the resources') chunks. The number of chunks comes from the
// resources' counters; a term's document frequency from the planner
// statistics when it is common (they are table-wide: an estimate), else
// from counting its rows (at most dfCountCap, which is cheap for the rare
// terms that decide rankings).
func (s *Store) inverseDocumentFrequencies(ctx context.Context, q ragkb.LexicalQuery, groups [][]string, freq []float64) ([]float64, error) {
	// Common terms are not counted (that would visit dfCountCap rows each):
	// their frequency comes from the statistics.
	quoted := make([]string, len(groups))
	for i, g := range groups {
		if freq[i] <= commonTermFreq {
			quoted[i] = tsQuery([][]string{g}, "", "")
		}
	}
	args := []any{q.TenantID, quoted, dfCountCap}
	filter := `tenant_id = $1`
	if len(q.ResourceIDs) > 0 {
		args = append(args, q.ResourceIDs)
		filter += ` AND resource_id = ANY($4)`
	}
	resFilter := strings.ReplaceAll(filter, "resource_id", "id")
	var n float64
	var dfs []float64
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT coalesce(sum(chunks), 0) FROM resources WHERE `+resFilter+`),
		ARRAY(SELECT CASE WHEN u.q = '' THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 FROM chunks
				WHERE `+filter+` AND tsv @@ u.q::tsquery LIMIT $3) AS c) END::float8
			FROM unnest($2::text[]) WITH ORDINALITY AS u(q, i) ORDER BY u.i)`, args...).Scan(&n, &dfs)
	if err != nil {
		return nil, err
	}
	idf := make([]float64, len(groups))
	for i := range groups {
		df := dfs[i]
		if f := freq[i]; f > commonTermFreq {
			df = f * n
		}
		n := max(n, df)
		idf[i] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	return idf, nil
}

// lexical scores the chunks matching the tsquery match by BM25 over the
// term groups, weighed by the share of groups matched
// (store.Coordination).
func (s *Store) lexical(ctx context.Context, q ragkb.LexicalQuery, groups [][]string, idf []float64, match string, limit int) ([]ragkb.ChunkHit, error) {
	quoted := make([]string, len(groups))
	inTitle := make([]string, len(groups))
	for i, g := range groups {
		quoted[i] = tsQuery([][]string{g}, "", "")
		inTitle[i] = tsQuery([][]string{g}, "", ":A") // the title's lexemes carry weight A
	}
	args := []any{q.TenantID, match, quoted, inTitle, idf, limit}
	filter := `c.tenant_id = $1 AND c.tsv @@ $2::tsquery`
	if len(q.ResourceIDs) > 0 {
		args = append(args, q.ResourceIDs)
		filter += ` AND c.resource_id = ANY($7)`
	}
	rows, _ := s.pool.Query(ctx, `WITH terms AS MATERIALIZED (
			SELECT u.q::tsquery AS tq, u.qa::tsquery AS tqa, u.idf
			FROM unnest($3::text[], $4::text[], $5::float8[]) AS u(q, qa, idf)),
		cand AS MATERIALIZED (
			SELECT c.id, c.tsv, length(c.tsv)::float8 AS dl FROM chunks AS c WHERE `+filter+` LIMIT `+strconv.Itoa(maxCandidates)+`),
		norm AS (SELECT greatest(avg(dl), 1) AS avgdl FROM cand)
		SELECT cand.id, (
			SELECT coalesce(sum(t.idf * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * cand.dl / norm.avgdl))), 0)
				* sqrt(count(*)::float8 / `+strconv.Itoa(len(groups))+`)
			FROM (SELECT terms.idf, ((cand.tsv @@ terms.tq)::int + (cand.tsv @@ terms.tqa)::int)::float8 AS tf FROM terms) AS t
			WHERE t.tf > 0) AS score
		FROM cand, norm
		ORDER BY score DESC, cand.id LIMIT $6`, args...)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ragkb.ChunkHit, error) {
		var h ragkb.ChunkHit
		err := row.Scan(&h.ChunkID, &h.Score)
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
	// Empty statistics (a table never analysed) are not kept for the whole
	// TTL: they are read again after emptyStatsTTL.
	s.terms.freq, s.terms.fetched = freq, now
	if len(freq) == 0 {
		s.terms.fetched = now.Add(emptyStatsTTL - termStatsTTL)
	}
	return freq, nil
}

// tsQuery joins term groups with op (" | " or " & ") into a tsquery, the
// forms of a group OR-ed, each form a quoted lexeme followed by suffix
// (":A" for title matches). The lexemes are analysed already
// (store.LexicalTerms, store.TermVariants), so the query is cast, not
// normalised again. Quotes and backslashes are escaped even though
// store.LexicalTerms never returns them.
func tsQuery(groups [][]string, op, suffix string) string {
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		quoted := make([]string, 0, len(g))
		for _, t := range g {
			if t == "" {
				continue
			}
			t = strings.ReplaceAll(t, `\`, `\\`)
			t = strings.ReplaceAll(t, `'`, `''`)
			quoted = append(quoted, "'"+t+"'"+suffix)
		}
		if len(quoted) > 0 {
			parts = append(parts, "("+strings.Join(quoted, " | ")+")")
		}
	}
	return strings.Join(parts, op)
}
