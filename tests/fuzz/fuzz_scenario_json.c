/*
 * fuzz_scenario_json.c - fuzz target: scenario.json.
 *
 * The input becomes scenario.json of the tiny scenario; the directory is
 * loaded (JSON syntax, unique keys, the key table, months, the horizon, the
 * policy file name, notes), and when accepted planned, written and
 * reloaded (fuzz_util.c).  The policy key may name any file of the
 * directory, so the CSV files are read as policies too.
 */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fz_scenario_dir();
	fz_write(dir, "scenario.json", data, size);
	fz_check_dir(dir, 0);
	return 0;
}
