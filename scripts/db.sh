#!/usr/bin/env bash
# scripts/db.sh — find (or start) a PostgreSQL server for Fabrique and print
# a DATABASE_URL that answers. Only the URL goes to stdout (last line);
# every message goes to stderr, so `DATABASE_URL=$(scripts/db.sh)` works.
#
# Usage:
#   scripts/db.sh          print a working DATABASE_URL (default)
#   scripts/db.sh stop     stop the project-local cluster, if one runs
#   scripts/db.sh status   tell whether the project-local cluster runs
#
# Order of attempts:
#   1. $DATABASE_URL if set: wait for it, create its database if missing,
#      or fail.
#   2. $FABRIQUE_DEFAULT_URL (postgres://postgres@127.0.0.1:5432/fabrique):
#      used if the server answers and lets user postgres in.
#   3. A project-local cluster under .data/pg (port $FABRIQUE_PG_PORT, 5433),
#      started with the PostgreSQL server binaries installed on the machine.
#   4. Otherwise: one sentence telling what to install, exit 1.
#
# Variables (all optional):
#   DATABASE_URL          use this server and database, nothing else
#   FABRIQUE_DEFAULT_URL  URL tried before starting a local cluster
#   FABRIQUE_PG_PORT      port of the project-local cluster (5433)
#   FABRIQUE_PG_DIR       base folder of the local cluster (.data)
#   FABRIQUE_PG_OSUSER    OS user that owns the cluster when run as root
#                         (postgres if it exists, else fabrique-pg)
#   FABRIQUE_DB_WAIT      seconds to wait for $DATABASE_URL to answer (15)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DEFAULT_URL=${FABRIQUE_DEFAULT_URL:-postgres://postgres@127.0.0.1:5432/fabrique?sslmode=disable}
LOCAL_PORT=${FABRIQUE_PG_PORT:-5433}
LOCAL_DB=fabrique
WAIT=${FABRIQUE_DB_WAIT:-15}
MIN_MAJOR=15

export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5}

