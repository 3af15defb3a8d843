#!/bin/sh
# run.sh - `make fuzz`: builds the fuzz targets with clang, libFuzzer, ASan
# and UBSan (-fno-sanitize-recover=all) in BUILD, then runs each target for
# SECONDS on its committed corpus plus a working corpus in BUILD.
#
#   tests/fuzz/run.sh [BUILD [SECONDS [TARGET...]]]   (defaults: build-fuzz 600 all)
#
# New inputs go to BUILD/corpus/<target> (the committed corpus is only
# read); crashes to BUILD/artifacts/<target>-crash-*.  A crash stops that
# target's run and makes the script exit 1 after the others ran.  To keep a
# finding, copy the input into tests/fuzz/corpus/<target>/ once fixed, or
# into tests/fuzz/known-crash/<target>/ while it is not (docs/hardening.md).
set -u
cd "$(dirname "$0")/../.."
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-600}
shift 2 2>/dev/null || shift $#
TARGETS=${*:-csv events scenario_json policy sipri server}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DALLOT_FUZZ=ON -DALLOT_WERROR=OFF \
	-DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	>/dev/null || exit 1
for t in $TARGETS; do
	cmake --build "$BUILD" -j "$JOBS" --target "fuzz_$t" || exit 1
done

dict_of() {
	case $1 in
	csv) echo csv ;; events) echo events ;; sipri) echo sipri ;; server) echo server ;;
	*) echo json ;;
	esac
}

status=0
for t in $TARGETS; do
	mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts"
	echo "== fuzz_$t for ${SECONDS_EACH}s"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$BUILD/tests/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=20 \
		-dict="tests/fuzz/dict/$(dict_of "$t").dict" -print_final_stats=1 \
		-artifact_prefix="$BUILD/artifacts/$t-" \
		"$BUILD/corpus/$t" "tests/fuzz/corpus/$t" 2>"$BUILD/fuzz_$t.log"
	rc=$?
	grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" \
		"$BUILD/fuzz_$t.log"
	if [ $rc -ne 0 ]; then
		echo "fuzz_$t: FOUND A CRASH (exit $rc); see $BUILD/fuzz_$t.log and $BUILD/artifacts/"
		status=1
	fi
done
exit $status
