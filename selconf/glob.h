/* glob.h — matching a path against a selected.conf glob (glob.c). */
#ifndef RUNSEL_GLOB_H
#define RUNSEL_GLOB_H

#include <stddef.h>

/* Longest path a glob is matched against; longer ones never match.  The
 * matcher keeps one byte per character on the stack. */
#define SEL_GLOB_MAX 4096

/* 1 if the first plen bytes of pat match the first slen bytes of s.  Linear
 * in each: O(plen * slen) whatever the pattern. */
int selconf_glob(const char *pat, size_t plen, const char *s, size_t slen);

#endif
