#!/usr/bin/env bash
# Installs the Debian 12 packages allot builds and tests with, and only those
# that are missing. Idempotent: when nothing is missing it does nothing.
# Usage: scripts/deps.sh [--check]   (--check: list what is missing, exit 1 if any)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsqlite3-dev sqlite3      # the store
  libjansson-dev              # JSON (scenario.json, policy.json, --json output)
  libcsv-dev                  # CSV (every scenario table)
  libmicrohttpd-dev           # allot serve
  wrk zlib1g-dev              # allot serve: make load-test (bench/load_serve.sh); gzip answers
  libcmocka-dev               # unit tests
  libxlsxwriter-dev           # allot report --xlsx
  chromium                    # the report's headless-browser test (tests/report)
  libopenmpi-dev openmpi-bin  # allot-mpi and its test (make mpi-test, part of make test)
  clang libclang-rt-14-dev    # make fuzz: libFuzzer, ASan, UBSan
  libglpk-dev                 # allot reserve: the LP solver
  clang-format                # make format / make format-check (.clang-format)
)

command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)  # the report test: npm ci in web/

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  printf 'missing: %s\n' "${missing[*]}"
  exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
log=${TMPDIR:-/tmp}/allot-deps.log
echo "deps.sh: apt-get output goes to $log" >&2
if ! { $sudo apt-get update -qq && \
       $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "deps.sh: apt-get failed (full output: $log)" >&2
  exit 1
fi
