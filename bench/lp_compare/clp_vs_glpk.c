/*
 * clp_vs_glpk.c - times GLPK and COIN-OR CLP on the same LP (a free MPS
 * file, e.g. written by `ALLOT_RESERVE_MPS=lp.mps allot reserve ...`).
 * Not part of the build (CLP is not a dependency of allot); used once to
 * choose the solver, numbers in docs/reserve.md.
 *
 *   cc -O2 clp_vs_glpk.c -I/usr/include/coin -lglpk -lClp -lCoinUtils -o clp_vs_glpk
 *   ./clp_vs_glpk lp.mps [runs]
 */
#include <glpk.h>
#include <Clp_C_Interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double g_best = 1e9, c_best = 1e9, gobj = 0, cobj = 0;
	glp_term_out(GLP_OFF);
	for (int r = 0; r < runs; r++) {
		glp_prob *P = glp_create_prob();
		if (glp_read_mps(P, GLP_MPS_FILE, NULL, argv[1]) != 0)
			return 1;
		glp_set_obj_dir(P, GLP_MAX);
		glp_smcp parm;
		glp_init_smcp(&parm);
		parm.presolve = GLP_ON;
		double t = now();
		glp_scale_prob(P, GLP_SF_AUTO);
		glp_simplex(P, &parm);
		t = now() - t;
		gobj = glp_get_obj_val(P);
		g_best = t < g_best ? t : g_best;
		glp_delete_prob(P);

		Clp_Simplex *m = Clp_newModel();
		Clp_setLogLevel(m, 0);
		if (Clp_readMps(m, argv[1], 1, 0) != 0)
			return 1;
		Clp_setOptimizationDirection(m, -1); /* maximise */
		t = now();
		Clp_initialSolve(m);
		t = now() - t;
		cobj = Clp_objectiveValue(m);
		c_best = t < c_best ? t : c_best;
		Clp_deleteModel(m);
	}
	printf("glpk %.4f s (objective %.6f)  clp %.4f s (objective %.6f)  best of %d\n", g_best,
	       gobj, c_best, cobj, runs);
	return 0;
}
