# ragkb — see README.md.
GO ?= go
PKGS := ./...

.PHONY: run build test test-short bench vet fmt

## run: start the service on the embedded default (SQLite + embedded vector index + local embedder)
run:
	$(GO) run ./cmd/ragkb serve

build:
	$(GO) build -o bin/ragkb ./cmd/ragkb

## test: every test, with PostgreSQL + pgvector prepared by scripts/test-services.sh
test:
	@set -e; \
	url=$$(scripts/test-services.sh) || { echo "make test: PostgreSQL test services unavailable" >&2; if [ "$$CI" = "true" ]; then exit 1; fi; url=""; }; \
	export RAGKB_TEST_DATABASE_URL="$$url"; \
	status=0; \
	$(GO) vet $(PKGS) || status=$$?; \
	if [ $$status -eq 0 ]; then $(GO) test -count=1 -timeout 15m $(PKGS) || status=$$?; fi; \
	if [ -n "$$url" ]; then scripts/test-services.sh drop "$$url" || true; fi; \
	exit $$status

test-short:
	$(GO) test -short -count=1 $(PKGS)

## bench: run the benchmarks and rewrite BENCHMARKS.md
bench:
	scripts/bench.sh

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
