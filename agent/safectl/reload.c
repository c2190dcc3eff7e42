// SPDX-License-Identifier: GPL-2.0
/*
 * safectl reload: asks safelined to re-read its config, like SIGHUP but with
 * an answer: a bad config is reported as file:line and the agent keeps the
 * running one. Needs root or the admin group.
 */
#include <stdlib.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/print.h"
#include "agent/safectl/safectl.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] reload\n"
	"Make safelined re-read /etc/safeline/safeline.conf. If the file is wrong,\n"
	"the error names file:line and the running config stays.\n";

int cmd_reload(int argc, char *argv[])
{
	char *body;
	int ret;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	ret = ctl_call("reload", "reload", &body);
	free(body);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	print_open();
	print_bool("reloaded", "config reloaded", true);
	print_close();
	return SAFECTL_EXIT_OK;
}
