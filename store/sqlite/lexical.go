package sqlite

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/store"
)

// DefaultLexicalLimit is the number of hits SearchLexical returns when the
// query sets no limit.
const DefaultLexicalLimit = 20

const (
	// maxLexicalLimit bounds the hits one query may ask for.
	maxLexicalLimit = 1000
	// lexicalBudget bounds the chunks one candidate query reads; a query
	// reads at most two such sets.
	lexicalBudget = 500
	// BM25 parameters and the weight of a title token (FTS5's defaults).
	bm25K1, bm25B = 1.2, 0.75
	titleWeight   = 2.0
)

// SearchLexical ranks the tenant's chunks by BM25 over title (weight 2) and
// text; higher Score is better. The text is reduced to store.LexicalTerms,
// so any input is a valid query and input without terms returns no hits.
//
// FTS5 only finds candidates, and never more than about 2×lexicalBudget of
// them, so a query costs the same on a tenant of a hundred chunks as on one
// of a hundred thousand whose every chunk says "delivery"; terms are indexed
// per tenant (tenantTag), so other tenants' chunks cost nothing either.
// Candidates are chosen with the tenant's document frequencies kept in
// lexical_terms:
//   - terms found in no chunk are left out, and so are terms found in more
//     than a quarter of all chunks (they barely change BM25) unless every
//     term is that common;
//   - if the remaining terms are rare enough, every chunk containing any
//     of them is a candidate;
//   - otherwise chunks containing the two rarest of them are (chunks with
//     all the terms among them), plus, if too few, chunks containing the
//     rarest ones;
//   - a query of common terms only takes chunks containing all of them.
//
// Candidates are then scored with BM25 (the formula of FTS5's bm25())
// against every query term found in the index, in Go.
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
	groups := make([]termGroup, len(terms))
	var forms []string
	for i, t := range terms {
		groups[i].forms = store.TermVariants(t)
		forms = append(forms, groups[i].forms...)
	}
	st, err := s.lexicalStats(ctx, q.TenantID, forms)
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	var rare, common []termGroup
	for _, g := range groups {
		g.df = st.groupDF(g.forms)
		switch n := g.df; {
		case n == 0:
		case n > max(st.chunks/4, lexicalBudget):
			common = append(common, g)
		default:
			rare = append(rare, g)
		}
	}
	slices.SortStableFunc(rare, func(a, b termGroup) int { return cmp.Compare(a.df, b.df) })
	cands := make(map[string]string)
	find := func(groups []termGroup, op string) error {
		return s.lexicalCandidates(ctx, q, st.version, ftsExpr(tenantTag(q.TenantID), groups, op), max(lexicalBudget, limit), cands)
	}
	switch {
	case len(rare) == 0 && len(common) == 0:
		return nil, nil
	case len(rare) == 0:
		err = find(common, "AND")
	default:
		sum, cut := 0, 0
		for cut < len(rare) && (cut == 0 || sum+rare[cut].df <= lexicalBudget) {
			sum += rare[cut].df
			cut++
		}
		if cut == len(rare) {
			err = find(rare, "OR")
			break
		}
		// Every chunk holding all the terms holds the two rarest: finding
		// those is much cheaper than intersecting every term's postings,
		// and BM25 below still rewards the chunks that hold them all.
		if err = find(rare[:min(2, len(rare))], "AND"); err == nil && len(cands) < limit {
			err = find(rare[:cut], "OR")
		}
	}
	if err != nil {
		return nil, translate("search lexical", "chunk", err)
	}
	return st.rank(slices.Concat(rare, common), cands, limit), nil
}

// termGroup is a query term: the forms it may be indexed under
// (store.TermVariants) and its document frequency, that of its most
// frequent form (a lower bound of the chunks holding any form).
type termGroup struct {
	forms []string
	df    int
}

