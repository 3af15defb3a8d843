/* PLACEHOLDER: replaced by the work on this command (see the open issues). */
#include "cli.h"

int cmd_minerals(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "allot minerals: not built yet\n");
	return EXIT_RUNTIME;
}
