/*
 * story.c - storylines (data/storylines/<name>/, docs/whatif.md): an
 * overlay of rows, a changes.txt of changes in the one grammar (one a
 * line, # comments), an fx.csv when a change names a currency, and a
 * README.md whose "Question:" line is the question it answers.
 */
#include <allot/allot.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int allot_changes_read(const char *path, struct allot_change **v, size_t *n, struct allot_diags *d)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ALLOT_ENOTFOUND;
	char line[1024];
	long ln = 0;
	int rc = ALLOT_OK;
	while (fgets(line, sizeof line, f)) {
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		const char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		struct allot_change c;
		struct allot_change_error err;
		if (allot_change_parse_line(p, &c, &err) != ALLOT_OK) {
			allot_diags_add(d, path, ln, err.col ? err.col + (long)(p - line) : 0, "%s",
					err.msg);
			rc = ALLOT_EINPUT;
			continue;
		}
		struct allot_change *nv = mem_reallocarray(*v, *n + 1, sizeof *nv);
		if (!nv) {
			rc = ALLOT_ENOMEM;
			break;
		}
		*v = nv;
		nv[(*n)++] = c;
	}
	fclose(f);
	return rc;
}

int allot_storyline_question(const char *dir, char *buf, size_t size)
{
	char path[4096], line[1024];
	snprintf(path, sizeof path, "%s/README.md", dir);
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (!f)
		return ALLOT_ENOTFOUND;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *q = strstr(line, "Question:");
		if (q) {
			q += strlen("Question:");
			q += strspn(q, " *");
			snprintf(buf, size, "%s", q);
			size_t k = strlen(buf);
			while (k && (buf[k - 1] == '*' || buf[k - 1] == ' '))
				buf[--k] = '\0';
			break;
		}
	}
	fclose(f);
	return buf[0] ? ALLOT_OK : ALLOT_ENOTFOUND;
}

int allot_storyline_year(const char *dir)
{
	char path[4096], line[1024];
	snprintf(path, sizeof path, "%s/README.md", dir);
	FILE *f = fopen(path, "r");
	int year = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		const char *q = strstr(line, "Year:");
		if (line[0] != '*' || !q)
			continue;
		q += strlen("Year:");
		q += strspn(q, " *");
		int y = atoi(q);
		if (y >= 1900 && y <= 9999)
			year = y;
		break;
	}
	fclose(f);
	return year;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int allot_storylines_list(const char *root, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	DIR *dir = opendir(root);
	if (!dir)
		return ALLOT_ENOTFOUND;
	struct dirent *e;
	int rc = ALLOT_OK;
	char path[4096];
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/README.md", root, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		char **nv = mem_reallocarray(*names, *n + 2, sizeof *nv);
		if (!nv || !(nv[*n] = mem_strdup(e->d_name))) {
			if (nv)
				*names = nv;
			rc = ALLOT_ENOMEM;
			break;
		}
		*names = nv;
		nv[++*n] = NULL;
	}
	closedir(dir);
	if (*names)
		qsort(*names, *n, sizeof **names, cmp_str);
	return rc;
}
