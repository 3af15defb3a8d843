#!/usr/bin/env bash
# The README's promise: listings print as aligned tables under 100 columns.
# Runs the default text output of each command below on the bundled data and
# prints each line 100 columns or wider (characters, not bytes; colour codes
# left out).  Every command that prints a listing is in the list; a new one
# joins it.
# usage: text_width.sh ALLOT DATA_DIR
set -u
export LC_ALL=C.UTF-8
allot=$1
data=$2
cmds="summary compare plan metrics catalog orders partners systems lines score whatif
minerals risk opportunities pipeline"
bad=0
esc=$(printf '\033')
for c in $cmds; do
  out=$("$allot" "$c" "$data" 2>&1) || { echo "$c: exit status $?"; bad=1; continue; }
  while IFS= read -r line; do
    line=$(printf '%s' "$line" | sed "s/${esc}\[[0-9;]*m//g")
    if [ "${#line}" -ge 100 ]; then
      echo "$c: ${#line} columns: ${line:0:120}"; bad=1
    fi
  done <<< "$out"
done
[ "$bad" = 0 ] && echo "every line of" $cmds "fits under 100 columns"
exit "$bad"
