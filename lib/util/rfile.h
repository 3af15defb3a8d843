/*
 * rfile.h - opening an input file that must be a regular file.
 */
#ifndef ALLOT_UTIL_RFILE_H
#define ALLOT_UTIL_RFILE_H

#include <stdio.h>

/* Opens path for reading when it is a regular file (symbolic links are
 * followed).  Anything else is refused at once, without reading: a FIFO is
 * opened non-blocking, so a pipe with no writer cannot hang the reader.
 * NULL on failure: errno set when the open failed; errno 0 and *kind set
 * ("a named pipe (FIFO)", "a directory", "a device", ...) when path is not
 * a regular file. */
FILE *rfile_open(const char *path, const char **kind);

#endif
