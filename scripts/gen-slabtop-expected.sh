#!/bin/sh
# Regenerates test/fixtures/slabtop-expected/ from the real procps-ng slabtop (run as root).
#
# For every test/fixtures/slabinfo/*.txt and every sort key (a b c l v n o p s u, plus `z`, an
# unknown key, and `N`, an upper-case one), slabtop -o -s KEY reads the fixture through a bind
# mount over /proc/slabinfo in a private mount namespace, and its output is written to
# <fixture>.<key>.txt. A fixture slabtop rejects gets <fixture>.rejected.txt instead: its exit
# status and standard error. The C locale keeps the name sort byte-wise (strcoll).
#
# usage: sudo scripts/gen-slabtop-expected.sh [SLABTOP]     (default /usr/bin/slabtop)
set -eu

slabtop=${1:-/usr/bin/slabtop}
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures=$root/test/fixtures/slabinfo
expected=$root/test/fixtures/slabtop-expected
keys='a b c l v n o p s u z N'

if [ "$(id -u)" -ne 0 ]; then
	echo "gen-slabtop-expected.sh: run as root (it bind-mounts files over /proc/slabinfo)" >&2
	exit 1
fi
"$slabtop" -V >/dev/null

mkdir -p "$expected"
rm -f "$expected"/*.txt
version=$("$slabtop" -V)
printf '%s\n' "$version" >"$expected/VERSION"

for fixture in "$fixtures"/*.txt; do
	name=$(basename "$fixture" .txt)
	for key in $keys; do
		out=$expected/$name.$key.txt
		err=$(mktemp)
		status=0
		unshare -m sh -c 'mount --bind "$1" /proc/slabinfo && LC_ALL=C exec "$2" -o -s "$3"' \
			sh "$fixture" "$slabtop" "$key" >"$out" 2>"$err" || status=$?
		if [ "$status" -ne 0 ]; then
			rm -f "$out"
			{ echo "exit $status"; cat "$err"; } >"$expected/$name.rejected.txt"
			rm -f "$err"
			break
		fi
		rm -f "$err"
	done
done
echo "wrote $(ls "$expected" | wc -l) files to $expected ($version)"
