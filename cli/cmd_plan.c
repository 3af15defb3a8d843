/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_plan(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot plan: not built yet\n");
	return EXIT_RUNTIME;
}
