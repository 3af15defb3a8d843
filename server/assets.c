/*
 * assets.c - the bundled web files, served by exact path only.
 *
 * The dashboard (web/dashboard, generated into assets_gen.c by
 * gen_assets.sh) and the charting library that `allot report` embeds
 * (lib/answers/assets, the same file, so the dashboard and the report draw
 * with the same code) are compiled into the binary.  Nothing is read from
 * the filesystem: a path not in these tables is a 404.  Clients that accept
 * gzip get a compressed copy, made once.
 */
#include <pthread.h>
#include <string.h>

#include "server_int.h"

extern const struct asset assets_dashboard[];

#define MAX_ASSETS 16

/* gzip forms, made once on first use and kept for the life of the process. */
static pthread_once_t gz_once = PTHREAD_ONCE_INIT;
static struct asset gz[MAX_ASSETS];
static const struct asset *gz_of[MAX_ASSETS];
static size_t n_gz;

static void add_gzip(const struct asset *a)
{
	unsigned char *buf;
	size_t len;
	if (a && n_gz < MAX_ASSETS && gzip_bytes(a->data, a->len, &buf, &len) == 0) {
		gz[n_gz] = (struct asset){ a->path, a->type, buf, len };
		gz_of[n_gz++] = a;
	}
}

static void compress_all(void)
{
	for (const struct asset *a = assets_dashboard; a->path; a++)
		add_gzip(a);
	add_gzip(assets_chart());
}

const struct asset *assets_gzip(const struct asset *a)
{
	pthread_once(&gz_once, compress_all);
	for (size_t i = 0; i < n_gz; i++)
		if (gz_of[i] == a)
			return &gz[i];
	return NULL;
}

const struct asset *assets_find(const char *path)
{
	for (const struct asset *a = assets_dashboard; a->path; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	if (strcmp(path, "/chart.js") == 0)
		return assets_chart();
	return NULL;
}
