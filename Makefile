# allot: the user's door.  `make run` and `make test` work on a fresh Debian 12
# machine: each installs what is missing (scripts/deps.sh), builds, then runs.

BUILD      ?= build
ASAN_BUILD ?= build-asan
MPI_BUILD  ?= build-mpi
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= $(BUILD)/allot.db
ALLOT      := $(BUILD)/allot

# Say what each step does in one line; the build system's own chatter goes to
# a log that is printed only when a step fails (V=1 shows everything).
MAKEFLAGS  += --no-print-directory
ifeq ($(V),1)
QUIET       =
else
QUIET       = > $(1)/build.log 2>&1 || { tail -n 60 $(1)/build.log; echo "build failed: see $(1)/build.log" >&2; exit 1; }
endif

.PHONY: all deps build run test test-fast test-asan bench fuzz crash-test lint clean dataset mpi-build mpi-test

all: build

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt: | deps
	@echo "== configuring $(BUILD)"
	@mkdir -p $(BUILD)
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(call QUIET,$(BUILD))

build: deps $(BUILD)/CMakeCache.txt
	@echo "== building $(BUILD) (log: $(BUILD)/build.log)"
	@cmake --build $(BUILD) -j $(JOBS) $(call QUIET,$(BUILD))

# The main job: the bundled real dataset, loaded into a store and summarised,
# then planned under the old rule and the new one.
run: build
	@echo "== allot import data/default --db $(DB) --replace"
	@$(ALLOT) import data/default --db $(DB) --replace
	@echo "== allot summary"
	@$(ALLOT) summary --db $(DB)
	@echo "== allot plan --policy priority --out $(BUILD)/plan-priority"
	@$(ALLOT) plan --db $(DB) --policy priority --out $(BUILD)/plan-priority
	@echo "== allot compare --top 10"
	@$(ALLOT) compare --db $(DB) --top 10
	@echo "== allot report --out $(BUILD)/report.html"
	@$(ALLOT) report --db $(DB) --out $(BUILD)/report.html
	@echo "open $(BUILD)/report.html in a browser; 'allot serve --db $(DB)' for the dashboard"

# The sanitizer build uses clang: its UBSan also sees a double overflowing
# the integer it is cast to (float-cast-overflow) and implicit truncation of
# signed integers (CMakeLists.txt, ALLOT_SANITIZE).  A build-asan configured
# earlier with another compiler is configured afresh.
ASAN_CC    ?= clang

$(ASAN_BUILD)/CMakeCache.txt: | deps
	@echo "== configuring $(ASAN_BUILD) ($(ASAN_CC): ASan + UBSan)"
	@mkdir -p $(ASAN_BUILD)
	@CC=$(ASAN_CC) cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLOT_SANITIZE=ON $(call QUIET,$(ASAN_BUILD))

.PHONY: asan-configure
asan-configure: deps
	@if [ -f $(ASAN_BUILD)/CMakeCache.txt ] && \
	    ! grep -q '^CMAKE_C_COMPILER:.*$(ASAN_CC)' $(ASAN_BUILD)/CMakeCache.txt; then \
		echo "== $(ASAN_BUILD) was configured with another compiler: starting afresh"; \
		rm -rf $(ASAN_BUILD); \
	fi
	@$(MAKE) $(ASAN_BUILD)/CMakeCache.txt

# Every test, in the optimised build and once more under ASan + UBSan (clang).
test: build asan-configure
	scripts/web-deps.sh
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "== building $(ASAN_BUILD) (log: $(ASAN_BUILD)/build.log)"
	@cmake --build $(ASAN_BUILD) -j $(JOBS) $(call QUIET,$(ASAN_BUILD))
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)
	$(MAKE) mpi-test

# allot-mpi (docs/scaling.md): a separate build, so that the default one never
# links MPI.  mpi-test runs `mpirun -np 2` and `-np 3` sweeps on this machine
# and compares their files byte for byte with a threaded sweep.
$(MPI_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(MPI_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLOT_MPI=ON -DALLOT_TESTS=OFF

mpi-build: deps $(MPI_BUILD)/CMakeCache.txt
	cmake --build $(MPI_BUILD) -j $(JOBS) --target allot allot-mpi

mpi-test: mpi-build
	tests/mpi/run.sh $(MPI_BUILD)/allot $(MPI_BUILD)/allot-mpi

test-fast: build
	scripts/web-deps.sh
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Load, plan, write and store of a 1M-order scenario, each a median of 5 runs,
# beside the same steps of a previous version built in the same run
# (BENCH_BASE=<tag or commit>), then the planner and sweep benches
# (bench/run.sh; figures in docs/performance.md).
bench: build
	bench/run.sh $(BUILD) $(BENCH_BASE)

# allot serve under wrk: 30 s at 64 connections on the read endpoints
# (bench/load_serve.sh prints requests/s, p99, errors and memory); then 60 s
# of 300 slow connections and 32 cache-busting clients while the dashboard
# is timed (tests/server/load_budget.c; the ctest server_load_budget is the
# 10 s version).
.PHONY: load-test
load-test: build
	bench/load_serve.sh $(ALLOT)
	$(BUILD)/server/load_budget --allot $(ALLOT) --src . --seconds $${LOAD_SECONDS:-60}

# libFuzzer + ASan + UBSan (clang) in build-fuzz, FUZZ_SECONDS per target
# (docs/hardening.md); the long crash-safety and fault runs.
FUZZ_SECONDS ?= 600
fuzz: deps
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

crash-test: build
	cd $(BUILD) && ALLOT_CRASH_RUNS=240 ALLOT_FAULT_FULL=1 ctest --output-on-failure -L 'crash|fault'

# Regenerates data/default from data/raw (see data/default/SOURCES.md).
dataset: build
	scripts/build-dataset.sh $(ALLOT)

# invalidPointerCast is suppressed: the scenario schema (lib/io/schema.c)
# reaches a record's field as its base address plus the column's offsetof,
# a byte pointer that does point at a double; cppcheck cannot see that.
lint:
	cppcheck --std=c11 --enable=warning,performance,portability --error-exitcode=1 \
		-Iinclude -Ilib --suppress=missingIncludeSystem --suppress=invalidPointerCast --inline-suppr \
		-q lib cli server

# The committed .clang-format (CONTRIBUTING.md): format-check lists the
# files that differ from it and fails (not part of `make test`); format
# rewrites them in place.  Generated files are left alone.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' | grep -v -e '^lib/answers/assets/' -e '^server/assets_gen.c$$')
CLANG_FORMAT ?= clang-format
.PHONY: format-check format format-tool
format-tool:
	@command -v $(CLANG_FORMAT) >/dev/null 2>&1 || \
	{ echo "format: $(CLANG_FORMAT) not found (scripts/deps.sh installs Debian 12's clang-format 14)" >&2; exit 2; }
format-check: format-tool
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES) 2>/dev/null || \
	{ n=0; for f in $(FORMAT_FILES); do \
	    $(CLANG_FORMAT) --dry-run --Werror $$f >/dev/null 2>&1 || { echo "$$f"; n=$$((n + 1)); }; done; \
	  echo "format-check: $$n files above differ from .clang-format (make format rewrites them)" >&2; exit 1; }
format: format-tool
	@$(CLANG_FORMAT) -i $(FORMAT_FILES)
	@echo "format: $(words $(FORMAT_FILES)) files formatted; git diff shows what changed"

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(MPI_BUILD)
