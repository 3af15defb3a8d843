#!/usr/bin/env bash
# Regenerates the bundled dataset data/default from the raw public data.
#
#   scripts/build-dataset.sh [ALLOT]      (ALLOT defaults to build/allot)
#
# Inputs: data/raw (SIPRI, NATO, troopdata, USGS; see each
# SOURCE.md), data/sources (hand-typed cited tables and the hand-written
# half of SOURCES.md) and data/mappings/countries.csv.  The output is the
# same byte for byte on every run; `git diff data/default` shows what a
# change of the inputs or of the converter did.  Rules: docs/dataset.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
allot=${1:-$root/build/allot}
raw=${ALLOT_RAW_DIR:-$root/data/raw}
if [ ! -x "$allot" ]; then
  echo "build-dataset: $allot is not an executable (build first: make build)" >&2
  exit 2
fi
if [ ! -d "$raw" ]; then
  echo "build-dataset: raw data directory $raw not found (set ALLOT_RAW_DIR)" >&2
  exit 2
fi
mkdir -p "$root/data/default"
"$allot" convert dataset --raw "$raw" --sources "$root/data/sources" \
  --mappings "$root/data/mappings" --out "$root/data/default"
# The dated, cited exchange rates for what-if caps in other currencies
# (docs/whatif.md): not part of the scenario model, copied as they are.
cp "$root/data/sources/fx.csv" "$root/data/default/fx.csv"
