/* PLACEHOLDER (replaced by the store work). */
#include <allot/allot.h>

int allot_store_open(const char *path, struct allot_store **out,
		     struct allot_diags *diags)
{
	*out = NULL;
	allot_diags_add(diags, path, 0, 0, "the store is not built yet");
	return ALLOT_ESTORE;
}
void allot_store_close(struct allot_store *st) { (void)st; }
int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, struct allot_diags *diags)
{
	(void)st; (void)name; (void)s; (void)diags;
	return ALLOT_ESTORE;
}
int allot_store_get_scenario(struct allot_store *st, const char *name,
			     struct allot_scenario **out, struct allot_diags *diags)
{
	(void)st; (void)name; (void)out; (void)diags;
	return ALLOT_ESTORE;
}
int allot_store_list_scenarios(struct allot_store *st, char ***names)
{
	(void)st; (void)names;
	return ALLOT_ESTORE;
}
void allot_strv_free(char **v) { (void)v; }
int allot_store_put_plan(struct allot_store *st, const char *scenario_name,
			 const struct allot_plan *p, int64_t *run_id,
			 struct allot_diags *diags)
{
	(void)st; (void)scenario_name; (void)p; (void)run_id; (void)diags;
	return ALLOT_ESTORE;
}
