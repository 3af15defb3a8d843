#!/usr/bin/env bash
# The MPI sweep against the threaded one: `mpirun -np K allot-mpi sweep` must
# write the same bytes (sweep_orders.csv, sweep_partners.csv, sweep.json and
# the text summary) as `allot sweep` on threads, with the same seed.
# usage: tests/mpi/run.sh ALLOT ALLOT_MPI
# Then the same under an MPI that provides only MPI_THREAD_SINGLE (the
# thread_single.c shim, preloaded): rank 0 says so, each rank creates no
# thread (the sweep works on the calling thread) whatever --threads says,
# and the bytes are the same.  And a rank whose freopen fails takes every rank down
# cleanly (the shim again).
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
# same_bytes LABEL DIR: DIR's four outputs are the threaded run's bytes
same_bytes() {
  for f in stdout out/sweep_orders.csv out/sweep_partners.csv out/sweep.json; do
    if cmp "$tmp/threads/$f" "$2/$f"; then
      echo "ok: $1: $f identical"
    else
      echo "FAIL: $1: $f differs"; fail=1
    fi
  done
}
for np in 2 3; do
  mkdir "$tmp/np$np"
  (cd "$tmp/np$np" && mpirun --oversubscribe -np "$np" "$allot_mpi" "${args[@]}" --threads 1 > stdout)
  same_bytes "mpirun -np $np" "$tmp/np$np"
done
# An MPI without threads: thread_single.c lowers the level MPI_Init_thread
# reports and counts the threads each rank creates after it.
mpicc -shared -fPIC -O2 -o "$tmp/single.so" "$src/tests/mpi/thread_single.c" -ldl
for mode in keep single; do
  d="$tmp/$mode"; mkdir "$d"
  keep=(); [ "$mode" = keep ] && keep=(-x ALLOT_MPI_SHIM_KEEP=1)
  (cd "$d" && ALLOT_MPI_SHIM_LOG="$d/threads.log" mpirun --oversubscribe -np 2 \
     -x LD_PRELOAD="$tmp/single.so" -x ALLOT_MPI_SHIM_LOG "${keep[@]}" \
     "$allot_mpi" "${args[@]}" --threads 2 > stdout 2> stderr)
  same_bytes "$mode" "$d"
  said=0; grep -q 'provides MPI_THREAD_SINGLE.*one thread' "$d/stderr" && said=1
  want_said=0; [ "$mode" = single ] && want_said=1
  if [ "$said" = "$want_said" ]; then
    echo "ok: $mode: the one-thread note $([ $said = 1 ] && echo given || echo not given)"
  else
    echo "FAIL: $mode: the one-thread note given=$said, expected $want_said"; cat "$d/stderr"; fail=1
  fi
  # keep: --threads 2 gives each rank two workers; single: none (only the
  # thread that calls MPI runs)
  if [ "$mode" = keep ]; then expect='$4 >= 2'; else expect='$4 == 0'; fi
  if [ "$(sort "$d/threads.log" | awk "$expect" | wc -l)" = 2 ]; then
    echo "ok: $mode: threads per rank: $(sort "$d/threads.log" | awk '{print $4}' | paste -sd,)"
  else
    echo "FAIL: $mode: threads per rank: $(cat "$d/threads.log" 2>/dev/null)"; fail=1
  fi
done

# A rank that cannot silence its output (freopen fails on rank 1): every
# rank gives up, says so on rank 0, exits 1 and calls MPI_Finalize; none is
# left waiting in a collective call (timeout).
d="$tmp/nosilence"; mkdir "$d"
rc=0
(cd "$d" && ALLOT_MPI_SHIM_LOG="$d/threads.log" timeout 120 mpirun --oversubscribe -np 2 \
   -x LD_PRELOAD="$tmp/single.so" -x ALLOT_MPI_SHIM_LOG -x ALLOT_MPI_SHIM_KEEP=1 \
   -x ALLOT_MPI_SHIM_FAIL_FREOPEN=1 "$allot_mpi" "${args[@]}" --threads 1 > stdout 2> stderr) || rc=$?
finalized=$(grep -c '^rank' "$d/threads.log" 2>/dev/null || true)
if [ "$rc" = 1 ] && [ "$finalized" = 2 ] && grep -q 'could not send its output' "$d/stderr"; then
  echo "ok: freopen failing on rank 1: exit 1, both ranks finalized, rank 0 says why"
else
  echo "FAIL: freopen failing on rank 1: exit $rc, $finalized ranks finalized"; cat "$d/stderr"; fail=1
fi

# The sweep did vary something: some order's P10 and P90 differ.
if ! awk -F, 'NR > 1 && $5 != $7 { found = 1 } END { exit !found }' "$tmp/threads/out/sweep_orders.csv"; then
  echo "FAIL: no order's completion spreads"; fail=1
fi
exit $fail
