package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/ragkb/ragkb"
	"github.com/ragkb/ragkb/embed"
)

// languageCorpus builds, from the intent lane's built-in examples
// (answer/intent/builtins, 18 shop intents written in en, pl, de, it, fr,
// es), one document per example of language lang for half the examples
// (fold 0: even positions, 1: odd) and asks the other half. lang "-" keeps
// the documents' language unknown (no stemming on the index side).
func languageCorpus(dir, lang string, fold int, unknown bool) (*corpus, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no built-in intents in %s", dir)
	}
	sort.Strings(files)
	c := &corpus{Shape: "lang-" + lang}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var in struct {
			Name     string              `json:"name"`
			Examples map[string][]string `json:"examples"`
		}
		if err := json.Unmarshal(b, &in); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for i, ex := range in.Examples[lang] {
			if i%2 == fold {
				d := doc{ID: fmt.Sprintf("%s-%d", in.Name, i), Label: in.Name, Title: ex, Text: ex, Kind: ragkb.DocQA, Lang: lang}
				if unknown {
					d.Lang = "-"
				}
				c.Docs = append(c.Docs, d)
			} else {
				c.Queries = append(c.Queries, query{Text: ex, Label: in.Name})
			}
		}
	}
	return c, nil
}

// runLanguages measures ragkb's lexical top-1 per language with the
// documents' language known (stemmed) and unknown (not stemmed).
func runLanguages(dir string, w io.Writer) error {
	ctx := context.Background()
	fmt.Fprintln(w, "| language | questions | lexical top-1, language unknown (no stems) | lexical top-1, language known (stems) | hybrid top-1, unknown | hybrid top-1, known |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, lang := range []string{"en", "pl", "de", "it", "fr", "es"} {
		var n int
		var top [2][2]int // [unknown/known][lexical/hybrid]
		for fold := range 2 {
			for k, unknown := range []bool{true, false} {
				c, err := languageCorpus(dir, lang, fold, unknown)
				if err != nil {
					return err
				}
				s := &ragkbSystem{emb: embed.NewLocal(embed.LocalConfig{})}
				tmp, err := os.MkdirTemp("", "ragkb-lang-")
				if err != nil {
					return err
				}
				if err := s.index(ctx, tmp, c.Docs); err != nil {
					return err
				}
				label := map[string]string{}
				for _, d := range c.Docs {
					label[d.ID] = d.Label
				}
				se := s.searchers()
				for _, q := range c.Queries {
					if k == 0 {
						n++
					}
					for j, idx := range []int{1, 0} { // lexical, hybrid
						ids, err := se[idx].search(ctx, q.Text, 10)
						if err != nil {
							return err
						}
						if ids, err = s.resolve(ctx, ids); err != nil {
							return err
						}
						if len(ids) > 0 && label[ids[0]] == q.Label {
							top[k][j]++
						}
					}
				}
				s.close()
				os.RemoveAll(tmp)
			}
		}
		pct := func(x int) string { return fmt.Sprintf("%.1f%%", 100*float64(x)/float64(max(n, 1))) }
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", lang, n, pct(top[0][0]), pct(top[1][0]), pct(top[0][1]), pct(top[1][1]))
	}
	return nil
}
