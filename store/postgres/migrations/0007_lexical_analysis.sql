-- chunks.tsv is now written by ragkb (store.IndexTerms: folded, split and
-- stemmed in the chunk's language, the title's lexemes weighted A), the
-- same analysis the SQLite store and the queries use, instead of being
-- generated with the "simple" configuration. lexical_analysis records the
-- store.AnalysisVersion tsv was built with: on open, the store re-analyses
-- every chunk when it differs (rows from before this migration have no tsv
-- until then; version 1 was the generated column).
ALTER TABLE chunks DROP COLUMN tsv;
ALTER TABLE chunks ADD COLUMN tsv tsvector;
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);

CREATE TABLE lexical_analysis (
	id      integer PRIMARY KEY CHECK (id = 1),
	version integer NOT NULL
);
INSERT INTO lexical_analysis (id, version) VALUES (1, 1);
