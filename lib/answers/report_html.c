/*
 * report_html.c - writes a report as one self-contained HTML file: the
 * page, its style, the data (JSON), Chart.js and the drawing script are all
 * inline, and a Content-Security-Policy of default-src 'none' keeps the
 * browser from fetching anything, so the file opens offline and sends no
 * request.  The headline findings are plain HTML (readable without
 * scripts), and so are the reserve section's text and headline; charts and
 * tables are drawn by web/src/report.js.  The file is written to a
 * temporary file, synced and renamed into place.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <string.h>

#include "answers/assets/report_assets.h"
#include "answers/report_int.h"
#include "util/afile.h"
#include "util/mem.h"

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void put_asset(FILE *f, const char *const *chunks)
{
	for (size_t i = 0; chunks[i]; i++)
		fputs(chunks[i], f);
}

/* One section: title, how to read it, a chart box (optional), a table. */
struct section {
	const char *id, *title, *how, *canvas, *table, *extra;
	int short_chart;
	int open_table; /* the table shown open (it is the point of the section) */
};

static const struct section sections[] = {
	{ "leaderboard", "Partner leaderboard",
	  "Each partner's score (0-100) at the start of the plan, split into the points each "
	  "criterion contributes; end-use penalties pull it below. Tier 1 is served first under "
	  "the priority rule.",
	  "c-leaderboard", "leaderboard", NULL, 0, 0 },
	{ "timelines", "Delivery timelines per system",
	  "Under the shown plan: grey, the wait from the later of the LOA and the start of the "
	  "plan to the first delivery; coloured, first delivery to completion. The 30 systems "
	  "with the largest open value; pick a system below to see its orders (coloured by "
	  "tier).",
	  "c-gantt", "orders",
	  "<label for=\"sel-system\">System: </label><select id=\"sel-system\"></select>"
	  "<div class=\"chart\"><canvas id=\"c-gantt-system\"></canvas></div>",
	  0, 0 },
	{ "partner", "One partner's deliveries under each policy",
	  "Units delivered to the partner, cumulative from the start of the plan, under first "
	  "come, first served and under the priority rule (Poland unless the report names "
	  "another with --partner). Nothing is drawn past the horizon: units that would arrive "
	  "later are counted in the table's last row.",
	  "c-partner", "partner", NULL, 0, 1 },
	{ "backlog", "Backlog over time by tier, under each policy",
	  "Units signed for and not yet delivered at the end of each month, per tier of the "
	  "partner; solid lines priority, dashed first-come-first-served.",
	  "c-backlog", "backlog", NULL, 0, 0 },
	{ "compare", "Who gains and who waits",
	  "Mean wait (months from the later of LOA and the start of the plan to completion) by "
	  "tier and region under each policy; the table lists every partner too.",
	  "c-compare", "compare", NULL, 1, 0 },
	{ "metrics", "Quarterly metrics",
	  "LOA value signed and value delivered per quarter, and the backlog's value at quarter "
	  "end, for every tier (the table has each tier, open cases, median age and the share "
	  "delivered on time). Deliveries before the start of the plan are not dated.",
	  "c-metrics", "metrics", NULL, 0, 0 },
	{ "minerals", "Mineral cover",
	  "Months from the start of the plan for which each mineral's stock meets the planned "
	  "draw (the plan with minerals set aside): from stock alone, with supply, and without "
	  "each embargoed or foreign source. A full bar means the stock lasts the horizon.",
	  "c-minerals", "minerals", NULL, 1, 0 },
	/* Written by reserve_section: its text depends on the run. */
	{ "reserve", "Critical-minerals reserve", NULL, NULL, NULL, NULL, 0, 0 },
	{ "risk", "Sales at risk",
	  "Orders of lowest-tier partners for systems with a foreign alternative that wait longer "
	  "than the threshold: the value still to deliver could go elsewhere. The chart sums it "
	  "by alternative.",
	  "c-risk", "risk", NULL, 1, 1 },
	{ "opportunities", "Capacity left unsold",
	  "Line capacity left after every open order in the window, by system at unit cost (systems "
	  "on one line share it), with the partners best placed to buy it (tier; the line's "
	  "customers first; budget room).",
	  "c-opportunities", "opportunities", NULL, 1, 1 },
	/* Written by backtest_section: its text depends on the run. */
	{ "backtest", "Backtest", NULL, NULL, NULL, NULL, 0, 0 },
};

static void head(FILE *f, const struct allot_report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"generator\" content=\"allot 0.1.0, Chart.js " ASSET_CHARTJS_VERSION
	      "\">\n<title>allot report: ",
	      f);
	put_escaped(f, r->s->name);
	fputs("</title>\n<style>\n", f);
	put_asset(f, asset_report_css);
	fputs("</style>\n</head>\n", f);
}

