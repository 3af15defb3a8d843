/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_import(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot import: not built yet\n");
	return EXIT_RUNTIME;
}
