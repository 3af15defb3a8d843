/*
 * store_policy.c - a policy as policy.json text, for scenarios.policy_json.
 *
 * The text is the policy codec's canonical text on one line
 * (allot_policy_json, lib/io/policy.c), read back with the same reader as
 * policy.json, so a stored policy is checked as a file's is.  The policy
 * read must give the stored text again (up to whitespace and escapes, so
 * the spacing of earlier versions still loads): jansson may drop a byte
 * silently when out of memory, and this is where that shows.
 */
#include "store_int.h"

#include <string.h>

#include "io/policy.h"
#include "util/mem.h"

int store_policy_to_json(const struct allot_policy *p, char **out, struct allot_diags *d,
			 const char *file)
{
	*out = NULL;
	int rc = policy_check(p, file, d);
	if (rc != ALLOT_OK)
		return rc;
	*out = allot_policy_json(p, 0);
	return *out ? ALLOT_OK : ALLOT_ENOMEM;
}

int store_policy_from_json(const char *text, struct allot_policy *p, struct allot_diags *d,
			   const char *file)
{
	int rc = policy_parse(text, file, p, d), same = 1;
	if (rc == ALLOT_EINPUT) {
		allot_diags_add(d, file, 0, 0,
				"expected scenarios.policy_json to read as policy.json "
				"does, found the errors above");
		return ALLOT_ESTORE;
	}
	if (rc == ALLOT_OK && (same = policy_text_same(p, text)) != 1) {
		rc = same < 0 ? ALLOT_ENOMEM : ALLOT_ESTORE;
		if (same == 0)
			allot_diags_add(d, file, 0, 0,
					"expected scenarios.policy_json in the form the "
					"store writes, found text that reads back "
					"differently");
		allot_policy_free(p);
		memset(p, 0, sizeof *p);
	}
	return rc;
}
