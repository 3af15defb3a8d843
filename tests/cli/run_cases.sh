#!/usr/bin/env bash
# Runs the data-driven CLI cases.  Each folder under CASES holds:
#   args      the arguments, one line, word-split; @SRC@ is the source tree,
#             @TMP@ a fresh temporary directory for the case
#   exit      the expected exit code (default 0)
#   stdout    the expected standard output (optional: absent = not checked)
#   stderr    the expected standard error (optional)
#   files/    expected files: each files/PATH must equal @TMP@/PATH
# A case fails when any expectation differs; the diff is printed.
set -u
allot=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cases=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  tmp=$(mktemp -d)
  args=$(sed -e "s|@SRC@|$src|g" -e "s|@TMP@|$tmp|g" "$dir/args")
  want_exit=$(cat "$dir/exit" 2>/dev/null || echo 0)
  # shellcheck disable=SC2086
  (cd "$tmp" && "$allot" $args >"$tmp/.out" 2>"$tmp/.err" </dev/null)
  got_exit=$?
  ok=1
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit $got_exit, expected $want_exit"; ok=0
  fi
  for stream in stdout stderr; do
    f=$([ $stream = stdout ] && echo .out || echo .err)
    if [ -f "$dir/$stream" ]; then
      sed -e "s|$tmp|@TMP@|g" -e "s|$src|@SRC@|g" "$tmp/$f" > "$tmp/$f.norm"
      if ! diff -u "$dir/$stream" "$tmp/$f.norm"; then
        echo "FAIL $name: $stream differs"; ok=0
      fi
    fi
  done
  if [ -d "$dir/files" ]; then
    while IFS= read -r -d '' want; do
      rel=${want#"$dir/files/"}
      if ! diff -u "$want" "$tmp/$rel"; then
        echo "FAIL $name: file $rel differs"; ok=0
      fi
    done < <(find "$dir/files" -type f -print0 | sort -z)
  fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); cat "$tmp/.err" | head -20; fi
  rm -rf "$tmp"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
