// SPDX-License-Identifier: GPL-2.0
/*
 * safectl reset-counters: zero the chunk, spill and muted counters of one
 * channel, a range or all of them (SAFELINE_CMD_RESET_COUNTERS, needs
 * CAP_NET_ADMIN), so a test or an operator can watch them from 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/safectl.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] reset-counters [CHAN|FIRST-LAST|all]\n"
	"Set the chunk, spill and muted counters of live channels back to 0\n"
	"(all of them when no channel is given). Policies are untouched.\n"
	"Needs CAP_NET_ADMIN.\n";

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)

/* safeline_genl_transact()'s parser: the number of channels reset */
static int parse_count(struct nl_msg *msg, void *arg)
{
	static struct nla_policy attrs[SAFELINE_RESET_A_MAX + 1] = {
		[SAFELINE_RESET_A_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[SAFELINE_RESET_A_MAX + 1];
	uint32_t *count = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SAFELINE_RESET_A_MAX, attrs) < 0 ||
	    !tb[SAFELINE_RESET_A_COUNT])
		return -EBADMSG;
	*count = nla_get_u32(tb[SAFELINE_RESET_A_COUNT]);
	return 0;
}

static void print_count(uint32_t count)
{
	struct json_writer w;

	if (!safectl_json) {
		printf("counters reset on %" PRIu32 " channel%s\n", count, count == 1 ? "" : "s");
		return;
	}
	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	json_uint(&w, "reset", count);
	json_close_object(&w);
}

int cmd_reset_counters(int argc, char *argv[])
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	const char *target = "all";
	uint32_t first = 0, last = 0;
	struct safeline_genl g;
	uint32_t count = 0;
	char object[64];
	int start, r, ret;
	bool all;

	start = safectl_parse_common(argc, argv, usage, &ret);
	if (start < 0)
		return ret;
	if (argc - start > 1)
		return safectl_usage_error("reset-counters", usage, "unexpected argument '%s'",
					   argv[start + 1]);
	if (start < argc)
		target = argv[start];
	if (!safectl_parse_target(target, "all", &all, &first, &last))
		return safectl_usage_error("reset-counters", usage, "'%s' is no channel, range "
					   "FIRST-LAST or 'all'", target);
	snprintf(object, sizeof(object), "reset-counters %s", target);
	ret = safectl_open_family(&g, object);
	if (ret)
		return ret;
	msg = safeline_genl_new_request(&g, SAFELINE_CMD_RESET_COUNTERS, NLM_F_ACK);
	if (!msg ||
	    (all ? nla_put_flag(msg, SAFELINE_RESET_A_ALL) :
	     nla_put_u32(msg, SAFELINE_RESET_A_CHANNO, first)) < 0 ||
	    (!all && last != first && nla_put_u32(msg, SAFELINE_RESET_A_CHANNO_LAST, last) < 0))
		r = -ENOMEM;
	else
		r = safeline_genl_transact(&g, msg, parse_count, &count);
	if (r < 0)
		ret = safectl_write_failed(object, &g, r);
	else
		print_count(count);
	safeline_genl_close(&g);
	return ret;
}
