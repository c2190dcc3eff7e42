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
#include "agent/shared/util.h"

static const char usage[] =
	"Usage: safectl [-j|--json] reset-counters [CHAN|FIRST-LAST|all]\n"
	"Set the chunk, spill and muted counters of live channels back to 0\n"
	"(all of them when no channel is given). Policies are untouched.\n"
	"Needs CAP_NET_ADMIN.\n";

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)
DEFINE_CLEANUP_FUNC(struct nl_cb, nl_cb_put)

struct reset {
	struct safeline_genl *g;
	uint32_t count;
	int error;	/* negative errno */
	bool done;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	static struct nla_policy attrs[SAFELINE_RESET_A_MAX + 1] = {
		[SAFELINE_RESET_A_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[SAFELINE_RESET_A_MAX + 1];
	struct reset *x = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SAFELINE_RESET_A_MAX, attrs) < 0 ||
	    !tb[SAFELINE_RESET_A_COUNT])
		x->error = -EBADMSG;
	else
		x->count = nla_get_u32(tb[SAFELINE_RESET_A_COUNT]);
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	((struct reset *)arg)->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct reset *x = arg;
	const char *text = safeline_genl_extack(nlh, nlh->nlmsg_len);

	x->error = e->error < 0 ? e->error : -EIO;
	snprintf(x->g->extack, sizeof(x->g->extack), "%s", text ? text : "");
	x->done = true;
	return NL_STOP;
}

/* "all", "N" or "N-M" into first..last; false when it is none of them */
static bool parse_target(const char *s, bool *all, uint32_t *first, uint32_t *last)
{
	unsigned long a, b;
	char *end;

	*all = streq(s, "all");
	if (*all)
		return true;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	a = b = strtoul(s, &end, 10);
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return false;
		b = strtoul(end + 1, &end, 10);
	}
	if (errno || *end || a > UINT32_MAX || b > UINT32_MAX || b < a)
		return false;
	*first = (uint32_t)a;
	*last = (uint32_t)b;
	return true;
}

static int send_reset(struct safeline_genl *g, struct nl_msg *msg, struct reset *x)
{
	_cleanup_(nl_cb_putp) struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int r;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, x);
	g->extack[0] = '\0';
	if (nl_send_auto(g->sock, msg) < 0)
		return -EIO;
	while (!x->done) {
		r = nl_recvmsgs(g->sock, cb);
		if (r < 0 && !x->done)
			return x->error ? x->error : -EIO;
	}
	return x->error;
}

int cmd_reset_counters(int argc, char *argv[])
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	const char *target = "all";
	uint32_t first = 0, last = 0;
	struct safeline_genl g;
	struct reset x = { .g = &g };
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
	if (!parse_target(target, &all, &first, &last))
		return safectl_usage_error("reset-counters", usage, "'%s' is no channel, range "
					   "FIRST-LAST or 'all'", target);
	snprintf(object, sizeof(object), "reset-counters %s", target);
	r = safeline_genl_open(&g);
	if (r == -ENOENT)
		return safectl_fail(object, NULL, "safeline module not loaded: "
				    "no generic netlink family \"%s\"", SAFELINE_GENL_NAME);
	if (r < 0)
		return safectl_fail(object, NULL, "cannot reach the kernel: %s", strerror(-r));
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g.family, 0, NLM_F_ACK,
				 SAFELINE_CMD_RESET_COUNTERS, SAFELINE_GENL_VERSION) ||
	    (all ? nla_put_flag(msg, SAFELINE_RESET_A_ALL) :
	     nla_put_u32(msg, SAFELINE_RESET_A_CHANNO, first)) < 0 ||
	    (!all && last != first && nla_put_u32(msg, SAFELINE_RESET_A_CHANNO_LAST, last) < 0))
		r = -ENOMEM;
	else
		r = send_reset(&g, msg, &x);
	if (r == -ENOENT)
		ret = safectl_fail(object, g.extack, "No such channel");
	else if (r < 0)
		ret = safectl_fail(object, g.extack, "%s", strerror(-r));
	else if (safectl_json)
		printf("{\"reset\":%" PRIu32 "}\n", x.count);
	else
		printf("counters reset on %" PRIu32 " channel%s\n", x.count,
		       x.count == 1 ? "" : "s");
	safeline_genl_close(&g);
	return ret;
}
