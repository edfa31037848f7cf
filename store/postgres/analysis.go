package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ragkb/ragkb/store"
)

// PostgreSQL's limits on a tsvector lexeme and its positions.
const (
	maxLexemeBytes = 2046
	maxPosition    = 16383
	maxPositions   = 255
)

// chunkVector is a chunk's tsv: the store.IndexTerms of its title (with
// positions weighted A, as many as PostgreSQL keeps) and of its text
// (without positions: the ranking only asks whether a lexeme is there, and
// whether it is in the title).
func chunkVector(title, text, lang string) pgtype.TSVector {
	pos := map[string][]pgtype.TSVectorPosition{}
	for i, t := range store.IndexTerms(title, lang) {
		if len(t) > maxLexemeBytes {
			continue
		}
		if p := pos[t]; len(p) < maxPositions && i < maxPosition {
			pos[t] = append(p, pgtype.TSVectorPosition{Position: uint16(i + 1), Weight: pgtype.TSVectorWeightA})
		} else if p == nil {
			pos[t] = []pgtype.TSVectorPosition{}
		}
	}
	for _, t := range store.IndexTerms(text, lang) {
		if _, ok := pos[t]; !ok && len(t) <= maxLexemeBytes {
			pos[t] = nil
		}
	}
	v := pgtype.TSVector{Valid: true, Lexemes: make([]pgtype.TSVectorLexeme, 0, len(pos))}
	for w, p := range pos {
		v.Lexemes = append(v.Lexemes, pgtype.TSVectorLexeme{Word: w, Positions: p})
	}
	slices.SortFunc(v.Lexemes, func(a, b pgtype.TSVectorLexeme) int { return compareLexemes(a.Word, b.Word) })
	return v
}

// compareLexemes orders lexemes as PostgreSQL does (length, then bytes).
func compareLexemes(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// reanalyze rebuilds chunks.tsv when it was built with another
// store.AnalysisVersion (an older ragkb), in one transaction that holds
// the version row, so concurrent instances do it once and a failure leaves
// the old vectors.
func (s *Store) reanalyze(ctx context.Context) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: re-analyse: %w", err)
	}
	defer tx.Rollback(ctx)
	var version int
	if err := tx.QueryRow(ctx, `SELECT version FROM lexical_analysis WHERE id = 1 FOR UPDATE`).Scan(&version); err != nil {
		return fmt.Errorf("postgres: read lexical analysis version: %w", err)
	}
	if version == store.AnalysisVersion {
		return nil
	}
	start, n, after := time.Now(), 0, ""
	for {
		type row struct{ id, title, text, lang string }
		rows, _ := tx.Query(ctx, `SELECT id, title, text, language FROM chunks WHERE id > $1 ORDER BY id LIMIT 1000`, after)
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			err := r.Scan(&x.id, &x.title, &x.text, &x.lang)
			return x, err
		})
		if err != nil {
			return fmt.Errorf("postgres: re-analyse: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		var b pgx.Batch
		for _, r := range batch {
			b.Queue(`UPDATE chunks SET tsv = $2 WHERE id = $1`, r.id, chunkVector(r.title, r.text, r.lang))
		}
		if err := tx.SendBatch(ctx, &b).Close(); err != nil {
			return fmt.Errorf("postgres: re-analyse: %w", err)
		}
		after = batch[len(batch)-1].id
		n += len(batch)
	}
	if _, err := tx.Exec(ctx, `UPDATE lexical_analysis SET version = $1 WHERE id = 1`, store.AnalysisVersion); err != nil {
		return fmt.Errorf("postgres: re-analyse: %w", err)
	}
	if err := tx.Commit(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("postgres: re-analyse: %w", err)
	}
	s.log.Info("postgres: re-analysed the lexical index", "from", version, "to", store.AnalysisVersion, "chunks", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
