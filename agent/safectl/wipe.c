// SPDX-License-Identifier: GPL-2.0
/*
 * safectl wipe [--all]: asks safelined to wipe expired call records now, or
 * with --all every record and aggregate. The agent overwrites, unlinks and
 * verifies before it answers. Needs root or the admin group.
 */
#include <stdio.h>
#include <stdlib.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/print.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] wipe [-a|--all]\n"
	"Wipe the call records older than the configured maximum age (and daily\n"
	"aggregates past retention); with --all, every record and aggregate.\n";

int cmd_wipe(int argc, char *argv[])
{
	char *body, v[24];
	static const struct { const char *key, *label; } fields[] = {
		{ "rows_wiped", "call records wiped" }, { "days_wiped", "daily aggregates wiped" },
		{ "rows_kept", "call records kept" }, { "days_kept", "daily aggregates kept" },
	};
	char *args[argc + 1];
	bool all = false;
	int ret, i, n = 0;

	/* --all is ours; the common parser sees the rest */
	for (i = 0; i < argc; i++) {
		if (i > 0 && (streq(argv[i], "--all") || streq(argv[i], "-a")))
			all = true;
		else
			args[n++] = argv[i];
	}
	args[n] = NULL;
	argc = n;
	argv = args;
	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	ret = ctl_call("wipe", all ? "wipe all" : "wipe expired", &body);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	print_open();
	for (i = 0; i < (int)ELEMENTSOF(fields); i++)
		if (ctl_field(body, fields[i].key, v, sizeof(v)))
			print_uint(fields[i].key, fields[i].label, strtoull(v, NULL, 10));
	print_close();
	free(body);
	return SAFECTL_EXIT_OK;
}
