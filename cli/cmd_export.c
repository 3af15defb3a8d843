/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_export(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot export: not built yet\n");
	return EXIT_RUNTIME;
}
