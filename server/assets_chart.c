/*
 * assets_chart.c - the charting library, served at /chart.js.
 *
 * It is the very file `allot report` writes inline into its HTML
 * (allot_report_chart_js: Chart.js, pinned in web/package-lock.json), so
 * the dashboard and the report draw with the same code.  The library holds
 * the file as string chunks; they are joined once, on first use.
 */
#include <pthread.h>
#include <string.h>

#include "mem.h"
#include "server_int.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct asset chart = { "/chart.js", "text/javascript; charset=utf-8", NULL, 0 };

static void join(void)
{
	const char *const *asset_chartjs = allot_report_chart_js();
	size_t n = 0;
	for (size_t i = 0; asset_chartjs[i]; i++)
		n += strlen(asset_chartjs[i]);
	unsigned char *buf = mem_alloc(n + 1);
	if (!buf)
		return; /* served as a 404: the page still works, without charts */
	size_t off = 0;
	for (size_t i = 0; asset_chartjs[i]; i++) {
		size_t len = strlen(asset_chartjs[i]);
		memcpy(buf + off, asset_chartjs[i], len);
		off += len;
	}
	chart.data = buf;
	chart.len = n;
}

const struct asset *assets_chart(void)
{
	pthread_once(&once, join);
	return chart.data ? &chart : NULL;
}
