/*
 * fuzz_policy.c - fuzz target: policy.json, in memory.
 *
 * The input is parsed as the loader parses a policy file (json_parse_bytes
 * with unique keys, then policy_from_json).  An accepted policy must survive
 * the canonical writer: policy_write, parsed and read again, gives the same
 * text when written once more, and the store's JSON form reads back to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "io/json.h"
#include "io/policy.h"
#include "store/store_int.h"
#include "util/mem.h"

static char *written(const struct allot_policy *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	FZ_CHECK(f != NULL);
	policy_write(p, f);
	FZ_CHECK(fclose(f) == 0);
	return text;
}

static int read_policy(const char *buf, size_t len, struct allot_policy *p, struct allot_diags *d)
{
	json_t *j = NULL;
	/* The text as a C string, for json_find_key. */
	char *text = malloc(len + 1);
	FZ_CHECK(text != NULL);
	memcpy(text, buf, len);
	text[len] = '\0';
	int rc = json_parse_bytes(buf, len, JSONP_UNIQUE_KEYS, "policy.json", d, &j);
	if (rc == ALLOT_OK)
		rc = policy_from_json(j, text, "policy.json", p, d);
	else
		FZ_CHECK(j == NULL);
	if (rc != ALLOT_OK) {
		FZ_CHECK(rc == ALLOT_EINPUT);
		FZ_CHECK(allot_diags_count(d) > 0);
	}
	json_decref(j);
	free(text);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_policy p, p2, p3;
	memset(&p, 0, sizeof p);
	if (read_policy((const char *)data, size, &p, &d) != ALLOT_OK) {
		allot_diags_free(&d);
		return 0;
	}
	size_t l1, l2;
	char *t1 = written(&p, &l1);
	memset(&p2, 0, sizeof p2);
	if (read_policy(t1, l1, &p2, &d) != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		fprintf(stderr, "%s", t1);
		fz_fail("policy_write gives a policy that reads back", __FILE__, __LINE__);
	}
	char *t2 = written(&p2, &l2);
	FZ_CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
	/* The store keeps the policy as one line of JSON. */
	char *sj = NULL;
	FZ_CHECK(store_policy_to_json(&p, &sj, &d, "store") == ALLOT_OK);
	memset(&p3, 0, sizeof p3);
	FZ_CHECK(store_policy_from_json(sj, &p3, &d, "store") == ALLOT_OK);
	size_t l3;
	char *t3 = written(&p3, &l3);
	FZ_CHECK(l1 == l3 && memcmp(t1, t3, l1) == 0);
	free(t1);
	free(t2);
	free(t3);
	mem_free(sj);
	allot_policy_free(&p);
	allot_policy_free(&p2);
	allot_policy_free(&p3);
	allot_diags_free(&d);
	return 0;
}
