#!/usr/bin/env bash
# test-services.sh prepares the services the PostgreSQL tests need and prints
# the URL of a throwaway database on stdout (and nothing else; logs go to stderr):
#
#   export RAGKB_TEST_DATABASE_URL=$(scripts/test-services.sh)
#   scripts/test-services.sh drop "$RAGKB_TEST_DATABASE_URL"
#
# It is idempotent and meant for a Debian 12 machine, run as root (CI=true in CI):
#   1. PostgreSQL 15 must run at 127.0.0.1:5432 (started with pg_ctlcluster if
#      not; installed with apt-get and its cluster created if missing).
#   2. pgvector is installed unless CREATE EXTENSION vector already works: it is
#      built from Debian trixie's source package (apt-get source pgvector) with a
#      private deb-src list and private apt lists, so the machine's own apt
#      configuration and package lists are left untouched.
#   3. A role ragkb_test (password ragkb_test, CREATEDB) and a database
#      ragkb_test_<random> owned by it, with the vector and unaccent extensions.
set -euo pipefail

PG_VERSION=15
PG_HOST=127.0.0.1
PG_PORT=5432
PG_CONFIG=/usr/lib/postgresql/${PG_VERSION}/bin/pg_config
TEST_ROLE=ragkb_test
TEST_PASSWORD=ragkb_test
CACHE_DIR=${RAGKB_CACHE_DIR:-/var/cache/ragkb}

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

apt_install() {
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; then
		as_root apt-get update -q >&2
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
	fi
}

ensure_postgres() {
	if command -v pg_isready >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
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
	for _ in $(seq 1 30); do
		pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && return
		sleep 1
	done
	die "PostgreSQL is not accepting connections at $PG_HOST:$PG_PORT"
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
	as_root apt-get "${aptopts[@]}" update -q >&2

	local dir
	dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sort | tail -n 1)
	if [ -z "$dir" ]; then
		(cd "$work" && as_root apt-get "${aptopts[@]}" source -q pgvector >&2)
		dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | sort | tail -n 1)
	fi
	[ -n "$dir" ] || die "apt-get source pgvector produced no pgvector-* directory in $work"
	log "compiling $(basename "$dir")"
	# OPTFLAGS="" avoids -march=native so the build also runs on other CPUs of a CI fleet.
	as_root make -C "$dir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >&2
	as_root make -C "$dir" PG_CONFIG="$PG_CONFIG" install >&2
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

main() {
	case "${1:-}" in
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
	*)
		die "usage: $0 [drop <database url>]"
		;;
	esac
}

main "$@"
