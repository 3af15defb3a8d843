/*
 * dataset_events.c - events.csv of the dataset from the hand-typed, cited
 * data/sources/events.csv (month,type,target,value,citation).  Values may
 * be written as a fraction ("2000/12" for 2,000 a year); the scenario gets
 * the number in canonical form.  Rows keep their file order.
 */
#include "convert/dataset.h"

#include <string.h>

#include "util/mem.h"

enum { EV_MONTH, EV_TYPE, EV_TARGET, EV_VALUE, EV_CITE };
static const char *const event_cols[] = {
	"month", "type", "target", "value", "citation", NULL,
};

static int event_type(const char *s)
{
	for (int t = 0; t < ALLOT_EV_COUNT; t++)
		if (strcmp(s, allot_event_type_name((enum allot_event_type)t)) == 0)
			return t;
	return -1;
}

static int resolve(const struct allot_scenario *s, struct allot_event *e)
{
	switch (e->type) {
	case ALLOT_EV_CAPACITY:
	case ALLOT_EV_US_SHARE:
		return allot_scenario_find_line(s, e->target);
	case ALLOT_EV_BUDGET_CAP:
	case ALLOT_EV_EUM_STATUS:
		return allot_scenario_find_partner(s, e->target);
	case ALLOT_EV_WEIGHT:
		return allot_criterion_parse(e->target);
	case ALLOT_EV_CATALOG:
	case ALLOT_EV_EEUM:
	case ALLOT_EV_MIN_TIER:
		return allot_scenario_find_system(s, e->target);
	default:
		return -1;
	}
}

static int add_event(struct ds *ds, const struct ds_table *t, size_t row)
{
	struct allot_scenario *s = ds->s;
	long line = t->t.rows[row].line;
	struct allot_event e;
	memset(&e, 0, sizeof e);
	const char *month = ds_field(t, row, EV_MONTH), *type = ds_field(t, row, EV_TYPE);
	const char *value = ds_field(t, row, EV_VALUE);
	int ty = event_type(type);
	if (allot_month_parse(month, &e.month) != 0) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EV_MONTH),
				"expected a month YYYY-MM, found '%s'", month);
		return ALLOT_EINPUT;
	}
	if (ty < 0) {
		allot_diags_add(
			ds->d, t->path, line, ds_colno(t, row, EV_TYPE),
			"expected capacity, us_share, budget_cap, eum_status, weight, catalog, "
			"eeum or min_tier, found '%s'",
			type);
		return ALLOT_EINPUT;
	}
	e.type = (enum allot_event_type)ty;
	e.target = (char *)ds_field(t, row, EV_TARGET);
	e.index = resolve(s, &e);
	if (e.index < 0) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EV_TARGET),
				"expected a %s of the dataset, found '%s'",
				e.type == ALLOT_EV_WEIGHT     ? "criterion"
				: e.type >= ALLOT_EV_CATALOG  ? "system"
				: e.type <= ALLOT_EV_US_SHARE ? "line used by an open order"
							      : "partner",
				e.target);
		return ALLOT_EINPUT;
	}
	char canon[32];
	if (e.type == ALLOT_EV_EUM_STATUS) {
		if (allot_eum_parse(value, &e.eum) != 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EV_VALUE),
					"expected compliant, delinquent or violation, found '%s'",
					value);
			return ALLOT_EINPUT;
		}
		snprintf(canon, sizeof canon, "%s", allot_eum_name(e.eum));
	} else {
		if (ds_number(value, &e.num) != 0 || e.num < 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EV_VALUE),
					"expected a non-negative number, found '%s'", value);
			return ALLOT_EINPUT;
		}
		allot_fmt_double(e.num, canon);
	}
	if (ds_push(&s->events, s->n_events, sizeof *s->events))
		return ALLOT_ENOMEM;
	struct allot_event *v = &s->events[s->n_events];
	*v = e;
	v->target = mem_strdup(e.target);
	v->value = mem_strdup(canon);
	s->n_events++;
	if (!v->target || !v->value)
		return ALLOT_ENOMEM;
	buf_printf(&ds->md, "| %s | %s | %s | %s (%s) | %s |\n", month, type, v->target, canon,
		   value, ds_field(t, row, EV_CITE));
	return ALLOT_OK;
}

/* A capacity or us_share event on a line without open orders at an
 * earlier as-of month (the bundled dataset reports it as an error). */
static int known_target_absent(const struct ds *ds, const struct ds_table *t, size_t row)
{
	int ty = event_type(ds_field(t, row, EV_TYPE));
	return (ty == ALLOT_EV_CAPACITY || ty == ALLOT_EV_US_SHARE) &&
	       allot_scenario_find_line(ds->s, ds_field(t, row, EV_TARGET)) < 0;
}

int ds_events(struct ds *ds)
{
	struct ds_table t;
	int rc = ds_table_load(ds, ds->dirs->sources, "events.csv", event_cols, &t);
	if (rc == ALLOT_OK)
		buf_puts(
			&ds->md,
			"\n### Events (events.csv)\n\n"
			"| month | type | target | value (as typed) | citation |\n|---|---|---|---|---|\n");
	for (size_t i = 1; rc == ALLOT_OK && i < t.t.n; i++) {
		/* a row whose first field starts with '#' is a comment: it groups
		 * the hand-typed rows (docs/dataset.md) */
		if (csvr_get(&t.t.rows[i], 0)[0] == '#')
			continue;
		/* an as-of dataset knows only what is dated before as_of */
		const char *m = ds_field(&t, i, EV_MONTH);
		if (!ds_is_known(ds, m) ||
		    (ds->known != ALLOT_NO_MONTH && known_target_absent(ds, &t, i)))
			continue;
		rc = add_event(ds, &t, i);
	}
	ds_table_free(&t);
	return rc;
}
