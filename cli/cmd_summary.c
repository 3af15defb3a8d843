/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_summary(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot summary: not built yet\n");
	return EXIT_RUNTIME;
}
