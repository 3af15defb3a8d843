/*
 * allot.h - the public API of liballot.
 *
 * liballot is the planning engine behind the `allot` tool: it loads a
 * scenario (a directory of CSV files plus scenario.json and policy.json),
 * scores and tiers partners, allocates constrained production month by month
 * and stores scenarios and plan runs in SQLite.  The exact meaning of a plan
 * and of a score is fixed by docs/allocation.md (a copy of the design
 * contract); docs/scenario-format.md documents every file and column.
 *
 * Conventions used throughout:
 *   - Functions return 0 on success and a non-zero ALLOT_E* code on failure.
 *     Results are written through out-parameters.
 *   - Errors about input carry the file, line and column they concern and
 *     are collected in a struct allot_diags so that one run reports many.
 *   - Every destructor accepts NULL.
 *   - Strings in the model are owned by the model (NUL-terminated, UTF-8).
 *   - Months are integers: year * 12 + (month - 1).  ALLOT_NO_MONTH marks an
 *     absent month (an empty optional cell).
 *
 * Each noun has its own header, <allot/NOUN.h>, which compiles on its own
 * (tests/CMakeLists.txt checks it); this umbrella includes them all.
 */
#ifndef ALLOT_ALLOT_H
#define ALLOT_ALLOT_H

#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/ranges.h>
#include <allot/schema.h>
#include <allot/score.h>
#include <allot/plan.h>
#include <allot/store.h>
#include <allot/synth.h>
#include <allot/format.h>
#include <allot/value.h>
#include <allot/style.h>
#include <allot/convert.h>
#include <allot/backtest.h>
#include <allot/answers.h>
#include <allot/whatif.h>
#include <allot/sweep.h>
#include <allot/reserve.h>
#include <allot/report.h>
#include <allot/cases.h>

#endif