log() { printf 'db.sh: %s\n' "$*" >&2; }
die() { printf 'db.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers

# Directories holding PostgreSQL binaries, newest major version first.
pg_bin_dirs() {
	local d
	{
		if d=$(command -v pg_ctl 2>/dev/null); then
			d=$(readlink -f "$d" 2>/dev/null || printf '%s' "$d")
			dirname "$d"
		fi
		for d in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin /opt/homebrew/opt/postgresql@*/bin /usr/local/opt/postgresql@*/bin; do
			[ -d "$d" ] && printf '%s\n' "$d"
		done
	} | awk '!seen[$0]++' | while read -r d; do
		[ -x "$d/pg_ctl" ] || continue
		printf '%s %s\n' "$(bin_major "$d")" "$d"
	done | sort -s -k1,1nr | cut -d' ' -f2-
}

# Major version of the pg_ctl in directory $1 (e.g. 15), 0 if unknown.
bin_major() {
	local v
	v=$("$1/pg_ctl" --version 2>/dev/null | sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p' | head -n1)
	printf '%s' "${v:-0}"
}

# A client tool (psql, pg_isready) from PATH or from a server bin dir.
PSQL=""
ISREADY=""
find_clients() {
	local d
	PSQL=$(command -v psql 2>/dev/null || true)
	ISREADY=$(command -v pg_isready 2>/dev/null || true)
	if [ -z "$PSQL" ] || [ -z "$ISREADY" ]; then
		while read -r d; do
			[ -n "$d" ] || continue
			[ -z "$PSQL" ] && [ -x "$d/psql" ] && PSQL="$d/psql"
			[ -z "$ISREADY" ] && [ -x "$d/pg_isready" ] && ISREADY="$d/pg_isready"
		done < <(pg_bin_dirs)
	fi
	return 0
}

# URL helpers. Only the URL form (postgres://...) is handled for rewriting;
# a key=value conninfo gets " dbname=X" appended (the last keyword wins).
is_url() { case $1 in postgres://* | postgresql://*) return 0 ;; *) return 1 ;; esac; }

url_dbname() {
	local u=$1 rest
	if is_url "$u"; then
		rest=${u#*://}
		rest=${rest%%\?*}
		case $rest in */*) rest=${rest#*/} ;; *) rest="" ;; esac
		# percent-decode
		printf '%b' "${rest//%/\\x}"
	else
		printf '%s' "$u" | sed -n "s/.*dbname=\([^ ']*\).*/\1/p"
	fi
}

url_with_db() {
	local u=$1 db=$2 scheme rest auth query=""
	if is_url "$u"; then
		scheme=${u%%://*}
		rest=${u#*://}
		case $rest in *\?*) query="?${rest#*\?}" rest=${rest%%\?*} ;; esac
		auth=${rest%%/*}
		printf '%s://%s/%s%s' "$scheme" "$auth" "$db" "$query"
	else
		printf '%s dbname=%s' "$u" "$db"
	fi
}

# Does a server answer at URL $1? (does not check auth nor database)
answers() {
	local u=$1 hp host port
	if [ -n "$ISREADY" ]; then
		"$ISREADY" -q -t 3 -d "$u" >/dev/null 2>&1
		return
	fi
	# No pg_isready: try a TCP connection to host:port of a URL.
	is_url "$u" || return 1
	hp=${u#*://}
	hp=${hp%%[/?]*}
	hp=${hp##*@}
	host=${hp%%:*}
	port=5432
	case $hp in *:*) port=${hp##*:} ;; esac
	[ -n "$host" ] || host=127.0.0.1
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 3 bash -c ': >"/dev/tcp/$1/$2"' _ "$host" "$port" >/dev/null 2>&1
}

# Make sure the database named in URL $1 exists, creating it through the
# `postgres` maintenance database of the same server. Returns 1 (with the
# server's error on stderr) if the server cannot be logged into.
# Server messages may be localised: decisions never parse them.
db_exists() { # $1 maintenance URL, $2 database name; prints t or f
	printf "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') THEN 't' ELSE 'f' END;\n" |
		"$PSQL" -X -w -q -A -t -v ON_ERROR_STOP=1 -v db="$2" -d "$1"
}

ensure_db() {
	local u=$1 db maint err exists
	db=$(url_dbname "$u")
	if [ -z "$PSQL" ]; then
		log "psql not found: cannot check that database '${db:-?}' exists on $u"
		return 0
	fi
	if err=$("$PSQL" -X -w -q -d "$u" -c 'SELECT 1' 2>&1 >/dev/null); then
		return 0
	fi
	if [ -z "$db" ]; then
		printf '%s\n' "$err" >&2
		return 1
	fi
	maint=$(url_with_db "$u" postgres)
	if ! exists=$(db_exists "$maint" "$db" 2>&1); then
		printf '%s\n' "$exists" >&2
		return 1
	fi
	if [ "$exists" = t ]; then
		# The database is there: the first error was about something else.
		printf '%s\n' "$err" >&2
		return 1
	fi
	log "creating database $db"
	if ! err=$(printf 'CREATE DATABASE :"db";\n' |
		"$PSQL" -X -w -q -v ON_ERROR_STOP=1 -v db="$db" -d "$maint" 2>&1 >/dev/null); then
		# Someone else may have created it meanwhile.
		if [ "$(db_exists "$maint" "$db" 2>/dev/null)" != t ]; then
			printf '%s\n' "$err" >&2
			return 1
		fi
	fi
	"$PSQL" -X -w -q -d "$u" -c 'SELECT 1' >/dev/null
}

# ------------------------------------------------- project-local cluster

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
OSUSER=""

pick_osuser() {
	local owner
	[ "$IS_ROOT" -eq 1 ] || return 0
	# An existing cluster keeps the owner it has.
	if [ -n "$PGDATA_DIR" ] && [ -d "$PGDATA_DIR" ] &&
		owner=$(stat -c %U "$PGDATA_DIR" 2>/dev/null) && [ "$owner" != root ] && [ "$owner" != UNKNOWN ]; then
		OSUSER=$owner
	elif [ -n "${FABRIQUE_PG_OSUSER:-}" ]; then
		OSUSER=$FABRIQUE_PG_OSUSER
	elif id postgres >/dev/null 2>&1; then
		OSUSER=postgres
	else
		OSUSER=fabrique-pg
	fi
}

ensure_osuser() {
	[ "$IS_ROOT" -eq 1 ] || return 0
	id "$OSUSER" >/dev/null 2>&1 && return 0
	command -v useradd >/dev/null 2>&1 || die "cannot create user $OSUSER (no useradd); set FABRIQUE_PG_OSUSER to an unprivileged user."
	log "creating system user $OSUSER to own the local PostgreSQL cluster (PostgreSQL refuses to run as root)"
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
		--shell /usr/sbin/nologin "$OSUSER" >&2
}

# Run a command as the cluster owner (as is when not root). From / when
# root, as the owner may not be allowed into the current folder.
as_owner() {
	if [ "$IS_ROOT" -eq 0 ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		(cd / && runuser -u "$OSUSER" -- "$@")
	elif command -v setpriv >/dev/null 2>&1; then
		(cd / && setpriv --reuid="$OSUSER" --regid="$(id -g "$OSUSER")" --init-groups -- "$@")
	else
		# shellcheck disable=SC2016 # expanded by the inner shell
		(cd / && su -s /bin/sh "$OSUSER" -c '"$0" "$@"' -- "$@")
	fi
}

# Base folder of the cluster: $FABRIQUE_PG_DIR, else .data in the repo,
# else (when root and the cluster owner cannot reach the repo, e.g. under
# /root) /tmp/fabrique-pg-<hash of repo path>.
repo_base() { printf '%s' "${FABRIQUE_PG_DIR:-$ROOT/.data}"; }
tmp_base() {
	local h
	h=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
	printf '/tmp/fabrique-pg-%s' "$h"
}

# Can the cluster owner reach and write directory $1?
owner_can_use() {
	[ "$IS_ROOT" -eq 1 ] || return 0
	# shellcheck disable=SC2016 # expanded by the inner shell
	as_owner sh -c 'cd "$1" && test -w . && test -x .' _ "$1" >/dev/null 2>&1
}

# Existing cluster's base, if any (for stop/status/reuse).
existing_base() {
	local b
	for b in "$(repo_base)" "$(tmp_base)"; do
		if [ -f "$b/pg/PG_VERSION" ]; then
			printf '%s' "$b"
			return 0
		fi
	done
	return 1
}

# Create dir $1 owned by the cluster owner, mode 0700.
owned_dir() {
	mkdir -p "$1"
	if [ "$IS_ROOT" -eq 1 ]; then chown "$OSUSER:" "$1"; fi
	chmod 0700 "$1"
}

BASE=""
PGDATA_DIR=""
SOCK_DIR=""
LOG_FILE=""
set_paths() {
	BASE=$1
	PGDATA_DIR=$BASE/pg
	SOCK_DIR=$BASE/run
	LOG_FILE=$BASE/pg.log
}

choose_base() {
	local b
	if b=$(existing_base); then
		set_paths "$b"
		return 0
	fi
	b=$(repo_base)
	mkdir -p "$b"
	if [ "$IS_ROOT" -eq 1 ]; then
		# Probe with a folder owned by the cluster owner.
		owned_dir "$b/pg"
		if ! owner_can_use "$b/pg"; then
			rmdir "$b/pg" 2>/dev/null || true
			b=$(tmp_base)
			log "user $OSUSER cannot reach $(repo_base) (parent folders not traversable); putting the cluster under $b instead"
			if [ -L "$b" ] || { [ -e "$b" ] && [ ! -d "$b" ]; }; then
				die "$b exists and is not a plain folder; remove it or set FABRIQUE_PG_DIR."
			fi
			mkdir -p "$b"
			chmod 0755 "$b"
		fi
	fi
	set_paths "$b"
}

# postmaster.pid line 4 is the port of a running cluster.
running_port() {
	[ -f "$PGDATA_DIR/postmaster.pid" ] || return 1
	sed -n 4p "$PGDATA_DIR/postmaster.pid"
}

bin_for_cluster() {
	local want d
	if [ -f "$PGDATA_DIR/PG_VERSION" ]; then
		want=$(cat "$PGDATA_DIR/PG_VERSION")
		while read -r d; do
			[ -n "$d" ] || continue
			if [ "$(bin_major "$d")" = "$want" ] && [ -x "$d/initdb" ]; then
				printf '%s' "$d"
				return 0
			fi
		done < <(pg_bin_dirs)
		log "the local cluster in $PGDATA_DIR is PostgreSQL $want, whose binaries are not installed; remove $BASE or install PostgreSQL $want."
		exit 2
	fi
	while read -r d; do
		[ -n "$d" ] || continue
		if [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && [ "$(bin_major "$d")" -ge "$MIN_MAJOR" ]; then
			printf '%s' "$d"
			return 0
		fi
	done < <(pg_bin_dirs)
	return 1
}

cluster_running() {
	[ -f "$PGDATA_DIR/PG_VERSION" ] || return 1
	as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

init_cluster() {
	local loc=C
	local sockets="'$SOCK_DIR'"
	if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then loc=C.UTF-8; fi
	# Unix socket paths are limited to ~107 bytes: TCP only if too long.
	if [ "${#SOCK_DIR}" -gt 90 ]; then sockets="''"; fi
	log "initialising a project-local PostgreSQL $(bin_major "$BIN") cluster in $PGDATA_DIR"
	owned_dir "$PGDATA_DIR"
	as_owner "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
		--encoding=UTF8 --locale="$loc" >"$BASE/initdb.log" 2>&1 ||
		{ cat "$BASE/initdb.log" >&2; die "initdb failed (log above)."; }
	# A throwaway development/test cluster: durability traded for speed.
	# shellcheck disable=SC2016 # expanded by the inner shell
	as_owner sh -c 'cat >>"$1/postgresql.conf"' _ "$PGDATA_DIR" <<EOF

# --- added by scripts/db.sh (development cluster, not for real data) ---
listen_addresses = '127.0.0.1'
port = $LOCAL_PORT
unix_socket_directories = $sockets
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start_cluster() {
	owned_dir "$SOCK_DIR"
	if [ "$IS_ROOT" -eq 1 ]; then
		touch "$LOG_FILE"
		chown "$OSUSER:" "$LOG_FILE"
	fi
	log "starting the local cluster on 127.0.0.1:$LOCAL_PORT (log: $LOG_FILE)"
	if ! as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 \
		-o "-p $LOCAL_PORT" start >/dev/null 2>&1; then
		tail -n 15 "$LOG_FILE" >&2 || true
		die "the local PostgreSQL cluster did not start (log above, in $LOG_FILE); is port $LOCAL_PORT taken? set FABRIQUE_PG_PORT to another one."
	fi
}

local_cluster_url() {
	local port url b
	if b=$(existing_base); then set_paths "$b"; fi
	pick_osuser
	BIN=$(bin_for_cluster) || exit $?
	ensure_osuser
	choose_base
	if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
		init_cluster
	fi
	if cluster_running; then
		log "reusing the local cluster in $PGDATA_DIR"
	else
		start_cluster
	fi
	port=$(running_port) || port=$LOCAL_PORT
	url="postgres://postgres@127.0.0.1:$port/$LOCAL_DB?sslmode=disable"
	ensure_db "$url" || die "the local cluster in $PGDATA_DIR runs but refused the connection (see above)."
	printf '%s\n' "$url"
}

stop_cluster() {
	local b
	if ! b=$(existing_base); then
		log "no project-local cluster found"
		return 0
	fi
	set_paths "$b"
	pick_osuser
	BIN=$(bin_for_cluster) || exit $?
	if cluster_running; then
		as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
		log "stopped the local cluster in $PGDATA_DIR"
	else
		log "the local cluster in $PGDATA_DIR is not running"
	fi
}

status_cluster() {
	local b
	if ! b=$(existing_base); then
		log "no project-local cluster found"
		return 3
	fi
	set_paths "$b"
	pick_osuser
	BIN=$(bin_for_cluster) || exit $?
	if cluster_running; then
		log "the local cluster in $PGDATA_DIR runs on 127.0.0.1:$(running_port)"
	else
		log "the local cluster in $PGDATA_DIR is not running"
		return 3
	fi
}

# ------------------------------------------------------------------ main

main() {
	local cmd=${1:-url} deadline said=0
	case $cmd in
	stop) stop_cluster; return ;;
	status) status_cluster; return ;;
	url) ;;
	-h | --help | help)
		sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
		return 0
		;;
	*) die "unknown command '$cmd' (expected: url, stop, status)." ;;
	esac

	find_clients

	# 1. An explicit DATABASE_URL: that one or nothing.
	if [ -n "${DATABASE_URL:-}" ]; then
		deadline=$((SECONDS + WAIT))
		until answers "$DATABASE_URL"; do
			if [ "$SECONDS" -ge "$deadline" ]; then
				die "DATABASE_URL is set but no PostgreSQL server answers there after ${WAIT}s; start that server or unset DATABASE_URL."
			fi
			if [ "$said" -eq 0 ]; then
				log "waiting up to ${WAIT}s for the server of DATABASE_URL to answer..."
				said=1
			fi
			sleep 1
		done
		ensure_db "$DATABASE_URL" ||
			die "the server of DATABASE_URL answers but refused the connection (see above); fix DATABASE_URL."
		printf '%s\n' "$DATABASE_URL"
		return 0
	fi

	# 2. The usual server on 127.0.0.1:5432.
	if answers "$DEFAULT_URL"; then
		if ensure_db "$DEFAULT_URL"; then
			printf '%s\n' "$DEFAULT_URL"
			return 0
		fi
		log "a server answers at $DEFAULT_URL but refused the connection; trying a project-local cluster instead"
	fi

	# 3. A project-local cluster with the installed server binaries.
	if [ -n "$(pg_bin_dirs)" ] && { existing_base >/dev/null || bin_for_cluster >/dev/null; }; then
		local_cluster_url
		return 0
	fi

	# 4. Nothing to work with.
	die "no PostgreSQL server answers and no PostgreSQL >= $MIN_MAJOR server binaries are installed: install PostgreSQL (e.g. 'apt-get install postgresql') or run 'docker compose up -d db'."
}

main "$@"
