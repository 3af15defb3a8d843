#!/usr/bin/env bash
# Every --help fits an 80-column terminal: `allot --help` and the help of
# each command it lists.  Prints each line that is wider.
set -u
allot=$1
cmds=$("$allot" --help | awk '/^commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}')
[ -n "$cmds" ] || { echo "no commands found in allot --help"; exit 1; }
bad=0
for c in "" $cmds; do
  # shellcheck disable=SC2086
  out=$("$allot" $c --help 2>&1)
  wide=$(printf '%s\n' "$out" | awk -v c="${c:-allot}" 'length($0) > 80 {print c ": " length($0) " columns: " $0}')
  if [ -n "$wide" ]; then
    printf '%s\n' "$wide"; bad=1
  fi
done
[ "$bad" = 0 ] && echo "every help fits 80 columns ($(echo $cmds | wc -w) commands)"
exit "$bad"
