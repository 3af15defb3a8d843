/*
 * assets.c - the bundled web files, served by exact path only.
 *
 * The dashboard (web/dashboard, generated into assets_gen.c by
 * gen_assets.sh) and the charting library that `allot report` embeds
 * (lib/answers/assets, the same file, so the dashboard and the report draw
 * with the same code) are compiled into the binary.  Nothing is read from
 * the filesystem: a path not in these tables is a 404.
 */
#include <string.h>

#include "server_int.h"

extern const struct asset assets_dashboard[];

const struct asset *assets_find(const char *path)
{
	for (const struct asset *a = assets_dashboard; a->path; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	if (strcmp(path, "/chart.js") == 0)
		return assets_chart();
	return NULL;
}