// lexicalCandidates adds up to n of the tenant's chunks matching expr to
// cands: chunk id -> its analysed terms (analysis.String). Without a
// resource filter only the full-text index is read: the terms come from
// s.lex, and from chunks only for those it does not hold yet.
func (s *Store) lexicalCandidates(ctx context.Context, q ragkb.LexicalQuery, version int64, expr string, n int, cands map[string]string) error {
	if len(q.ResourceIDs) > 0 {
		return s.lexicalCandidatesIn(ctx, q, expr, n, cands)
	}
	rows, err := s.stmts.cands.QueryContext(ctx, expr, n)
	if err != nil {
		return err
	}
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return err
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	missing := s.lex.get(q.TenantID, version, seqs, cands)
	if len(missing) == 0 {
		return nil
	}
	b, _ := json.Marshal(missing)
	rows, err = s.stmts.analyzed.QueryContext(ctx, q.TenantID, string(b))
	if err != nil {
		return err
	}
	defer rows.Close()
	found := make([]lexEntry, 0, len(missing))
	for rows.Next() {
		var e lexEntry
		if err := rows.Scan(&e.seq, &e.id, &e.analyzed); err != nil {
			return err
		}
		found = append(found, e)
		cands[e.id] = e.analyzed
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.lex.put(q.TenantID, version, missing, found)
	return nil
}

// lexicalCandidatesIn is lexicalCandidates restricted to q.ResourceIDs,
// joining chunks so that LIMIT counts only chunks of those resources.
func (s *Store) lexicalCandidatesIn(ctx context.Context, q ragkb.LexicalQuery, expr string, n int, cands map[string]string) error {
	rows, err := s.stmts.candsIn.QueryContext(ctx, expr, q.TenantID, jsonArray(q.ResourceIDs), n)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, analyzed string
		if err := rows.Scan(&id, &analyzed); err != nil {
			return err
		}
		cands[id] = analyzed
	}
	return rows.Err()
}

// maxLexCached bounds the chunks lexCache holds over all tenants (about
// 200 bytes of terms each).
const maxLexCached = 200_000

// lexCache holds chunks' analysed terms by full-text rowid (chunks.seq),
// per tenant and tenant version: every change to a tenant's chunks bumps
// its version in the same transaction (ApplyChanges, DeleteResource), so
// entries of an older version are dropped, never served. A rowid of another
// tenant (one whose tag collides, see tenantTag) is kept as such and never
// becomes a candidate. Past maxLexCached entries the cache starts over.
type lexCache struct {
	mu      sync.Mutex
	tenants map[string]*tenantLex
	size    int
}

type tenantLex struct {
	version int64
	chunks  map[int64]lexEntry
}

// lexEntry is a chunk's id and analysed terms; id is "" for a rowid that is
// not the tenant's.
type lexEntry struct {
	seq          int64
	id, analyzed string
}

// get adds the cached chunks among seqs to cands and returns the others.
func (c *lexCache) get(tenantID string, version int64, seqs []int64, cands map[string]string) []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tenants[tenantID]
	if t == nil || t.version != version {
		return seqs
	}
	var missing []int64
	for _, seq := range seqs {
		e, ok := t.chunks[seq]
		switch {
		case !ok:
			missing = append(missing, seq)
		case e.id != "":
			cands[e.id] = e.analyzed
		}
	}
	return missing
}

// put caches the chunks read for seqs (found; the rest are not the
// tenant's) under version.
func (c *lexCache) put(tenantID string, version int64, seqs []int64, found []lexEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tenants == nil || c.size+len(seqs) > maxLexCached {
		c.tenants, c.size = map[string]*tenantLex{}, 0
	}
	t := c.tenants[tenantID]
	switch {
	case t == nil || t.version < version:
		if t != nil {
			c.size -= len(t.chunks)
		}
		t = &tenantLex{version: version, chunks: make(map[int64]lexEntry, len(seqs))}
		c.tenants[tenantID] = t
	case t.version > version:
		return // read before a change another query has seen
	}
	for _, seq := range seqs {
		if _, ok := t.chunks[seq]; !ok {
			t.chunks[seq] = lexEntry{seq: seq}
			c.size++
		}
	}
	for _, e := range found {
		t.chunks[e.seq] = e
	}
}

