#!/usr/bin/env bash
# load_serve.sh - allot serve under load: wrk on loopback against the read
# endpoints of the bundled dataset (make load-test).
#
# Imports data/default into a fresh store, starts `allot serve --port 0`,
# warms it up, then runs wrk (DURATION, default 30 s, CONNECTIONS, default
# 64, on 2 threads) over a rotation of GET endpoints, sending
# Accept-Encoding: gzip as browsers do, and reports requests
# per second, latency percentiles, errors (socket errors and non-2xx
# answers) and the server's resident memory before and after.  Goals
# (docs/api.md): zero errors, p99 under 20 ms, memory flat.
#
# usage: bench/load_serve.sh [ALLOT_BINARY] (env: DURATION=30s CONNECTIONS=64 THREADS=2)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
allot=${1:-$src/build/allot}
duration=${DURATION:-30s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}
command -v wrk >/dev/null || { echo "load_serve: wrk is missing (scripts/deps.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

"$allot" import "$src/data/default" --db "$tmp/allot.db" >/dev/null
"$allot" serve --db "$tmp/allot.db" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 50); do grep -q 'allot serve: http' "$tmp/serve.out" && break; sleep 0.1; done
base=$(sed -n 's|^allot serve: \(http://[^/]*\)/.*|\1|p' "$tmp/serve.out")
[ -n "$base" ] || { echo "load_serve: the server did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
order=$(curl -sf "$base/api/scenarios/default/orders?iso3=POL" | sed -n 's/.*"order_id":"\([^"]*\)".*/\1/p' | head -1)
order=${order:-none}

# The rotation: every read endpoint of one scenario.
cat > "$tmp/rotate.lua" <<LUA
local paths = {
  "/api/scenarios",
  "/api/scenarios/default",
  "/api/scenarios/default/partners",
  "/api/scenarios/default/orders",
  "/api/scenarios/default/orders?iso3=POL&policy=fcfs",
  "/api/scenarios/default/orders/$order",
  "/api/scenarios/default/orders/$order/explain",
  "/api/scenarios/default/runs",
  "/api/scenarios/default/compare",
  "/api/scenarios/default/quote?iso3=POL&system=f35a&qty=4",
  "/api/scenarios/default/metrics",
  "/api/scenarios/default/minerals",
  "/api/scenarios/default/risk",
  "/",
  "/chart.js",
}
-- As a browser does: the large answers (the order book, the charting
-- library) then travel compressed.
wrk.headers["Accept-Encoding"] = "gzip, deflate"
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
LUA

rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
# Warm-up: load the scenario into the cache, fault in the code.
wrk -t1 -c4 -d3s -s "$tmp/rotate.lua" "$base" >/dev/null
rss0=$(rss)
wrk -t"$threads" -c"$conns" -d"$duration" --timeout 5s -s "$tmp/rotate.lua" "$base" > "$tmp/wrk.out"
rss1=$(rss)
# A second run shows whether memory keeps growing or has levelled off.
wrk -t"$threads" -c"$conns" -d10s --timeout 5s -s "$tmp/rotate.lua" "$base" > "$tmp/wrk2.out"
rss2=$(rss)
line=$(grep '^RESULT' "$tmp/wrk.out")
echo "allot serve under wrk: $conns connections, $threads threads, $duration, 15 endpoints in rotation"
echo "${line#RESULT }" | tr ' ' '\n' | sed 's/=/: /'
echo "rss_kib_start: $rss0"
echo "rss_kib_end: $rss1"
echo "rss_kib_after_10s_more: $rss2"
set -- $line
errors=$(echo "$line" | sed 's/.*socket_errors=\([0-9]*\) non2xx=\([0-9]*\).*/\1 \2/')
p99=$(echo "$line" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
ok=1
[ "$errors" = "0 0" ] || { echo "GOAL MISSED: errors ($errors)"; ok=0; }
awk -v p="$p99" 'BEGIN { exit !(p < 20) }' || { echo "GOAL MISSED: p99 $p99 ms >= 20 ms"; ok=0; }
[ $ok = 1 ] && echo "goals met: zero errors, p99 under 20 ms"
exit 0
