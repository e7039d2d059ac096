#!/bin/sh
# Runs the apply benchmark: dbtool migrate apply and create-all from an
# empty database against psql -1 / sqlite3 running the same statements, on
# generated schemas of 1000 and 5000 tables (see bench/README.md).
# Arguments go to the Go program, e.g.
#
#   bench/run-apply.sh                       # SQLite, against sqlite3 < script
#   bench/run-apply.sh -db postgres          # PostgreSQL, against psql -X -q -1 -f
#   bench/run-apply.sh -sizes 1000 -runs 3   # quicker
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
	command -v psql >/dev/null || install postgresql postgresql-client
	;;
esac

exec go run ./bench/apply "$@"
