// SPDX-License-Identifier: GPL-2.0
/*
 * safectl calls: the per-call rows safelined keeps in tmpfs. Times are as
 * stored, rounded to the configured resolution; there is no number or name
 * to show because none is kept. Needs root or the admin group.
 */
#include <stdio.h>
#include <string.h>

#include "agent/safectl/agent-commands.h"
#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/table.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] calls\n"
	"List the calls safelined has recorded: id, channel, direction, ring, answer\n"
	"and end times (rounded), and what was suppressed. Needs root or the admin group.\n";

/* the next record line after line ("" at the end) */
static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl ? nl + 1 : line + strlen(line);
}

static void print_table(const char *body)
{
	static const char *const heads[] = {
		"ID", "CHAN", "DIR", "ANSWERED", "RING", "ANSWER", "END",
		"SUPPRESSED(FSK/DTMF/ALERT/ONHOOK)",
	};
	static const char *const times[] = { "ring_s", "answer_s", "end_s" };
	static const char *const kinds[] = { "fsk", "dtmf", "alert", "onhook" };
	char id[40], chan[16], dir[16], ans[8], t[24], when[3][24], s[4][24];
	const char *line;
	struct table tab;
	int i;

	table_init(&tab, heads, ELEMENTSOF(heads), 1u << 1);
	for (line = body; *line; line = next_line(line)) {
		if (!ctl_field(line, "id", id, sizeof(id)) ||
		    !ctl_field(line, "channel", chan, sizeof(chan)) ||
		    !ctl_field(line, "direction", dir, sizeof(dir)) ||
		    !ctl_field(line, "answered", ans, sizeof(ans)))
			continue;
		for (i = 0; i < 3; i++) {
			if (!ctl_field(line, times[i], t, sizeof(t)))
				strcpy(t, "0");
			ctl_format_time(t, when[i], sizeof(when[i]));
		}
		for (i = 0; i < 4; i++)
			if (!ctl_field(line, kinds[i], s[i], sizeof(s[i])))
				strcpy(s[i], "?");
		table_cell(&tab, "%s", id);
		table_cell(&tab, "%s", chan);
		table_cell(&tab, "%s", dir);
		table_cell(&tab, "%s", ans);
		for (i = 0; i < 3; i++)
			table_cell(&tab, "%s", when[i]);
		table_cell(&tab, "%s/%s/%s/%s", s[0], s[1], s[2], s[3]);
	}
	if (table_print(&tab) < 0)
		fprintf(stderr, "safectl: calls: out of memory\n");
}

int cmd_calls(int argc, char *argv[])
{
	int ret;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	return ctl_list("calls", print_table);
}
