package main

import (
	"context"
	"testing"

	"github.com/ragkb/ragkb/embed"
)

// BenchmarkSearch times one question of the BANKING77 test set per
// iteration against each system on the FAQ shape (77 documents), in
// process: go test -bench Search -cpuprofile cpu.out profiles ragkb's path.
func BenchmarkSearch(b *testing.B) {
	c, err := loadCorpus("../../../shared/data/banking77", "faq", 0)
	if err != nil {
		b.Skip(err)
	}
	for _, name := range []string{"ragkb", "bleve", "chromem", "glue"} {
		s, err := newSystem(name, embed.NewLocal(embed.LocalConfig{}))
		if err != nil {
			b.Fatal(err)
		}
		if err := s.index(context.Background(), b.TempDir(), c.Docs); err != nil {
			b.Fatal(err)
		}
		for _, se := range s.searchers() {
			b.Run(se.name, func(b *testing.B) {
				i := 0
				for b.Loop() {
					if _, err := se.search(context.Background(), c.Queries[i%len(c.Queries)].Text, 10); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
		s.close()
	}
}
