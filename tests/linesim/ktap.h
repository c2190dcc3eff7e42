/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal KTAP v1 output (Documentation/dev-tools/ktap.rst), flushed line by line. */
#ifndef LINESIM_KTAP_H
#define LINESIM_KTAP_H

#include <stdbool.h>

void ktap_header(int planned);
/* Prints "ok N desc" or "not ok N desc"; returns ok. */
bool ktap_result(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ktap_failed(void);

#endif
