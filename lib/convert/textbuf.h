/*
 * textbuf.h - the converter's name for the capped buffer of lib/util/buf.h,
 * used for generated documents (SOURCES.md) and CSV text: a failed append
 * sets `err` and leaves the text as it was; callers check once at the end.
 * Capped at 64 MiB.  (An alias so that the dataset code keeps its names.)
 */
#ifndef ALLOT_CONVERT_TEXTBUF_H
#define ALLOT_CONVERT_TEXTBUF_H

#include "util/buf.h"

#define TEXTBUF_MAX (64u << 20)

#define textbuf buf /* struct textbuf is struct buf */
#define textbuf_init(b) buf_init((b), TEXTBUF_MAX)
#define textbuf_free buf_free
#define textbuf_add buf_puts
#define textbuf_printf buf_printf
#define textbuf_take buf_take

#endif
