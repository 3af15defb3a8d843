/*
 * thread_single.c - an MPI library that provides only MPI_THREAD_SINGLE,
 * for tests/mpi/run.sh: preloaded (LD_PRELOAD) into allot-mpi, it lowers
 * the level that MPI_Init_thread reports (through the profiling interface,
 * PMPI_Init_thread, so MPI itself starts as usual), and counts the threads
 * the process creates between MPI_Init_thread and MPI_Finalize.  At
 * MPI_Finalize each rank appends "rank R threads N" to the file named by
 * ALLOT_MPI_SHIM_LOG.  With ALLOT_MPI_SHIM_KEEP set it only counts (the
 * level stays what MPI provides), which shows the count sees the sweep's
 * threads.  With ALLOT_MPI_SHIM_FAIL_FREOPEN set, freopen fails on every
 * rank but 0 (as a rank's silencing of its output could).  Built by run.sh
 * with mpicc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <mpi.h>
#include <pthread.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_int counting, created;

int MPI_Init_thread(int *argc, char ***argv, int required, int *provided)
{
	int rc = PMPI_Init_thread(argc, argv, required, provided);
	if (rc == MPI_SUCCESS && !getenv("ALLOT_MPI_SHIM_KEEP"))
		*provided = MPI_THREAD_SINGLE;
	atomic_store(&counting, 1);
	return rc;
}

int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	if (atomic_load(&counting))
		atomic_fetch_add(&created, 1);
	return real(th, attr, fn, arg);
}

/* freopen and freopen64: fail on every rank but 0 when asked, else the
 * C library's (name) */
static FILE *reopen(const char *name, const char *path, const char *mode, FILE *f)
{
	int rank = 0;
	if (getenv("ALLOT_MPI_SHIM_FAIL_FREOPEN") && atomic_load(&counting)) {
		PMPI_Comm_rank(MPI_COMM_WORLD, &rank);
		if (rank != 0) {
			errno = EIO;
			return NULL;
		}
	}
	FILE *(*real)(const char *, const char *, FILE *);
	*(void **)&real = dlsym(RTLD_NEXT, name);
	return real(path, mode, f);
}

FILE *freopen(const char *path, const char *mode, FILE *f)
{
	return reopen("freopen", path, mode, f);
}

FILE *freopen64(const char *path, const char *mode, FILE *f)
{
	return reopen("freopen64", path, mode, f);
}

int MPI_Finalize(void)
{
	atomic_store(&counting, 0);
	int rank = -1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	const char *log = getenv("ALLOT_MPI_SHIM_LOG");
	FILE *f = log ? fopen(log, "a") : NULL;
	if (f) {
		fprintf(f, "rank %d threads %d\n", rank, atomic_load(&created));
		fclose(f);
	}
	return PMPI_Finalize();
}
