/*
 * fuzz_util.h - what the fuzz targets share: a scratch copy of the tiny
 * scenario to drop a fuzzed file into, and the checks run on a scenario the
 * loader accepted.
 *
 * Each target defines LLVMFuzzerTestOneInput.  It is linked either with
 * libFuzzer (`make fuzz`, clang, build-fuzz) or with replay.c, a plain main()
 * that feeds every file of the committed corpora to it (ctest, label
 * fuzz-smoke, in the normal and the ASan builds).  A target reports a bug by
 * crashing (abort): a sanitizer finding, or FZ_CHECK failing on an
 * invariant the library promises.
 */
#ifndef ALLOT_FUZZ_UTIL_H
#define ALLOT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <allot/allot.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the expression and position when cond is false. */
#define FZ_CHECK(cond) ((cond) ? (void)0 : fz_fail(#cond, __FILE__, __LINE__))
void fz_fail(const char *what, const char *file, int line) __attribute__((noreturn));

/* A private temporary directory holding a copy of
 * tests/data/scenarios/tiny, created on first use and removed at exit. */
const char *fz_scenario_dir(void);
/* A second private temporary directory (empty), for round trips. */
const char *fz_scratch_dir(void);
/* Writes data as dir/name (replacing it). */
void fz_write(const char *dir, const char *name, const void *data, size_t size);
/* Puts the tiny scenario's own copy of name back into fz_scenario_dir(). */
void fz_restore(const char *name);

/* Loads dir.  When the load succeeds, checks what the library promises of
 * an accepted scenario: both policies plan without error and their figures
 * compute; writing it and loading it back gives the same canonical files;
 * with `store`, put then get through a store gives them too.  Returns the
 * load's status. */
int fz_check_dir(const char *dir, int store);

/* Whole file into a mem-free()able buffer; NULL when unreadable. */
char *fz_slurp(const char *path, size_t *len);

#endif
