/*
 * ranges_int.h - the loader's entry to the range check (lib/ranges.c).
 */
#ifndef ALLOT_RANGES_INT_H
#define ALLOT_RANGES_INT_H

#include <allot/allot.h>

/* allot_scenario_check_ranges for a scenario read from the directory dir:
 * each message names the file its table came from (DIR/orders.csv, ...). */
int scenario_check_ranges_dir(const struct allot_scenario *s, const char *dir,
			      struct allot_diags *diags);

#endif
