/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers both binaries use: scope-bound cleanup (systemd's _cleanup_
 * idiom, written small rather than vendored) and string/array shorthands.
 */
#ifndef SAFELINE_UTIL_H
#define SAFELINE_UTIL_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Defines name##p(type **p), calling func(*p) unless *p is NULL. */
#define DEFINE_CLEANUP_FUNC(type, func)			\
	static inline void func##p(type **p)		\
	{						\
		if (*p)					\
			func(*p);			\
	}

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

#endif
