// SPDX-License-Identifier: GPL-2.0
/*
 * safectl status, verification part: whether the agency's own caller-ID
 * blocking was verified lately (docs/verify.md). A monitoring check runs
 * `safectl status` and alarms on exit status 3: the last verification
 * presented one of our numbers, or none succeeded within the interval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/status-verify.h"
#include "agent/shared/util.h"

bool status_verify_key(const char *key)
{
	return strncmp(key, "verify", 6) == 0;
}

/* The value of key in the agent's status record, or "". */
static void field(const char *record, const char *key, char *value, size_t size)
{
	if (!ctl_field(record, key, value, size))
		*value = '\0';
}

void status_verify_print(const char *record)
{
	char state[32], chans[32], ok[32], result[32], last[32], interval[32], when[32];

	field(record, "verify", state, sizeof(state));
	if (!*state)
		return;		/* an agent without verification */
	if (streq(state, "failed") || streq(state, "overdue")) {
		for (char *c = state; *c; c++)
			*c = (char)(*c - 'a' + 'A');
	}
	printf("verification: %s\n", state);
	if (streq(state, "off"))
		return;
	field(record, "verify_channels", chans, sizeof(chans));
	field(record, "verify_last_ok", ok, sizeof(ok));
	field(record, "verify_last_result", result, sizeof(result));
	field(record, "verify_last_time", last, sizeof(last));
	field(record, "verify_interval_s", interval, sizeof(interval));
	printf("verification line: channel %s\n", chans);
	ctl_format_time(ok, when, sizeof(when));
	printf("last successful verification: %s\n", streq(ok, "0") ? "never" : when);
	ctl_format_time(last, when, sizeof(when));
	printf("last verification result: %s%s%s%s\n", streq(result, "not_ours") ?
	       "a number not ours" : streq(result, "ours") ? "OUR NUMBER PRESENTED" : result,
	       streq(last, "0") ? "" : " (", streq(last, "0") ? "" : when,
	       streq(last, "0") ? "" : ")");
	if (strtoul(interval, NULL, 10) % 86400)
		printf("verification interval: %lu s\n", strtoul(interval, NULL, 10));
	else
		printf("verification interval: %lu days\n", strtoul(interval, NULL, 10) / 86400);
}

int status_verify_exit(const char *record)
{
	char state[32];

	field(record, "verify", state, sizeof(state));
	return streq(state, "failed") || streq(state, "overdue") ? SAFECTL_EXIT_VERIFY
								 : SAFECTL_EXIT_OK;
}
