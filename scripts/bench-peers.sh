#!/usr/bin/env bash
# bench-peers.sh measures ragkb's retrieval side by side with bleve,
# chromem-go and their RRF glue (bench/peers, a separate Go module so the
# ragkb binary never depends on its peers) and writes the
# "## Retrieval vs peers" section of BENCHMARKS.md, leaving the other
# sections as they are. Extra arguments go to the benchmark, e.g.
#   scripts/bench-peers.sh -shapes faq,long -systems ragkb,bleve
#
# With an embedding server (RAGKB_BENCH_EMBEDDING_URL, else
# RAGKB_TEST_EMBEDDING_URL: scripts/test-services.sh embedder) it also runs
# the semantic section: ragkb, chromem-go and, in Python, chromadb and bm25s,
# all with that server's vectors. The Python peers live in a venv under
# ${RAGKB_CACHE_DIR:-/var/cache/ragkb}/peers-venv, made here with pip; if
# that fails the section says so and the rest still runs.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMADB_VERSION=1.5.9
BM25S_VERSION=0.3.16
PYSTEMMER_VERSION=3.1.0

# peers_python prints a Python that has chromadb and bm25s (PyStemmer when it
# installs), or nothing.
peers_python() {
	local cache=${RAGKB_CACHE_DIR:-/var/cache/ragkb}
	mkdir -p "$cache" 2>/dev/null || cache=$HOME/.cache/ragkb
	local venv=$cache/peers-venv py=$cache/peers-venv/bin/python
	if ! "$py" -c "import chromadb, bm25s; assert chromadb.__version__ == '$CHROMADB_VERSION' and bm25s.__version__ == '$BM25S_VERSION'" 2>/dev/null; then
		echo "bench-peers: installing chromadb==$CHROMADB_VERSION bm25s==$BM25S_VERSION into $venv" >&2
		if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check \
			"chromadb==$CHROMADB_VERSION" "bm25s==$BM25S_VERSION"; } >&2; then
			echo "bench-peers: pip install failed: the semantic section runs without the Python peers" >&2
			return 0
		fi
	fi
	"$py" -c "import Stemmer" 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check "PyStemmer==$PYSTEMMER_VERSION" >&2 ||
		echo "bench-peers: PyStemmer did not install: bm25s runs without a stemmer (its row says so)" >&2
	echo "$py"
}

sem=()
emb=${RAGKB_BENCH_EMBEDDING_URL:-${RAGKB_TEST_EMBEDDING_URL:-}}
if [ -n "$emb" ]; then
	sem=(-embedding-url "$emb" -python "$(peers_python)")
fi

out=BENCHMARKS.md
sec=$(mktemp)
trap 'rm -f "$sec" "$sec.new"' EXIT
(cd bench/peers && go run . -data "$PWD/../../../shared/data/banking77" -intents "$PWD/../../answer/intent/builtins" -out "$sec" ${sem[@]+"${sem[@]}"} "$@")

# Replace the section (from its heading to the next "## " heading) or append it.
touch "$out"
awk -v secfile="$sec" '
	BEGIN { while ((getline l < secfile) > 0) s = s l "\n" }
	/^## Retrieval vs peers$/ { printf "%s", s; skip = 1; done = 1; next }
	skip && /^## / { skip = 0 }
	!skip { print }
	END { if (!done) printf "\n%s", s }
' "$out" > "$sec.new"
mv "$sec.new" "$out"
echo "bench-peers: wrote the \"Retrieval vs peers\" section of $out" >&2
