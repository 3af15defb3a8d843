#!/usr/bin/env bash
# The MPI sweep against the threaded one: `mpirun -np K allot-mpi sweep` must
# write the same bytes (sweep_orders.csv, sweep_partners.csv, sweep.json and
# the text summary) as `allot sweep` on threads, with the same seed.
# usage: tests/mpi/run.sh ALLOT ALLOT_MPI
# Runs on one machine with --oversubscribe; as root Open MPI needs the two
# OMPI_ALLOW_RUN_AS_ROOT variables, set here.
set -eu
allot=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
allot_mpi=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
src=$(cd "$(dirname "$0")/../.." && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader   # one machine: shared memory, no network probing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args=(sweep "$src/data/default" --runs 301 --seed 42 --out out
      --vary weights:dirichlet=50 --vary rates:10% --vary supply:20% --vary caps:30%
      --vary embargo:china:start=2026-01..2027-12,months=6..36)

mkdir "$tmp/threads"
(cd "$tmp/threads" && "$allot" "${args[@]}" --threads 2 > stdout)
fail=0
for np in 2 3; do
  mkdir "$tmp/np$np"
  (cd "$tmp/np$np" && mpirun --oversubscribe -np "$np" "$allot_mpi" "${args[@]}" --threads 1 > stdout)
  for f in stdout out/sweep_orders.csv out/sweep_partners.csv out/sweep.json; do
    if cmp "$tmp/threads/$f" "$tmp/np$np/$f"; then
      echo "ok: mpirun -np $np: $f identical"
    else
      echo "FAIL: mpirun -np $np: $f differs"; fail=1
    fi
  done
done
# The sweep did vary something: some order's P10 and P90 differ.
if ! awk -F, 'NR > 1 && $5 != $7 { found = 1 } END { exit !found }' "$tmp/threads/out/sweep_orders.csv"; then
  echo "FAIL: no order's completion spreads"; fail=1
fi
exit $fail
