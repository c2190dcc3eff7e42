// SPDX-License-Identifier: GPL-2.0
/*
 * safectl report: safelined's daily aggregates (calls, answered, missed,
 * total and mean answered duration). Readable by the view group too.
 */
#include <stdio.h>
#include <string.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/table.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] report\n"
	"Show the daily call aggregates safelined keeps: calls, answered, missed,\n"
	"total and mean answered duration in seconds.\n";

static void print_table(const char *body)
{
	static const char *const heads[] = {
		"DATE", "CALLS", "ANSWERED", "MISSED", "TOTAL_S", "MEAN_S",
	};
	static const char *const keys[] = {
		"date", "calls", "answered", "missed", "total_s", "mean_s",
	};
	char f[ELEMENTSOF(keys)][24];
	const char *line;
	struct table t;
	size_t i;

	table_init(&t, heads, ELEMENTSOF(heads), ~1u);
	for (line = body; *line; line += strcspn(line, "\n"), line += *line == '\n') {
		for (i = 0; i < ELEMENTSOF(keys); i++)
			if (!ctl_field(line, keys[i], f[i], sizeof(f[i])))
				break;
		if (i < ELEMENTSOF(keys))
			continue;
		for (i = 0; i < ELEMENTSOF(keys); i++)
			table_cell(&t, "%s", f[i]);
	}
	if (table_print(&t) < 0)
		fprintf(stderr, "safectl: report: out of memory\n");
}

int cmd_report(int argc, char *argv[])
{
	int ret;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	return ctl_list("report", print_table);
}
