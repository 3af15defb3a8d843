/*
 * replay.c - a plain main() for a fuzz target: feeds every file named on the
 * command line (a directory: each file in it, in name order) to the
 * target's LLVMFuzzerTestOneInput once.
 *
 * Built with the normal compiler in the normal and ASan builds, so that
 * `make test` replays every committed corpus (and each crash found so far,
 * kept there as a regression input) without clang or libFuzzer.  A finding
 * aborts; the driver names the file before feeding it, so the log says
 * which input it was.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static long fed;

static int feed(const char *path)
{
	size_t len = 0;
	char *buf = fz_slurp(path, &len);
	if (!buf) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return 1;
	}
	fprintf(stderr, "replay: %s\n", path);
	/* An exact-size copy, so that ASan catches a read past the end. */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	fed++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int feed_dir(const char *dir)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, NULL);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s\n", dir);
		return 1;
	}
	char **names = calloc((size_t)n + 1, sizeof *names);
	int k = 0, bad = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.')
			names[k++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	qsort(names, (size_t)k, sizeof *names, by_name);
	for (int i = 0; i < k; i++) {
		char path[4096];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			bad |= feed(path);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
			bad = 1;
		} else if (S_ISDIR(sb.st_mode)) {
			bad |= feed_dir(argv[i]);
		} else {
			bad |= feed(argv[i]);
		}
	}
	printf("replayed %ld inputs\n", fed);
	return bad || fed == 0;
}
