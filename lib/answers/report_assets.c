/*
 * report_assets.c - the charting library of the report, for the dashboard
 * (allot_report_chart_js): the generated assets stay private to the
 * report, the server asks for the chunks.
 */
#include <allot/allot.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#include "answers/assets/report_assets.h"
#pragma GCC diagnostic pop

const char *const *allot_report_chart_js(void)
{
	return asset_chartjs;
}
