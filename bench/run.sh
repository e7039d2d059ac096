#!/bin/sh
# Runs the inspection benchmark: dbtool inspect against the database's own
# schema dump on generated schemas of 100, 1000 and 5000 tables (see
# bench/README.md). Arguments go to the Go program, e.g.
#
#   bench/run.sh                      # SQLite, against sqlite3 .schema
#   bench/run.sh -db postgres         # PostgreSQL, against pg_dump --schema-only
#   bench/run.sh -sizes 100,1000 -runs 3
#
# The reference commands are installed from Debian's packages when missing.
set -eu
cd "$(dirname "$0")/.."

db=sqlite
prev=
for arg in "$@"; do
	case "$prev" in -db | --db) db=$arg ;; esac
	case "$arg" in -db=* | --db=*) db=${arg#*=} ;; esac
	prev=$arg
done

install() {
	echo "bench: installing $*" >&2
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
	elif command -v sudo >/dev/null; then
		sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
	else
		echo "bench: $* is missing and cannot be installed without root" >&2
		exit 1
	fi
}

case "$db" in
sqlite)
	command -v sqlite3 >/dev/null || install sqlite3
	;;
postgres)
	command -v pg_dump >/dev/null || install postgresql postgresql-client
	;;
esac

exec go run ./bench/inspect "$@"
