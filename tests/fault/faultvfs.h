/*
 * faultvfs.h - a SQLite VFS shim that fails the Nth call of one kind.
 *
 * faultvfs_register() wraps the default VFS (unix) in a shim and makes the
 * shim the default, so every connection the process opens afterwards goes
 * through it.  Disarmed, the shim only passes calls on.  Armed with
 * faultvfs_arm(kind, n, sticky), it counts the calls of that kind and makes
 * the nth fail with the kind's error code (and, when sticky, every later
 * one too, like a disk that stays broken), until faultvfs_disarm().  This
 * is SQLite's own way of testing I/O errors (test_vfs.c, the "ioerr" loops),
 * reduced to what allot's fault tests need.
 */
#ifndef ALLOT_FAULTVFS_H
#define ALLOT_FAULTVFS_H

enum fv_kind {
	FV_READ,     /* xRead      -> SQLITE_IOERR_READ */
	FV_WRITE,    /* xWrite     -> SQLITE_IOERR_WRITE */
	FV_FULL,     /* xWrite     -> SQLITE_FULL (disk full) */
	FV_SYNC,     /* xSync      -> SQLITE_IOERR_FSYNC */
	FV_TRUNCATE, /* xTruncate  -> SQLITE_IOERR_TRUNCATE */
	FV_FSTAT,    /* xFileSize  -> SQLITE_IOERR_FSTAT */
	FV_OPEN,     /* xOpen      -> SQLITE_CANTOPEN */
	FV_DELETE,   /* xDelete    -> SQLITE_IOERR_DELETE */
	FV_ACCESS,   /* xAccess    -> SQLITE_IOERR_ACCESS */
	FV_SHMMAP,   /* xShmMap    -> SQLITE_IOERR_SHMMAP */
	FV_LOCK,     /* xLock      -> SQLITE_BUSY (another process holds it) */
	FV_SHMLOCK,  /* xShmLock   -> SQLITE_BUSY (WAL locks) */
	FV_COUNT
};

const char *faultvfs_kind_name(enum fv_kind k);
/* Registers the shim as the default VFS; 0 on success. */
int faultvfs_register(void);
void faultvfs_arm(enum fv_kind k, long n, int sticky);
void faultvfs_disarm(void);
/* Calls of the armed kind counted since faultvfs_arm. */
long faultvfs_calls(void);
/* Failures injected since faultvfs_arm. */
long faultvfs_fired(void);

#endif
