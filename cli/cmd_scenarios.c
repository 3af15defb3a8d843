/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_scenarios(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot scenarios: not built yet\n");
	return EXIT_RUNTIME;
}
