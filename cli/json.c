/*
 * json.c - an answer's JSON on stdout: the object the library builds for
 * the CLI and the API alike (lib/answers, issue 14), printed one way.
 */
#include <jansson.h>
#include <stdio.h>

#include "cli.h"

void cli_json_print(json_t *root, int real_precision)
{
	if (!root) {
		fputs("null\n", stdout);
		return;
	}
	/* 0: the API's precision (server/http.c), so both faces write the
	 * same digits */
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(real_precision ? real_precision : 15);
	json_dumpf(root, stdout, flags);
	fputc('\n', stdout);
	json_decref(root);
}