// termFilter is a 256-bit set over a hash of a term's first and last bytes
// and length: has is false for most terms that were not added, and never
// for one that was.
type termFilter [4]uint64

func termBit(t string) uint {
	return (uint(t[0])*131 + uint(t[len(t)-1])*31 + uint(len(t))) & 255
}

func (f *termFilter) add(t string) { b := termBit(t); f[b>>6] |= 1 << (b & 63) }

func (f *termFilter) has(t string) bool { b := termBit(t); return f[b>>6]&(1<<(b&63)) != 0 }

// lexStats are the corpus statistics BM25 needs.
type lexStats struct {
	df             map[string]int
	chunks, tokens int
	version        int64 // the tenant's (TenantVersion)
}

// lexicalStats reads the tenant's document frequencies of terms and corpus size.
func (s *Store) lexicalStats(ctx context.Context, tenantID string, terms []string) (lexStats, error) {
	st := lexStats{df: make(map[string]int, len(terms))}
	err := s.stmts.stats.QueryRowContext(ctx, tenantID).Scan(&st.chunks, &st.tokens, &st.version)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil // no chunks
	}
	if err != nil {
		return st, err
	}
	rows, err := s.stmts.terms.QueryContext(ctx, tenantID, jsonArray(terms))
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return st, err
		}
		st.df[t] = n
	}
	return st, rows.Err()
}

// groupDF is the document frequency of a term group: that of its most
// frequent form.
func (st lexStats) groupDF(forms []string) int {
	n := 0
	for _, f := range forms {
		n = max(n, st.df[f])
	}
	return n
}

// rank scores cands by BM25 for the term groups and returns the best
// limit, best first (ties by chunk id). A group's frequency in a chunk is
// that of all its forms, a title occurrence counting titleWeight times;
// the sum is weighed by store.Coordination.
func (st lexStats) rank(groups []termGroup, cands map[string]string, limit int) []ragkb.ChunkHit {
	n := float64(max(st.chunks, 1))
	avgdl := float64(st.tokens) / n
	if avgdl <= 0 {
		avgdl = 1
	}
	idf := make([]float64, len(groups))
	group := make(map[string]int, len(groups))
	// A chunk's tokens are looked up in group only when their first and
	// last bytes and length may be those of a form: most are not.
	var maybe termFilter
	for i, g := range groups {
		df := float64(g.df)
		v := math.Log((n - df + 0.5) / (df + 0.5))
		if v <= 0 {
			v = 1e-6 // as FTS5: a very common term still counts a little
		}
		idf[i] = v
		for _, f := range g.forms {
			if _, ok := group[f]; !ok && f != "" {
				group[f] = i
				maybe.add(f)
			}
		}
	}
	hits := make([]ragkb.ChunkHit, 0, len(cands))
	tf := make([]float64, len(groups))
	for id, a := range cands {
		clear(tf)
		dl := 0
		w := titleWeight
		for i := 0; i < len(a); {
			j := i
			for j < len(a) && a[j] != ' ' && a[j] != '\n' {
				j++
			}
			if j > i {
				dl++
				if t := a[i:j]; maybe.has(t) {
					if g, ok := group[t]; ok {
						tf[g] += w
					}
				}
			}
			if j < len(a) && a[j] == '\n' {
				w = 1
			}
			i = j + 1
		}
		norm := bm25K1 * (1 - bm25B + bm25B*float64(dl)/avgdl)
		var score float64
		matched := 0
		for g, f := range tf {
			if f > 0 {
				matched++
				score += idf[g] * f * (bm25K1 + 1) / (f + norm)
			}
		}
		score *= store.Coordination(matched, len(groups))
		hits = append(hits, ragkb.ChunkHit{ChunkID: id, Score: score})
	}
	slices.SortFunc(hits, func(a, b ragkb.ChunkHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ChunkID, b.ChunkID)
	})
	return hits[:min(limit, len(hits))]
}

