/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal KTAP v1 output (Documentation/dev-tools/ktap.rst), flushed line by line. */
#include <stdarg.h>
#include <stdio.h>

#include "ktap.h"

static int next = 1, failed;

void ktap_header(int planned)
{
	printf("KTAP version 1\n1..%d\n", planned);
	fflush(stdout);
}

bool ktap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", ok ? "ok" : "not ok", next++);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failed++;
	return ok;
}

void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int ktap_failed(void)
{
	return failed;
}
