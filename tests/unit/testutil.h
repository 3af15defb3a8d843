/*
 * testutil.h - building scenarios in code for tests, and test paths.
 *
 * Every builder appends to the scenario and returns the new row's index;
 * allocation failure aborts the test (tests are not the code under test).
 */
#ifndef ALLOT_TESTUTIL_H
#define ALLOT_TESTUTIL_H

#include <allot/allot.h>

allot_month tu_m(const char *yyyy_mm);
/* A scenario with the default policy and no rows. */
struct allot_scenario *tu_scenario(const char *as_of, int horizon);
int tu_partner(struct allot_scenario *s, const char *iso3, const char *region, int frontline,
	       double defense_pct, double growth_pct, double troops, int basing,
	       double purchases_usd, double invest_usd);
int tu_line(struct allot_scenario *s, const char *id, double rate, double us_share);
int tu_system(struct allot_scenario *s, const char *id, int line, double unit_cost, int lead_months,
	      int eeum);
/* need may be NULL; rank -1 means empty. */
int tu_order(struct allot_scenario *s, const char *id, int partner, int system, int64_t qty,
	     int64_t delivered, const char *loa, const char *need, int64_t rank);
int tu_mineral(struct allot_scenario *s, const char *id, double stock_kg);
int tu_supply(struct allot_scenario *s, int mineral, const char *source, double kg_per_month);
int tu_bom(struct allot_scenario *s, int system, int mineral, double kg_per_unit);
/* Resolves the target and parses the value as a loader would. */
int tu_event(struct allot_scenario *s, const char *month, enum allot_event_type type,
	     const char *target, const char *value);
int tu_investment(struct allot_scenario *s, int partner, int line, double usd, const char *month,
		  double added_rate, const char *online_month);
/* mineral -1 = every mineral; end NULL = to the horizon. */
int tu_embargo(struct allot_scenario *s, const char *source, int mineral, const char *start,
	       const char *end);
/* Work in progress: units of order delivered in month (wip.csv). */
int tu_wip(struct allot_scenario *s, int order, const char *month, int64_t units);
/* The scenario's wip rows as "ORDER:YYYY-MM:UNITS ..." (a static buffer). */
const char *tu_wip_text(const struct allot_scenario *s);

/* Path of a file in the source tree (ALLOT_TEST_SOURCE_DIR overrides it). */
const char *tu_src(const char *rel);
/* The bundled raw data, sources and mappings (what `make dataset` reads).
 * Its paths are tu_src's: three of its four buffers, so use them before
 * a second tu_src call. */
struct allot_convert_dirs tu_bundled_dirs(void);
/* The backtest's as-of order book: the bundled data converted as of
 * yyyy_mm (allot_convert_dataset_as_of on tu_bundled_dirs), which must
 * succeed (a cmocka failure otherwise).  d is initialised here and gets the
 * warnings (allot_diags_free); *md the book's SOURCES.md text
 * (allot_convert_free_text).  Returns the scenario (allot_scenario_free). */
struct allot_scenario *tu_as_of_book(const char *yyyy_mm, char **md, struct allot_diags *d);
/* A fresh empty temporary directory (removed by tu_rmtree). */
char *tu_tmpdir(void);
void tu_rmtree(const char *dir);
/* Whole file into a NUL-terminated buffer (caller frees); NULL if absent. */
char *tu_slurp(const char *path, size_t *len);

/* Every setting of two policies equal, field by field, doubles bit for bit
 * (entries past a count are not settings); a cmocka failure otherwise. */
void tu_same_policy(const struct allot_policy *a, const struct allot_policy *b);
/* The next number of a xorshift64 generator (state must not be 0). */
uint64_t tu_xorshift(uint64_t *state);

#endif
