/*
 * store_vfs.c - the store's VFS: SQLite's default one, with the writes to a
 * WAL file gathered into big ones.
 *
 * SQLite writes a WAL frame as two calls, its 24-byte header and its page,
 * at consecutive offsets: a 1M-order put commits 21,000 frames, 42,000
 * pwrite calls of which each costs more in the kernel than its bytes
 * (docs/performance.md, eighth round).  This shim keeps consecutive writes
 * to a WAL file in a buffer (STORE_VFS_BUF bytes, 29 frames) and writes
 * them in one call when the next write is not adjacent, when the buffer is full, and
 * before anything that could look at the file: a read, its size, a
 * truncation, a sync, a lock change, a file control, the close.
 *
 * Why that is safe.  The WAL file is shared by every connection to the
 * store, in this process and others; the buffer is one connection's.  A
 * connection's WAL bytes must be in the file before another one may read
 * them or write over them, and both happen only after something on the
 * database file's shared memory: another connection reads frames only
 * once the wal-index header tells of them, which the writer publishes
 * after an xShmBarrier (walIndexWriteHdr), and writes frames only once it
 * holds the WAL's write lock, which the writer gives up with an xShmLock.
 * So the database file's xShmBarrier and xShmLock flush the buffer of the
 * WAL file its connection opened (found by the name SQLite opened both by:
 * sqlite3_filename_database of the WAL's name is the database's).  Without
 * that, frames a transaction wrote before it rolled back (a cache spill)
 * stayed in the buffer, and a later read or the close put them over the
 * frames another connection had committed meanwhile (test_store_vfs).  A
 * WAL whose database file is not found is written straight through.
 *
 * The store's connections run with synchronous = FULL (store.c): a commit
 * syncs the WAL (here: flushes, then syncs) before it publishes its
 * frames, so the flushes above have nothing left to write after a commit.
 * A crash loses what the buffer holds, which is what a crash before those
 * pwrite calls lost: frames after the last synced commit, which WAL
 * recovery ignores.  A failed write is reported by the call that flushed
 * (the commit's sync: the transaction fails and rolls back); one that
 * failed in a call that cannot report it (xShmBarrier, an unlock) by the
 * WAL's next sync.  The database file, the rollback journal and every
 * other file go straight through: a checkpoint may publish what it copied
 * into the database file without a call this shim could fail.
 *
 * The files are opened through whatever VFS is the default when they are
 * opened (the fault-injecting one of tests/fault, when it is registered),
 * so that every fault a test injects reaches these writes too.
 */
#include "store_int.h"

#include <pthread.h>
#include <string.h>

/* At most 128 KiB - 1: the unix VFS writes a call's bytes in one pwrite
 * whose length it masks with 0x1ffff (SQLite's own writes never reach it). */
#define STORE_VFS_BUF   (120 * 1024)
#define STORE_VFS_SLACK 1024 /* room for a default VFS registered later */

struct wb_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this */
	char *buf;          /* NULL: every write goes straight through */
	size_t n;           /* bytes held, for [at, at + n) */
	sqlite3_int64 at;
	int err; /* a failed flush not yet reported (the next sync) */
	/* The pairs of a database file and its WAL, under files_mu (each
	 * pointer is changed only by its own connection's opens and closes) */
	const char *name;     /* a database file: the name it was opened by */
	struct wb_file *next; /* a database file: the next open one */
	struct wb_file *wal;  /* a database file: its WAL, while open */
	struct wb_file *db;   /* a WAL file: its database file */
};

static pthread_mutex_t files_mu = PTHREAD_MUTEX_INITIALIZER;
static struct wb_file *dbs; /* the database files open through this VFS */

#define REAL(f) (((struct wb_file *)(f))->real)

static int flush(sqlite3_file *f)
{
	struct wb_file *p = (struct wb_file *)f;
	if (!p->n)
		return SQLITE_OK;
	int n = (int)p->n;
	p->n = 0;
	return p->real->pMethods->xWrite(p->real, p->buf, n, p->at);
}

/* For calls that cannot report a failure: the next sync does. */
static void flush_later(struct wb_file *p)
{
	int rc = flush(&p->base);
	if (rc && !p->err)
		p->err = rc;
}

static void unlink_file(struct wb_file *p)
{
	pthread_mutex_lock(&files_mu);
	if (p->db)
		p->db->wal = NULL;
	if (p->wal)
		p->wal->db = NULL;
	if (p->name)
		for (struct wb_file **q = &dbs; *q; q = &(*q)->next)
			if (*q == p) {
				*q = p->next;
				break;
			}
	pthread_mutex_unlock(&files_mu);
	p->db = p->wal = p->next = NULL;
	p->name = NULL;
}

static int wb_close(sqlite3_file *f)
{
	struct wb_file *p = (struct wb_file *)f;
	unlink_file(p);
	int rc = flush(f);
	if (!rc)
		rc = p->err;
	int rc2 = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
	sqlite3_free(p->buf);
	p->buf = NULL;
	return rc ? rc : rc2;
}

