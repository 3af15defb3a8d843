#!/usr/bin/env bash
# Rewrites the expected stdout, stderr and files of the named CLI cases from
# the current build (review the diff before committing!).
# usage: tests/cli/regen.sh build/allot CASE...
set -eu
allot=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
src=$(cd "$(dirname "$0")/../.." && pwd)
for c in "$@"; do
  d=$src/tests/cli/cases/$c
  tmp=$(mktemp -d)
  args=$(sed -e "s|@SRC@|$src|g" -e "s|@TMP@|$tmp|g" "$d/args")
  set +e
  # shellcheck disable=SC2086
  (cd "$tmp" && "$allot" $args >"$tmp/.out" 2>"$tmp/.err" </dev/null)
  echo $? > "$d/exit"
  set -e
  sed -e "s|$tmp|@TMP@|g" -e "s|$src|@SRC@|g" "$tmp/.out" > "$d/stdout"
  sed -e "s|$tmp|@TMP@|g" -e "s|$src|@SRC@|g" "$tmp/.err" > "$d/stderr"
  if [ -d "$d/files" ]; then
    (cd "$d/files" && find . -type f) | while read -r f; do cp "$tmp/$f" "$d/files/$f"; done
  fi
  rm -rf "$tmp"
done
