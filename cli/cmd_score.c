/* PLACEHOLDER (replaced by its owner). */
#include "cli.h"
int cmd_score(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "allot score: not built yet\n");
	return EXIT_RUNTIME;
}
