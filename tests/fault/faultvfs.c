/*
 * faultvfs.c - the fault-injecting VFS shim (faultvfs.h).
 *
 * Each file the shim opens is a struct fv_file followed by the real VFS's
 * file object; every method counts the call (when its kind is armed) and
 * either fails it or passes it on to the real file.  Methods SQLite may
 * call only when the real VFS has them (xShm*, xFetch) are passed on the
 * same way; version 3 is declared so WAL and mmap keep working.
 */
#include "faultvfs.h"

#include <sqlite3.h>
#include <string.h>

struct fv_file {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct in the same allocation */
};

static sqlite3_vfs *real_vfs;
static int armed;
static enum fv_kind armed_kind;
static long fail_at, calls, fired;
static int sticky_fail;

static const char *const names[FV_COUNT] = {
	[FV_READ] = "read",      [FV_WRITE] = "write",       [FV_FULL] = "disk-full",
	[FV_SYNC] = "sync",      [FV_TRUNCATE] = "truncate", [FV_FSTAT] = "file-size",
	[FV_OPEN] = "open",      [FV_DELETE] = "delete",     [FV_ACCESS] = "access",
	[FV_SHMMAP] = "shm-map", [FV_LOCK] = "lock-busy",    [FV_SHMLOCK] = "shm-lock-busy",
};

static const int codes[FV_COUNT] = {
	[FV_READ] = SQLITE_IOERR_READ,
	[FV_WRITE] = SQLITE_IOERR_WRITE,
	[FV_FULL] = SQLITE_FULL,
	[FV_SYNC] = SQLITE_IOERR_FSYNC,
	[FV_TRUNCATE] = SQLITE_IOERR_TRUNCATE,
	[FV_FSTAT] = SQLITE_IOERR_FSTAT,
	[FV_OPEN] = SQLITE_CANTOPEN,
	[FV_DELETE] = SQLITE_IOERR_DELETE,
	[FV_ACCESS] = SQLITE_IOERR_ACCESS,
	[FV_SHMMAP] = SQLITE_IOERR_SHMMAP,
	[FV_LOCK] = SQLITE_BUSY,
	[FV_SHMLOCK] = SQLITE_BUSY,
};

const char *faultvfs_kind_name(enum fv_kind k)
{
	return names[k];
}

void faultvfs_arm(enum fv_kind k, long n, int sticky)
{
	armed = 1;
	armed_kind = k;
	fail_at = n;
	sticky_fail = sticky;
	calls = fired = 0;
}

void faultvfs_disarm(void)
{
	armed = 0;
}
long faultvfs_calls(void)
{
	return calls;
}
long faultvfs_fired(void)
{
	return fired;
}

/* 0 to pass the call on, else the error code to return.  FV_WRITE and
 * FV_FULL both count xWrite calls. */
static int fault(enum fv_kind k)
{
	if (!armed)
		return 0;
	if (armed_kind != k && !(k == FV_WRITE && armed_kind == FV_FULL))
		return 0;
	calls++;
	if (calls == fail_at || (sticky_fail && calls > fail_at)) {
		fired++;
		return codes[armed_kind];
	}
	return 0;
}

#define REAL(f) (((struct fv_file *)(f))->real)

static int fv_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}

static int fv_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	int rc = fault(FV_READ);
	return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int fv_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int rc = fault(FV_WRITE);
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = fault(FV_TRUNCATE);
	return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int fv_sync(sqlite3_file *f, int flags)
{
	int rc = fault(FV_SYNC);
	return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int fv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	int rc = fault(FV_FSTAT);
	return rc ? rc : REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int fv_lock(sqlite3_file *f, int level)
{
	int rc = fault(FV_LOCK);
	return rc ? rc : REAL(f)->pMethods->xLock(REAL(f), level);
}

static int fv_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int fv_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int fv_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int fv_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int fv_device_chars(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int fv_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	int rc = fault(FV_SHMMAP);
	return rc ? rc : REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int fv_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	/* Only taking a lock can meet another holder; releasing never fails. */
	int rc = (flags & SQLITE_SHM_LOCK) ? fault(FV_SHMLOCK) : 0;
	return rc ? rc : REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void fv_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int fv_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int fv_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, pp);
}

static int fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fv_methods = {
	3,
	fv_close,
	fv_read,
	fv_write,
	fv_truncate,
	fv_sync,
	fv_file_size,
	fv_lock,
	fv_unlock,
	fv_check_reserved,
	fv_file_control,
	fv_sector_size,
	fv_device_chars,
	fv_shm_map,
	fv_shm_lock,
	fv_shm_barrier,
	fv_shm_unmap,
	fv_fetch,
	fv_unfetch,
};

static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	struct fv_file *p = (struct fv_file *)f;
	p->real = (sqlite3_file *)(p + 1);
	p->base.pMethods = NULL;
	int rc = fault(FV_OPEN);
	if (rc)
		return rc;
	rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out_flags);
	if (p->real->pMethods)
		p->base.pMethods = &fv_methods;
	return rc;
}

static int fv_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	int rc = fault(FV_DELETE);
	return rc ? rc : real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	int rc = fault(FV_ACCESS);
	return rc ? rc : real_vfs->xAccess(real_vfs, name, flags, out);
}

static int fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *fv_dl_open(sqlite3_vfs *vfs, const char *path)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, path);
}

static void fv_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, msg);
}

static void (*fv_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void fv_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

/* Armed, sleeping is skipped: a busy handler then gives up (or retries)
 * at once instead of after its full timeout, so a loop over every lock
 * call stays fast while still taking the same code paths. */
static int fv_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return armed ? us : real_vfs->xSleep(real_vfs, us);
}

static int fv_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int fv_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fv_vfs = {
	2,
	0,
	1024,
	NULL,
	"faultvfs",
	NULL,
	fv_open,
	fv_delete,
	fv_access,
	fv_full_pathname,
	fv_dl_open,
	fv_dl_error,
	fv_dl_sym,
	fv_dl_close,
	fv_randomness,
	fv_sleep,
	fv_current_time,
	fv_last_error,
	fv_current_time64,
	NULL,
	NULL,
	NULL,
};

int faultvfs_register(void)
{
	if (real_vfs)
		return 0;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || real_vfs->iVersion < 2 || !real_vfs->xCurrentTimeInt64)
		return -1;
	fv_vfs.szOsFile = (int)sizeof(struct fv_file) + real_vfs->szOsFile;
	fv_vfs.mxPathname = real_vfs->mxPathname;
	return sqlite3_vfs_register(&fv_vfs, 1) == SQLITE_OK ? 0 : -1;
}
