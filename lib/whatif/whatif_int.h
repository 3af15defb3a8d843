/*
 * whatif_int.h - what the files of lib/whatif share (private).
 */
#ifndef ALLOT_WHATIF_INT_H
#define ALLOT_WHATIF_INT_H

#include <allot/allot.h>

/* 1-based character column of `at` within `text` (UTF-8 sequences count
 * once). */
int whatif_col(const char *text, const char *at);

#endif
