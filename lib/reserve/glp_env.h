/*
 * glp_env.h - one way to open and close a GLPK problem, for the two LPs
 * of lib/reserve (reserve_lp.c, economy_lp.c).
 *
 * GLPK keeps an environment per thread (Debian's build is reentrant),
 * made on first use and never freed by a thread that exits: a server
 * worker would leave one behind at shutdown.  No GLPK object outlives an
 * LP's call, so the thread's environment goes with its problem; the next
 * call makes a new one, quiet again.
 */
#ifndef ALLOT_RESERVE_GLP_ENV_H
#define ALLOT_RESERVE_GLP_ENV_H

#include <glpk.h>

/* A new problem, with GLPK's terminal output off. */
static inline glp_prob *reserve_glp_open(void)
{
	glp_term_out(GLP_OFF);
	return glp_create_prob();
}

/* Deletes P (NULL: nothing was opened) and the thread's environment. */
static inline void reserve_glp_close(glp_prob *P)
{
	if (!P)
		return;
	glp_delete_prob(P);
	glp_free_env();
}

#endif
