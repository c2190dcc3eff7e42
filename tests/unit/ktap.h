/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal KTAP output for the unit tests: plan, results, diagnostics, exit code. */
#ifndef SAFELINE_TESTS_KTAP_H
#define SAFELINE_TESTS_KTAP_H

#include <stdarg.h>
#include <stdio.h>

struct ktap {
	int next;
	int failed;
	int skipped;
	int planned;
};

static inline void ktap_plan(struct ktap *k, int n)
{
	*k = (struct ktap){ .next = 1, .planned = n };
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

static inline void ktap_vresult(struct ktap *k, int ok, const char *skip, const char *fmt, va_list ap)
{
	printf("%s %d ", ok ? "ok" : "not ok", k->next++);
	vprintf(fmt, ap);
	if (skip)
		printf(" # SKIP %s", skip);
	printf("\n");
	fflush(stdout);
	if (!ok)
		k->failed++;
	if (skip)
		k->skipped++;
}

__attribute__((format(printf, 3, 4)))
static inline int ktap_ok(struct ktap *k, int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vresult(k, ok, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

__attribute__((format(printf, 3, 4)))
static inline void ktap_skip(struct ktap *k, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vresult(k, 1, reason, fmt, ap);
	va_end(ap);
}

/* kselftest exit codes: 0 pass, 1 fail, 4 all skipped */
static inline int ktap_exit(const struct ktap *k)
{
	if (k->failed)
		return 1;
	if (k->skipped && k->skipped == k->next - 1)
		return 4;
	return 0;
}

#endif
