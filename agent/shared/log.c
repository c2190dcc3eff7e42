// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr, with journald's "<level>" prefix when stderr is the
 * journal stream systemd gave us (JOURNAL_STREAM names its device:inode).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/shared/log.h"

static int max_level = LOG_INFO;

void log_set_max_level(int level)
{
	max_level = level;
}

static bool stderr_is_journal(void)
{
	static int cached = -1;
	unsigned long long dev, ino;
	const char *e;
	struct stat st;

	if (cached >= 0)
		return cached;
	e = getenv("JOURNAL_STREAM");
	cached = e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
		 fstat(STDERR_FILENO, &st) == 0 &&
		 st.st_dev == dev && st.st_ino == ino;
	return cached;
}

int log_internal(int level, int error, const char *format, ...)
{
	int saved = errno;
	va_list ap;

	if (error < 0)
		error = -error;
	if (level <= max_level) {
		if (stderr_is_journal())
			fprintf(stderr, "<%d>", level);
		else
			fprintf(stderr, "%s: ", program_invocation_short_name);
		errno = error ? error : saved;
		va_start(ap, format);
		vfprintf(stderr, format, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	errno = saved;
	return -error;
}
