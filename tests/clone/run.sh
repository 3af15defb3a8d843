#!/usr/bin/env bash
# tests/clone/run.sh SRC ALLOT TEST_CONVERT TEST_TESTSUITES
#
# Clones SRC's HEAD into an empty temporary folder (nothing beside it: no
# sibling folders, no build tree) and, with the binaries already built, runs there
#   1. scripts/build-dataset.sh: data/default must come out byte for byte;
#   2. the converter and test-suite unit tests against the clone's files.
# A path outside the repository therefore fails this test.  Exit 77 (skip)
# when SRC is not a git checkout (a source tarball).
set -euo pipefail
src=$1 allot=$2 t_convert=$3 t_suites=$4
if ! git -C "$src" rev-parse --verify -q HEAD >/dev/null 2>&1; then
  echo "clone test: $src is not a git checkout; skipped"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/allot-clone-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# An empty parent: the clone is $tmp/empty/allot, and $tmp/empty holds nothing else.
mkdir "$tmp/empty"
git clone -q --no-hardlinks "$src" "$tmp/empty/allot"
clone=$tmp/empty/allot
[ ! -e "$tmp/empty/shared" ] || { echo "clone test: unexpected shared/ beside the clone"; exit 1; }

echo "clone test: make dataset in $clone"
"$clone/scripts/build-dataset.sh" "$allot"
if ! git -C "$clone" diff --quiet -- data/default || \
   [ -n "$(git -C "$clone" status --porcelain -- data/default)" ]; then
  git -C "$clone" status --short -- data/default
  echo "clone test: data/default does not regenerate byte for byte from the clone"
  exit 1
fi

echo "clone test: converter and test-suite tests on the clone's files"
cd "$tmp"
ALLOT_TEST_SOURCE_DIR=$clone "$t_convert"
ALLOT_TEST_SOURCE_DIR=$clone "$t_suites"
echo "clone test: ok"
