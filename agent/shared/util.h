/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers both binaries use: scope-bound cleanup (systemd's _cleanup_
 * idiom, written small rather than vendored), string/array shorthands and the
 * time of a clock in ns.
 */
#ifndef SAFELINE_UTIL_H
#define SAFELINE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The clock id's time now, in ns */
static inline int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

#endif
