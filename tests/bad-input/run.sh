#!/bin/sh
# run.sh - the bad-input catalogue (tests/bad-input/README.md).
#
#   run.sh ALLOT CATALOGUE [--regen] [CASE...]
#
# For each case folder NN-name: copies tests/data/scenarios/tiny to a
# temporary "scenario" directory, applies the case (files/, remove, gen),
# imports tiny into a fresh store.db as the old content, then runs, in the
# temporary directory,
#     allot import scenario --db store.db --replace
# and checks: the exit status is the case's (exit, default 2); stderr is
# exactly `expected`; the store is untouched (same bytes, no new -wal or
# -shm file).  `allot summary scenario` must fail the same way (same status,
# same stderr).  A case with exit 0 is a variant that must be accepted:
# stderr empty, and `allot export` of what was stored equals tiny byte for
# byte (a BOM or CRLF changes nothing).
#
# Cases with a gen script run under `ulimit -v` (2 GiB) when allot is not
# built with ASan, so a limit that failed to hold would run out of memory
# instead of passing.  --regen writes `expected` from what allot printed
# (review every change by hand).
set -u
ALLOT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CAT=$(cd "$2" && pwd)
shift 2
REGEN=0
if [ "${1:-}" = "--regen" ]; then REGEN=1; shift; fi
TINY=$(cd "$CAT/../data/scenarios/tiny" && pwd)
# ASan (GCC links libasan; clang links its runtime statically) reserves
# terabytes of address space: no `ulimit -v` then.
if ldd "$ALLOT" 2>/dev/null | grep -q libasan || grep -qa __asan_init "$ALLOT"; then
	ASAN=1
else
	ASAN=0
fi

fails=0
n=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/allot-bad-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL $name: $*"
	fails=$((fails + 1))
}

run_case() {
	c=$1
	name=$(basename "$c")
	w="$tmp/$name"
	mkdir -p "$w"
	cp -R "$TINY" "$w/scenario"
	if [ -d "$c/files" ]; then cp "$c/files/"* "$w/scenario/"; fi
	if [ -f "$c/remove" ]; then
		while read -r f; do rm -f "$w/scenario/$f"; done < "$c/remove"
	fi
	limit=""
	if [ -f "$c/gen" ]; then
		(cd "$w/scenario" && sh "$c/gen") || { fail "gen failed"; return; }
		[ $ASAN = 0 ] && limit="ulimit -v 2097152;"
	fi
	want=2
	[ -f "$c/exit" ] && want=$(cat "$c/exit")

	(cd "$w" && "$ALLOT" import "$TINY" --db store.db >/dev/null) || { fail "baseline import"; return; }
	before=$(cd "$w" && ls store.db* && cksum store.db)
	(cd "$w" && sh -c "$limit exec \"\$0\" import scenario --db store.db --replace" "$ALLOT" \
		>out 2>err)
	rc=$?
	after=$(cd "$w" && ls store.db* && cksum store.db)
	if [ $REGEN = 1 ] && [ "$want" != 0 ]; then
		cp "$w/err" "$c/expected"
	fi
	[ "$rc" = "$want" ] || fail "import exited $rc, expected $want"
	if [ "$want" = 0 ]; then
		[ -s "$w/err" ] && fail "import wrote to stderr: $(head -3 "$w/err")"
		(cd "$w" && "$ALLOT" export --db store.db --scenario default exported >/dev/null 2>&1) ||
			fail "export failed"
		diff -r "$TINY" "$w/exported" >/dev/null || fail "stored scenario differs from tiny"
	else
		if ! cmp -s "$c/expected" "$w/err"; then
			fail "stderr differs:"
			diff "$c/expected" "$w/err" | head -20
		fi
		[ "$before" = "$after" ] || fail "the store changed"
		(cd "$w" && sh -c "$limit exec \"\$0\" summary scenario" "$ALLOT" >/dev/null 2>serr)
		src=$?
		[ "$src" = "$want" ] || fail "summary exited $src, expected $want"
		cmp -s "$c/expected" "$w/serr" || fail "summary's stderr differs from import's"
	fi
	rm -rf "$w"
	n=$((n + 1))
}

if [ $# -gt 0 ]; then
	for a in "$@"; do run_case "$CAT/$a"; done
else
	for c in "$CAT"/[0-9]*; do run_case "$c"; done
fi
echo "bad-input: $n cases, $fails failures"
[ $fails = 0 ]
