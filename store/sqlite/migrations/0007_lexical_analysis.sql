-- chunks.analyzed holds a chunk's title and text as the lexical index
-- holds them (store.IndexTerms: folded, split, stemmed in the chunk's
-- language; title terms, a newline, text terms), so BM25 scores candidates
-- without analysing their text again. lexical_analysis records the
-- store.AnalysisVersion the full-text index, lexical_terms and
-- chunks.analyzed were built with: on open, the store re-analyses every
-- chunk when it differs (the index before this migration is version 1).
ALTER TABLE chunks ADD COLUMN analyzed TEXT NOT NULL DEFAULT '';

CREATE TABLE lexical_analysis (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO lexical_analysis (id, version) VALUES (1, 1);
