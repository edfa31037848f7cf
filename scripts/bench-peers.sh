#!/usr/bin/env bash
# bench-peers.sh measures ragkb's retrieval side by side with bleve,
# chromem-go and their RRF glue (bench/peers, a separate Go module so the
# ragkb binary never depends on its peers) and writes the
# "## Retrieval vs peers" section of BENCHMARKS.md, leaving the other
# sections as they are. Extra arguments go to the benchmark, e.g.
#   scripts/bench-peers.sh -shapes faq,long -systems ragkb,bleve
set -euo pipefail
cd "$(dirname "$0")/.."

out=BENCHMARKS.md
sec=$(mktemp)
trap 'rm -f "$sec" "$sec.new"' EXIT
(cd bench/peers && go run . -data "$PWD/../../../shared/data/banking77" -intents "$PWD/../../answer/intent/builtins" -out "$sec" "$@")

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
