#!/bin/sh
# bench/run.sh - `make bench`: every figure of docs/performance.md, this
# version against a previous one measured in the same run.
#
# usage: bench/run.sh BUILD_DIR [BASE_REF]
#   BUILD_DIR  this version's build (bench_io, bench_plan, bench_sweep built)
#   BASE_REF   the previous version: a tag or commit of this repository
#              (default $BENCH_BASE, else 5a9cdec: main at the end of
#              the fourth session, before the fourth and fifth rounds)
# Environment: BENCH_ORDERS (default 1000000), BENCH_RUNS (default 5),
#              BENCH_PLAN=0 to skip the planner, sweep and what-if figures,
#              BENCH_PLAN_BASE: the planner's previous version (default
#              5a9cdec, as above; fce8fad is main before the
#              planner's issue-19 work).
#
# The previous version is exported with `git archive` into a temporary
# directory and built there (only its library and bench/bench_io.c from this
# version, which uses the public API alone); both binaries then run the same
# steps one after the other, each on a scenario it wrote itself.  Each figure
# is a median of BENCH_RUNS runs; the load average is printed before each
# step, since the machine may be shared.
set -eu

build=${1:?usage: bench/run.sh BUILD_DIR [BASE_REF]}
base=${2:-${BENCH_BASE:-5a9cdec}}
orders=${BENCH_ORDERS:-1000000}
runs=${BENCH_RUNS:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
new="$build/bench_io"
[ -x "$new" ] || { echo "bench/run.sh: $new not built (make build)" >&2; exit 1; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/allot-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# build_old REF DIR TARGET: exports REF into $tmp/DIR, puts this version's
# bench/TARGET.c in it (it uses the public API alone), builds TARGET and
# prints the binary's path; prints nothing (and says why) when REF is not
# in this repository or does not build.
build_old() {
	if ! git -C "$src" rev-parse -q --verify "$1^{commit}" >/dev/null 2>&1; then
		echo "== no previous version $1 in this repository: no ratios" >&2
		return 0
	fi
	echo "== building the previous version $1 ($(git -C "$src" log -1 --format='%h %cs' "$1")) in $tmp/$2" >&2
	mkdir -p "$tmp/$2"
	git -C "$src" archive "$1" | tar -x -C "$tmp/$2"
	cp "$src/bench/$3.c" "$tmp/$2/bench/$3.c"
	if cmake -S "$tmp/$2" -B "$tmp/$2/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DALLOT_TESTS=OFF >"$tmp/$2.log" 2>&1 &&
	   cmake --build "$tmp/$2/build" --target "$3" -j "$(nproc)" >>"$tmp/$2.log" 2>&1; then
		echo "$tmp/$2/build/$3"
	else
		echo "   (cannot build $1: no ratios; see the log below)" >&2
		tail -n 20 "$tmp/$2.log" >&2
	fi
}

old=$(build_old "$base" old bench_io)

# the wall-clock median (field 3) and the CPU median (after "cpu") of a
# label in a bench_io output
med() { awk -v k="$1" '$1 == k { print $3 }' "$2"; }
cpu() { awk -v k="$1" '$1 == k { for (i = 1; i < NF; i++) if ($i == "cpu") print $(i + 1) }' "$2"; }

echo "== this version: bench_io --orders $orders --runs $runs (load average $(load))"
"$new" --orders "$orders" --runs "$runs" --dir "$tmp/new-run" | tee "$tmp/new.txt"
rm -rf "$tmp/new-run"
if [ -n "$old" ]; then
	echo "== previous version $base: the same steps (load average $(load))"
	"$old" --orders "$orders" --runs "$runs" --dir "$tmp/old-run" | tee "$tmp/old.txt"
	rm -rf "$tmp/old-run"
	echo "== ratios this/previous (below 1 = faster now; load average $(load))"
	for k in load plan write store putplan; do
		a=$(med "$k" "$tmp/new.txt")
		b=$(med "$k" "$tmp/old.txt")
		c=$(cpu "$k" "$tmp/new.txt")
		d=$(cpu "$k" "$tmp/old.txt")
		[ -n "$a" ] && [ -n "$b" ] &&
			awk -v k="$k" -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
				printf "%-6s wall %.3f s / %.3f s = %.2f   cpu %.3f s / %.3f s = %.2f\n",
				       k, a, b, a / b, c, d, (d > 0 ? c / d : 0) }'
	done
fi

if [ "${BENCH_PLAN:-1}" != 0 ]; then
	plan_base=${BENCH_PLAN_BASE:-5a9cdec}
	plan_old=$(build_old "$plan_base" plan-old bench_plan)
	echo "== planner: bench_plan (1M orders x 2,000 lines x 20 minerals x 240 months, 95 events; load average $(load))"
	"$build/bench_plan" --runs "$runs" | tee "$tmp/plan-new.txt"
	if [ -n "$plan_old" ]; then
		# One plan per process, this version and the previous one in
		# turn, so that both see the same load; the digests must agree.
		echo "== planner: this version against $plan_base, $runs alternating single-plan processes each (load average $(load))"
		: >"$tmp/plan-ab.txt"
		for i in $(seq "$runs"); do
			"$build/bench_plan" --runs 1 | sed 's/^/new /' >>"$tmp/plan-ab.txt"
			"$plan_old" --runs 1 | sed 's/^/old /' >>"$tmp/plan-ab.txt"
		done
		for k in fcfs priority; do
			awk -v k="$k" '
				function med(a, n,   i, j, t) {
					for (i = 2; i <= n; i++)
						for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
							t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
						}
					return a[int((n + 1) / 2)]
				}
				$2 == k {
					v = $1; n[v]++
					wall[v, n[v]] = $4
					for (i = 1; i < NF; i++) {
						if ($i == "cpu") cpu[v, n[v]] = $(i + 1)
						if ($i == "digest") dig[v] = dig[v] == "" || dig[v] == $(i + 1) ? $(i + 1) : "differs"
					}
				}
				END {
					for (i = 1; i <= n["new"]; i++) { wn[i] = wall["new", i]; cn[i] = cpu["new", i] }
					for (i = 1; i <= n["old"]; i++) { wo[i] = wall["old", i]; co[i] = cpu["old", i] }
					a = med(wn, n["new"]); b = med(wo, n["old"]); c = med(cn, n["new"]); d = med(co, n["old"])
					printf "%-8s wall %.3f s / %.3f s = %.2f   cpu %.3f s / %.3f s = %.2f   (medians of %d; digests %s)\n",
					       k, a, b, a / b, c, d, (d > 0 ? c / d : 0), n["new"],
					       dig["new"] == dig["old"] && dig["new"] != "differs" ? "equal" : "DIFFER"
				}' "$tmp/plan-ab.txt" | tee -a "$tmp/plan-ratio.txt"
		done
		if grep -q DIFFER "$tmp/plan-ratio.txt"; then
			echo "bench/run.sh: the two planners' plans differ" >&2
			exit 1
		fi
	fi
	echo "== sweep: bench_sweep (load average $(load))"
	"$build/bench_sweep"
	echo "== incremental what-if against the full re-plan: bench_whatif (load average $(load))"
	(cd "$src" && "$build/bench_whatif")
	echo "== the dashboard's what-if, server side: bench/whatif_serve.sh (load average $(load))"
	"$src/bench/whatif_serve.sh" "$build/allot"
fi
echo "== done (load average $(load))"