// analysis is a chunk's title and text as the lexical index holds them
// (store.IndexTerms in the chunk's language).
type analysis struct{ title, text []string }

func analyze(title, text, lang string) analysis {
	return analysis{title: store.IndexTerms(title, lang), text: store.IndexTerms(text, lang)}
}

// String is the analysis as kept in chunks.analyzed: the title's terms,
// a newline, the text's terms, separated by spaces. BM25 scores chunks
// from it without splitting, folding or stemming their text again.
func (a analysis) String() string {
	return strings.Join(a.title, " ") + "\n" + strings.Join(a.text, " ")
}

// tenantTag is the prefix of the tenant's terms in the full-text index:
// 12 hex digits of a hash of its id, so every term stays one token.
// Tenants whose tags collide share postings, which costs time, never
// isolation: candidates are filtered by tenant_id.
func tenantTag(tenantID string) string {
	sum := sha256.Sum256([]byte(tenantID))
	return hex.EncodeToString(sum[:6])
}

// taggedText is text as indexed for the tenant: its terms, each prefixed
// with tag.
func taggedText(tag string, toks []string) string {
	var b strings.Builder
	for _, t := range toks {
		b.Grow(len(t) + len(tag) + 1)
	}
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tag)
		b.WriteString(t)
	}
	return b.String()
}

// ftsExpr joins the tenant's tagged term groups with op ("AND", "OR")
// into an FTS5 query, the forms of a group OR-ed. Terms hold only letters,
// digits and marks (store.LexicalTerms) and are quoted anyway, so user
// input is never read as FTS5 syntax.
func ftsExpr(tag string, groups []termGroup, op string) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		quoted := make([]string, len(g.forms))
		for j, t := range g.forms {
			quoted[j] = `"` + tag + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		parts[i] = "(" + strings.Join(quoted, " OR ") + ")"
	}
	return strings.Join(parts, " "+op+" ")
}

// termDelta accumulates changes to one tenant's lexical_terms and lexical_stats.
type termDelta struct {
	tenantID       string
	terms          map[string]int
	chunks, tokens int
}

func newTermDelta(tenantID string) *termDelta {
	return &termDelta{tenantID: tenantID, terms: make(map[string]int)}
}

// add counts a chunk's analysed terms (analysis.String) sign times (+1
// inserted, -1 deleted).
func (d *termDelta) add(analyzed string, sign int) {
	tokens := strings.Fields(analyzed)
	seen := make(map[string]bool, len(tokens))
	for _, t := range tokens {
		if !seen[t] {
			seen[t] = true
			d.terms[t] += sign
		}
	}
	d.chunks += sign
	d.tokens += sign * len(tokens)
}

// apply writes the accumulated counts inside tx.
func (d *termDelta) apply(ctx context.Context, tx *sql.Tx) error {
	if d.chunks == 0 && d.tokens == 0 && len(d.terms) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO lexical_stats (tenant_id, chunks, tokens) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET chunks = chunks + excluded.chunks, tokens = tokens + excluded.tokens`,
		d.tenantID, d.chunks, d.tokens); err != nil {
		return err
	}
	up, err := tx.PrepareContext(ctx, `INSERT INTO lexical_terms (tenant_id, term, docs) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, term) DO UPDATE SET docs = docs + excluded.docs`)
	if err != nil {
		return err
	}
	defer up.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM lexical_terms WHERE tenant_id = ? AND term = ? AND docs <= 0`)
	if err != nil {
		return err
	}
	defer del.Close()
	for t, n := range d.terms {
		if n == 0 {
			continue
		}
		if _, err := up.ExecContext(ctx, d.tenantID, t, n); err != nil {
			return err
		}
		if n < 0 {
			if _, err := del.ExecContext(ctx, d.tenantID, t); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM lexical_stats WHERE tenant_id = ? AND chunks <= 0`, d.tenantID)
	return err
}
