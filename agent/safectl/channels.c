// SPDX-License-Identifier: GPL-2.0
/*
 * safectl channels [CHAN|all]: the DAHDI channels safeline.ko is interposed
 * on, as a table or JSON, straight from the kernel (SAFELINE_CMD_GET_CHANNEL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/channel-rows.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] channels [CHAN|all]\n"
	"Show the DAHDI channels safeline.ko sees: span, name, role, law, policy,\n"
	"hook state, the chunks it took from each tap, the caller-ID spills it found\n"
	"and the chunks it muted; when the module counts them, the card's DTMF events\n"
	"it blocked and what verify channels decoded. Without CHAN, all of them.\n";

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)

/* A dump (channo < 0) or one channel; rows in rep. */
static int request_channels(struct safeline_genl *g, long channo, struct channel_rows *rep)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = safeline_genl_new_request(g,
		SAFELINE_CMD_GET_CHANNEL, channo < 0 ? NLM_F_DUMP : NLM_F_ACK);

	if (!msg)
		return -ENOMEM;
	if (channo >= 0 && nla_put_u32(msg, SAFELINE_CHANNEL_A_CHANNO, (uint32_t)channo) < 0)
		return -EMSGSIZE;
	return safeline_genl_transact(g, msg, channel_rows_parse, rep);
}

static int fetch(long channo, struct channel_rows *rep, const char *object)
{
	struct safeline_genl g;
	int r, ret = SAFECTL_EXIT_OK;

	r = safectl_open_family(&g, object);
	if (r)
		return r;
	r = request_channels(&g, channo, rep);
	if (r == -ENODEV)
		ret = safectl_fail(object, g.extack, "No such channel");
	else if (r < 0)
		ret = safectl_fail(object, g.extack, "reading channels: %s", strerror(-r));
	safeline_genl_close(&g);
	return ret;
}

int cmd_channels(int argc, char *argv[])
{
	struct channel_rows rep = {};
	char object[64];
	long channo = -1;
	int first, ret;
	char *end;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (argc - first > 1)
		return safectl_usage_error("channels", usage, "unexpected argument '%s'",
					   argv[first + 1]);
	if (first < argc && !streq(argv[first], "all")) {
		errno = 0;
		channo = strtol(argv[first], &end, 10);
		if (errno || end == argv[first] || *end || channo < 0 || channo > UINT32_MAX)
			return safectl_usage_error("channels", usage,
						   "'%s' is not a channel number", argv[first]);
	}
	snprintf(object, sizeof(object), "channels%s%s", first < argc ? " " : "",
		 first < argc ? argv[first] : "");
	ret = fetch(channo, &rep, object);
	if (ret == SAFECTL_EXIT_OK) {
		if (safectl_json)
			channel_rows_print_json(&rep);
		else
			channel_rows_print_table(&rep);
	}
	free(rep.rows);
	return ret;
}
