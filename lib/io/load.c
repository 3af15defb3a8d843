/* PLACEHOLDER (replaced by the scenario I/O work): load and write. */
#include <allot/allot.h>

int allot_scenario_load(const char *dir, struct allot_scenario **out,
			struct allot_diags *diags)
{
	(void)out;
	allot_diags_add(diags, dir, 0, 0, "scenario loading is not built yet");
	return ALLOT_EIO;
}

int allot_scenario_write(const struct allot_scenario *s, const char *dir,
			 struct allot_diags *diags)
{
	(void)s;
	allot_diags_add(diags, dir, 0, 0, "scenario writing is not built yet");
	return ALLOT_EIO;
}
