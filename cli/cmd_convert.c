/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_convert(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot convert: not built yet\n");
	return EXIT_RUNTIME;
}