static int wb_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int wb_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	struct wb_file *p = (struct wb_file *)f;
	if (!p->buf || n <= 0)
		return p->real->pMethods->xWrite(p->real, buf, n, off);
	if (p->n && (off != p->at + (sqlite3_int64)p->n || p->n + (size_t)n > STORE_VFS_BUF)) {
		int rc = flush(f);
		if (rc)
			return rc;
	}
	if ((size_t)n > STORE_VFS_BUF)
		return p->real->pMethods->xWrite(p->real, buf, n, off);
	if (!p->n)
		p->at = off;
	memcpy(p->buf + p->n, buf, (size_t)n);
	p->n += (size_t)n;
	return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
	struct wb_file *p = (struct wb_file *)f;
	int rc = flush(f);
	if (!rc && p->err)
		rc = p->err;
	p->err = 0;
	return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int wb_lock(sqlite3_file *f, int level)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xLock(REAL(f), level);
}

static int wb_unlock(sqlite3_file *f, int level)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int wb_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
	int rc = flush(f);
	return rc ? rc : REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int wb_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int wb_device_chars(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int wb_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

/* Before the wal-index tells of frames (a barrier) and before a lock
 * change (the write lock's release): this connection's WAL bytes into the
 * file (above). */
static int wb_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct wb_file *p = (struct wb_file *)f;
	if (p->wal)
		flush_later(p->wal);
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *f)
{
	struct wb_file *p = (struct wb_file *)f;
	if (p->wal)
		flush_later(p->wal);
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int wb_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int wb_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, pp);
}

static int wb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods wb_methods = {
	3,
	wb_close,
	wb_read,
	wb_write,
	wb_truncate,
	wb_sync,
	wb_file_size,
	wb_lock,
	wb_unlock,
	wb_check_reserved,
	wb_file_control,
	wb_sector_size,
	wb_device_chars,
	wb_shm_map,
	wb_shm_lock,
	wb_shm_barrier,
	wb_shm_unmap,
	wb_fetch,
	wb_unfetch,
};

static sqlite3_vfs wb_vfs;

static sqlite3_vfs *dflt(void)
{
	return sqlite3_vfs_find(NULL);
}

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct wb_file *p = (struct wb_file *)f;
	sqlite3_vfs *real = dflt();
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)(p + 1);
	if (!real || real->iVersion < 2 ||
	    (size_t)real->szOsFile > (size_t)vfs->szOsFile - sizeof *p)
		return SQLITE_CANTOPEN;
	int rc = real->xOpen(real, name, p->real, flags, out_flags);
	if (!p->real->pMethods)
		return rc;
	if (p->real->pMethods->iVersion < 3) { /* shm and mmap are passed on */
		p->real->pMethods->xClose(p->real);
		return SQLITE_CANTOPEN;
	}
	p->base.pMethods = &wb_methods;
	if (rc != SQLITE_OK || !name)
		return rc;
	pthread_mutex_lock(&files_mu);
	if (flags & SQLITE_OPEN_MAIN_DB) {
		p->name = name;
		p->next = dbs;
		dbs = p;
	} else if (flags & SQLITE_OPEN_WAL) {
		const char *db = sqlite3_filename_database(name);
		for (struct wb_file *d = dbs; d; d = d->next)
			if (d->name == db && !d->wal) {
				/* none: straight through */
				if ((p->buf = sqlite3_malloc(STORE_VFS_BUF))) {
					d->wal = p;
					p->db = d;
				}
				break;
			}
	}
	pthread_mutex_unlock(&files_mu);
	return rc;
}

static int wb_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return dflt()->xDelete(dflt(), name, sync_dir);
}

static int wb_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return dflt()->xAccess(dflt(), name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return dflt()->xFullPathname(dflt(), name, n, out);
}

static void *wb_dl_open(sqlite3_vfs *vfs, const char *path)
{
	(void)vfs;
	return dflt()->xDlOpen(dflt(), path);
}

static void wb_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	dflt()->xDlError(dflt(), n, msg);
}

static void (*wb_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return dflt()->xDlSym(dflt(), h, sym);
}

static void wb_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	dflt()->xDlClose(dflt(), h);
}

static int wb_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return dflt()->xRandomness(dflt(), n, out);
}

static int wb_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return dflt()->xSleep(dflt(), us);
}

static int wb_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return dflt()->xCurrentTime(dflt(), out);
}

static int wb_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return dflt()->xGetLastError(dflt(), n, out);
}

static int wb_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return dflt()->xCurrentTimeInt64(dflt(), out);
}

static sqlite3_vfs wb_vfs = {
	2,
	0,
	1024,
	NULL,
	"allot-wal",
	NULL,
	wb_open,
	wb_delete,
	wb_access,
	wb_full_pathname,
	wb_dl_open,
	wb_dl_error,
	wb_dl_sym,
	wb_dl_close,
	wb_randomness,
	wb_sleep,
	wb_current_time,
	wb_last_error,
	wb_current_time64,
	NULL,
	NULL,
	NULL,
};

static int registered;

static void wb_register(void)
{
	sqlite3_vfs *real = dflt();
	if (!real || real->iVersion < 2 || !real->xCurrentTimeInt64)
		return;
	wb_vfs.szOsFile = (int)sizeof(struct wb_file) + real->szOsFile + STORE_VFS_SLACK;
	wb_vfs.mxPathname = real->mxPathname;
	registered = sqlite3_vfs_register(&wb_vfs, 0) == SQLITE_OK;
}

const char *store_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, wb_register);
	return registered ? wb_vfs.zName : NULL; /* NULL: the default, as is */
}
