/*
 * run_orders.c - the per-order outcome of one plan (struct
 * allot_run_orders), read back from a store (store_runs.c) or from
 * orders_out.csv (the answers' diff.c): its destructor lives with the
 * store, the lower of the two layers.
 */
#include <allot/allot.h>

#include "util/mem.h"

void allot_run_orders_free(struct allot_run_orders *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->order_id && i < r->n; i++)
		mem_free(r->order_id[i]);
	mem_free(r->order_id);
	mem_free(r->completion);
	mem_free(r->units_short);
	mem_free(r->cancelled);
	mem_free(r->label);
	mem_free(r);
}
