// SPDX-License-Identifier: GPL-2.0
/*
 * safectl calls: the per-call rows safelined keeps in tmpfs. Times are as
 * stored, rounded to the configured resolution; there is no number or name
 * to show because none is kept. Needs root or the admin group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] calls\n"
	"List the calls safelined has recorded: id, channel, direction, ring, answer\n"
	"and end times (rounded), and what was suppressed. Needs root or the admin group.\n";

static void print_table(const char *body)
{
	char id[40], chan[16], dir[16], ans[8], t[3][24], when[3][24], s[4][8];
	static const char *const times[] = { "ring_s", "answer_s", "end_s" };
	static const char *const kinds[] = { "fsk", "dtmf", "alert", "onhook" };
	const char *line;
	int i;

	printf("%-32s %4s %-3s %-8s %-16s %-16s %-16s %s\n", "ID", "CHAN", "DIR", "ANSWERED",
	       "RING", "ANSWER", "END", "SUPPRESSED fsk/dtmf/alert/onhook");
	for (line = body; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		if (*line == '\n')
			continue;
		if (!ctl_field(line, "id", id, sizeof(id)) ||
		    !ctl_field(line, "channel", chan, sizeof(chan)) ||
		    !ctl_field(line, "direction", dir, sizeof(dir)) ||
		    !ctl_field(line, "answered", ans, sizeof(ans)))
			continue;
		for (i = 0; i < 3; i++) {
			if (!ctl_field(line, times[i], t[i], sizeof(t[i])))
				strcpy(t[i], "0");
			ctl_format_time(t[i], when[i], sizeof(when[i]));
		}
		for (i = 0; i < 4; i++)
			if (!ctl_field(line, kinds[i], s[i], sizeof(s[i])))
				strcpy(s[i], "?");
		printf("%-32s %4s %-3s %-8s %-16s %-16s %-16s %s/%s/%s/%s\n", id, chan, dir, ans,
		       when[0], when[1], when[2], s[0], s[1], s[2], s[3]);
	}
}

int cmd_calls(int argc, char *argv[])
{
	char *body;
	int first, ret;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (first < argc)
		return safectl_usage_error("calls", usage, "unexpected argument '%s'", argv[first]);
	ret = ctl_call("calls", "calls", &body);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	if (safectl_json)
		ctl_print_json(body);
	else
		print_table(body);
	free(body);
	return SAFECTL_EXIT_OK;
}
