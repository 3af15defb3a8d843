/*
 * fuzz_csv.c - fuzz target: the CSV reader and the typed table loader.
 *
 * The input is read twice: as a raw CSV buffer through csvr_open_mem (UTF-8
 * mode, then lax 8-bit mode), checking the reader's own promises (fields
 * NUL-terminated at their length, positions 1-based and non-decreasing, an
 * error always comes with a diagnostic); then as orders.csv of the tiny
 * scenario, loaded whole (the typed getters, references, duplicates), and
 * when accepted, planned, written, reloaded and put through a store
 * (fuzz_util.c).
 */
#include <string.h>

#include "fuzz_util.h"
#include "io/csvread.h"

static void read_all(const uint8_t *data, size_t size, unsigned flags)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr *r = NULL;
	FZ_CHECK(csvr_open_mem(data, size, "fuzz.csv", flags, &d, &r) == ALLOT_OK);
	const struct csvr_record *rec;
	int rc;
	long last_line = 0, index = 0;
	while ((rc = csvr_next(r, &rec)) == ALLOT_OK && rec) {
		FZ_CHECK(rec->n >= 1);
		FZ_CHECK(rec->index == index++);
		FZ_CHECK(rec->line >= last_line && rec->line >= 1);
		last_line = rec->line;
		for (size_t i = 0; i < rec->n; i++) {
			const struct csvr_field *f = &rec->f[i];
			FZ_CHECK(f->s[f->len] == '\0');
			FZ_CHECK(f->len <= (size_t)CSVR_MAX_FIELD);
			FZ_CHECK(f->line >= rec->line && f->col >= 1);
			FZ_CHECK(memchr(f->s, '\0', f->len) == NULL || csvr_errors(r) > 0);
			if ((flags & CSVR_UTF8) && csvr_errors(r) == 0)
				FZ_CHECK(utf8_valid(f->s, f->len));
		}
	}
	if (rc != ALLOT_OK) {
		FZ_CHECK(rc == ALLOT_EINPUT || rc == ALLOT_ELIMIT);
		FZ_CHECK(allot_diags_count(&d) > 0);
		/* Reading stops: later calls give the same code. */
		FZ_CHECK(csvr_next(r, &rec) == rc && rec == NULL);
	}
	FZ_CHECK(csvr_errors(r) == allot_diags_count(&d) || d.dropped > 0);
	csvr_close(r);
	allot_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_all(data, size, CSVR_UTF8);
	read_all(data, size, CSVR_LAX);
	const char *dir = fz_scenario_dir();
	fz_write(dir, "orders.csv", data, size);
	fz_check_dir(dir, 1);
	return 0;
}
