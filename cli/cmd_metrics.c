/* PLACEHOLDER: replaced by the work on this command (see the open issues). */
#include "cli.h"

int cmd_metrics(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "allot metrics: not built yet\n");
	return EXIT_RUNTIME;
}
