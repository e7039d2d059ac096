#!/bin/sh
# Runs a benchmark (see bench/README.md). Arguments go to the Go program:
#
#   bench/run.sh                          # inspect, SQLite, against sqlite3 .schema
#   bench/run.sh -db postgres             # inspect, PostgreSQL, against pg_dump --schema-only
#   bench/run.sh -sizes 100,1000 -runs 3
#   bench/run.sh -command plan            # migrate plan beside inspect and the reference
#   bench/run.sh apply [-db postgres]     # migrate apply and create-all from an empty database,
#                                         # against sqlite3 < script / psql -1 -f
#
# The reference commands are installed from Debian's packages when missing.
set -eu
cd "$(dirname "$0")/.."

program=./bench/inspect
if [ "${1:-}" = apply ]; then
	program=./bench/apply
	shift
fi

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
	{ command -v pg_dump >/dev/null && command -v psql >/dev/null; } || install postgresql postgresql-client
	;;
esac

exec go run "$program" "$@"
