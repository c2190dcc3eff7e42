// SPDX-License-Identifier: GPL-2.0
/*
 * safectl report: safelined's daily aggregates (calls, answered, missed,
 * total and mean answered duration). Readable by the view group too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] report\n"
	"Show the daily call aggregates safelined keeps: calls, answered, missed,\n"
	"total and mean answered duration in seconds.\n";

int cmd_report(int argc, char *argv[])
{
	char *body, f[5][24];
	static const char *const keys[] = { "date", "calls", "answered", "missed", "total_s" };
	const char *line;
	char mean[24];
	int first, ret, i;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (first < argc)
		return safectl_usage_error("report", usage, "unexpected argument '%s'", argv[first]);
	ret = ctl_call("report", "report", &body);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	if (safectl_json) {
		ctl_print_json(body);
		free(body);
		return SAFECTL_EXIT_OK;
	}
	printf("%-10s %6s %8s %6s %9s %6s\n", "DATE", "CALLS", "ANSWERED", "MISSED", "TOTAL_S",
	       "MEAN_S");
	for (line = body; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		for (i = 0; i < 5; i++)
			if (!ctl_field(line, keys[i], f[i], sizeof(f[i])))
				break;
		if (i < 5 || !ctl_field(line, "mean_s", mean, sizeof(mean)))
			continue;
		printf("%-10s %6s %8s %6s %9s %6s\n", f[0], f[1], f[2], f[3], f[4], mean);
	}
	free(body);
	return SAFECTL_EXIT_OK;
}
