#!/bin/sh
# whatif_serve.sh - the dashboard's what-if on the bundled data, server
# side: imports data/default into a fresh store, starts `allot serve`,
# and for changes dated early, mid and late in the horizon under both
# policies sends N identical POST /api/scenarios/default/whatif requests
# (after two to warm the scenario and plan caches).  Prints the server's
# CPU time per request (utime + stime of the server process over the N
# requests, /proc/PID/stat) and the median wall time seen by curl on
# loopback.  Goal (issue 19): under 10 ms server side.
#
# usage: bench/whatif_serve.sh [ALLOT_BINARY] (env: N=200)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
allot=${1:-$src/build/allot}
n=${N:-200}
command -v curl >/dev/null || { echo "whatif_serve: curl is missing" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/allot-whatif-XXXXXX")
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$allot" import "$src/data/default" --db "$tmp/allot.db" >/dev/null
"$allot" serve --db "$tmp/allot.db" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 50); do grep -q 'allot serve: http' "$tmp/serve.out" && break; sleep 0.1; done
url=$(sed -n 's|^allot serve: \(http://[^/]*\)/#token=\(.*\)$|\1 \2|p' "$tmp/serve.out")
[ -n "$url" ] || { echo "whatif_serve: the server did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
base=${url% *}
tok=${url#* }
tck=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

echo "whatif_serve: $n requests per line, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for m in 2025-06 2032-07 2038-01; do
	for pol in priority fcfs; do
		body="{\"policy\":\"$pol\",\"changes\":[\"--rate aav7:0@$m\",\"--status POL:violation@$m\"]}"
		: >"$tmp/cfg"
		for _ in $(seq "$n"); do
			printf 'url = "%s/api/scenarios/default/whatif"\noutput = /dev/null\n' "$base" >>"$tmp/cfg"
		done
		post() { curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d "$body" "$@"; }
		for _ in 1 2; do
			code=$(post -o /dev/null -w '%{http_code}' "$base/api/scenarios/default/whatif")
			[ "$code" = 200 ] || { echo "whatif_serve: status $code for $body" >&2; exit 1; }
		done
		a=$(cpu)
		post -w '%{time_total}\n' -K "$tmp/cfg" >"$tmp/times"
		b=$(cpu)
		sort -g "$tmp/times" | awk -v a="$a" -v b="$b" -v n="$n" -v t="$tck" -v m="$m" -v p="$pol" '
			{ v[NR] = $1 }
			END { printf "  --rate and --status @%s  %-8s  server CPU %.2f ms/request   wall median %.2f ms\n",
			      m, p, (b - a) * 1000 / t / n, v[int((NR + 1) / 2)] * 1000 }'
	done
done
