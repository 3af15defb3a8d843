/*
 * fuzz_events.c - fuzz target: events.csv.
 *
 * The input becomes events.csv of the tiny scenario (whose lines, partners
 * and criteria the events may name); the scenario is loaded, and when
 * accepted planned under both policies (events change capacity, shares,
 * budget caps, end-use status and weights month by month), written and
 * reloaded (fuzz_util.c).
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fz_scenario_dir();
	fz_write(dir, "events.csv", data, size);
	fz_check_dir(dir, 0);
	return 0;
}