static void header(FILE *f, const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	char a[8], e[8], sw[8];
	allot_month_format(s->as_of, a);
	allot_month_format(s->as_of + s->horizon_months - 1, e);
	allot_month_format(r->plan[REPORT_PRIORITY]->switch_month, sw);
	fputs("<body>\n<header>\n<h1>Allocation report: ", f);
	put_escaped(f, s->name);
	fprintf(f, "</h1>\n<p>%s to %s (%d months), %zu partners, %zu open orders; plan shown: ", a,
		e, s->horizon_months, s->n_partners, s->n_orders);
	fputs(allot_policy_kind_name(r->o.policy), f);
	if (r->o.policy == ALLOT_POLICY_PRIORITY && sw[0] &&
	    r->plan[REPORT_PRIORITY]->switch_month > s->as_of)
		fprintf(f, " (fcfs before %s)", sw);
	fputs(".</p>\n</header>\n<nav><a href=\"#findings\">Findings</a>", f);
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		fprintf(f, "<a href=\"#%s\">%s</a>", sections[i].id, sections[i].title);
	if (r->o.storylines_dir)
		fputs("<a href=\"#storylines\">Storylines</a>", f);
	fputs("</nav>\n<main>\n", f);
}

static void findings(FILE *f, const struct allot_report *r)
{
	fputs("<section id=\"findings\">\n<h2>Headline findings</h2>\n<ul>\n", f);
	for (size_t i = 0; i < r->n_findings; i++) {
		fputs("<li>", f);
		put_escaped(f, r->findings[i]);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

/* Storylines (report_story.c): per storyline its question, the headline
 * in units and USD, and a chart of the partners whose delivered value
 * changes most; the table has them all. */
static void storylines_section(FILE *f, const struct allot_report *r)
{
	fputs("<section id=\"storylines\">\n<h2>Storylines</h2>\n<p class=\"how\">Each storyline "
	      "(data/storylines, docs/whatif.md) planned without and with its changes under the "
	      "shown policy, as allot whatif answers it; its README.md cites every figure it adds "
	      "and labels the estimates. Charts: USD delivered by the year, without and with the "
	      "changes, for the partners whose value changes most; when no partner's value "
	      "changes, for the partners the storyline concerns (named by its changes, with "
	      "orders on its lines or systems or needing its embargoed minerals, or owning its "
	      "new orders or moved requests), whose equal bars say that nothing moves for "
	      "them.</p>\n",
	      f);
	if (!r->n_stories)
		fputs("<p class=\"how\">No storyline found.</p>\n", f);
	for (size_t i = 0; i < r->n_stories; i++) {
		const struct report_story *st = &r->stories[i];
		fputs("<h3>", f);
		put_escaped(f, st->name);
		fputs("</h3>\n<p class=\"how\">", f);
		put_escaped(f, st->question);
		fputs("</p>\n<p class=\"headline\">", f);
		put_escaped(f, st->headline);
		fputs("</p>\n", f);
		if (st->concerned)
			fprintf(f,
				"<p class=\"how\">No partner's USD delivered by the end of %d "
				"changes: the chart shows the partners this storyline concerns, without "
				"and with its changes.</p>\n",
				st->year);
		if (st->n_bars)
			fprintf(f,
				"<div class=\"chart short\"><canvas id=\"c-story-%zu\"></canvas></div>\n",
				i);
		else if (st->ok)
			fprintf(f,
				"<p class=\"how\">No chart: no partner's USD delivered by the end "
				"of %d changes (the headline says what does).</p>\n",
				st->year);
	}
	fputs("<div id=\"table-storylines\"></div>\n</section>\n", f);
}

static void section(FILE *f, const struct section *x)
{
	fprintf(f, "<section id=\"%s\">\n<h2>%s</h2>\n<p class=\"how\">", x->id, x->title);
	put_escaped(f, x->how);
	fputs("</p>\n", f);
	if (x->canvas)
		fprintf(f, "<div class=\"chart%s\"><canvas id=\"%s\"></canvas></div>\n",
			x->short_chart ? " short" : "", x->canvas);
	if (x->extra)
		fprintf(f, "%s\n", x->extra);
	fprintf(f, "<div id=\"table-%s\"%s></div>\n</section>\n", x->table,
		x->open_table ? " data-open=\"1\"" : "");
}

/* The reserve: what was asked and how it was solved, the headline, two
 * charts (cover before and after; units by tier without and with) and the
 * three tables; or the note saying why it was skipped. */
static void reserve_section(FILE *f, const struct allot_report *r)
{
	fputs("<section id=\"reserve\">\n<h2>Critical-minerals reserve</h2>\n", f);
	if (!r->reserve) {
		fputs("<p class=\"how\">", f);
		put_escaped(f, r->reserve_note);
		fputs("</p>\n</section>\n", f);
		return;
	}
	fputs("<p class=\"how\">", f);
	put_escaped(f, r->reserve_how);
	fputs("</p>\n<p class=\"headline\">", f);
	put_escaped(f, r->reserve_headline);
	if (r->xreserve_headline) {
		fputs("</p>\n<p class=\"headline\">", f);
		put_escaped(f, r->xreserve_headline);
		fputs("</p>\n<div id=\"table-reserve-economy\" data-open=\"1\"></div>\n"
		      "<div class=\"chart short\"><canvas id=\"c-reserve-groups\"></canvas></div>\n"
		      "<div id=\"table-reserve-groups\" data-open=\"1\"></div>\n<p>",
		      f);
		fputs("The order-level answer for the arms lines (allot reserve --scope lines):",
		      f);
	}
	fputs("</p>\n<div class=\"chart short\"><canvas id=\"c-reserve-cover\"></canvas></div>\n"
	      "<div id=\"table-reserve\" data-open=\"1\"></div>\n"
	      "<div class=\"chart short\"><canvas id=\"c-reserve-tiers\"></canvas></div>\n"
	      "<div id=\"table-reserve-tiers\" data-open=\"1\"></div>\n"
	      "<div id=\"table-reserve-methods\"></div>\n</section>\n",
	      f);
}

/* The backtest (docs/backtest.md): its headline and the top systems. */
static void backtest_section(FILE *f, const struct allot_report *r)
{
	const struct allot_backtest *b = r->o.backtest;
	fputs("<section id=\"backtest\">\n<h2>Backtest</h2>\n<p class=\"how\">", f);
	if (!b) {
		fputs("Not run: <code>allot report --backtest</code> adds the model's test against "
		      "the deliveries SIPRI recorded (docs/backtest.md).</p>\n</section>\n",
		      f);
		return;
	}
	char m[8], h[ALLOT_BACKTEST_HEADLINE_MAX], yb[ALLOT_STYLE_YEARS_MAX];
	allot_month_format(b->as_of, m);
	allot_style_years(b->year_from, b->year_to, yb);
	allot_backtest_headline(b, h, sizeof h); /* as allot backtest and the finding say */
	fprintf(f,
		"The order book rebuilt as it stood at %s by the converter's own rules, planned "
		"first come, first served, against the deliveries SIPRI records for %s. Goals: "
		"70 %% of completed orders within +-1 year, a mean absolute error under 1 year, "
		"yearly units within +-25 %% for the 20 systems with most units (docs/backtest.md)."
		"</p>\n<p class=\"headline\">",
		m, yb);
	put_escaped(f, h);
	fputs("</p>\n<div id=\"table-backtest\" data-open=\"1\"></div>\n</section>\n", f);
}

static void body(FILE *f, const struct allot_report *r, const char *data)
{
	header(f, r);
	findings(f, r);
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		if (sections[i].how)
			section(f, &sections[i]);
		else if (strcmp(sections[i].id, "backtest") == 0)
			backtest_section(f, r);
		else
			reserve_section(f, r);
	if (r->o.storylines_dir)
		storylines_section(f, r);
	fputs("</main>\n<footer>Written by allot 0.1.0 (docs/report.md explains every figure). "
	      "Charts: Chart.js " ASSET_CHARTJS_VERSION " (MIT licence), inline.</footer>\n",
	      f);
	fputs("<script type=\"application/json\" id=\"allot-data\">", f);
	fputs(data, f);
	fputs("</script>\n<script>\n", f);
	put_asset(f, asset_chartjs);
	fputs("</script>\n<script>\n", f);
	put_asset(f, asset_report_js);
	fputs("</script>\n</body>\n</html>\n", f);
}

int allot_report_write_html(const struct allot_report *r, const char *path)
{
	char *data = report_data_json(r);
	if (!data)
		return ALLOT_ENOMEM;
	struct afile af;
	int rc = ALLOT_EIO;
	if (afile_open(&af, path) != 0)
		goto done;
	head(af.f, r);
	body(af.f, r, data);
	if (ferror(af.f) || afile_commit(&af) != 0) {
		afile_abort(&af);
		goto done;
	}
	rc = ALLOT_OK;
done:
	mem_free(data);
	return rc;
}
