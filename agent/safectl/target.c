// SPDX-License-Identifier: GPL-2.0
/*
 * The channel operand of the commands that change channels (policy set,
 * reset-counters): "N", "FIRST-LAST", or a keyword ("default", "all").
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "agent/safectl/safectl.h"
#include "agent/shared/util.h"

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

bool safectl_parse_target(const char *s, const char *keyword, bool *is_keyword,
			  uint32_t *first, uint32_t *last)
{
	unsigned long a, b;
	char *end;

	*is_keyword = streq(s, keyword);
	if (*is_keyword)
		return true;
	if (!digit(*s))
		return false;
	errno = 0;
	a = b = strtoul(s, &end, 10);
	if (*end == '-') {
		if (!digit(end[1]))
			return false;
		b = strtoul(end + 1, &end, 10);
	}
	if (errno || *end || a > UINT32_MAX || b > UINT32_MAX || b < a)
		return false;
	*first = (uint32_t)a;
	*last = (uint32_t)b;
	return true;
}
