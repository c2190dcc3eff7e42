// SPDX-License-Identifier: GPL-2.0
/*
 * Call events from safeline.ko (see genl-event.h and the uapi header's
 * "Multicast group events" section).
 */
#include <errno.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/shared/genl-event.h"
#include "agent/shared/genl.h"
#include "agent/shared/util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int safeline_genl_join_events(struct safeline_genl *g)
{
	int grp = genl_ctrl_resolve_grp(g->sock, SAFELINE_GENL_NAME, SAFELINE_MCGRP_EVENTS);

	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
	/* multicast messages carry sequence number 0 */
	nl_socket_disable_seq_check(g->sock);
	if (setsockopt(nl_socket_get_fd(g->sock), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &grp, sizeof(grp)) < 0)
		return -errno;
	return 0;
}

static bool has_all(struct nlattr **tb, const int *attrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!tb[attrs[i]])
			return false;
	return true;
}

int safeline_event_parse(struct nlmsghdr *nlh, struct safeline_event *ev)
{
	static struct nla_policy policy[SAFELINE_EVENT_A_MAX + 1] = {
		[SAFELINE_EVENT_A_TYPE] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_SEQ] = { .type = NLA_U64 },
		[SAFELINE_EVENT_A_TIME_NS] = { .type = NLA_U64 },
		[SAFELINE_EVENT_A_CHANNO] = { .type = NLA_U32 },
		[SAFELINE_EVENT_A_SPANNO] = { .type = NLA_U32 },
		[SAFELINE_EVENT_A_ROLE] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_POLICY] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_DROPPED] = { .type = NLA_U32 },
		[SAFELINE_EVENT_A_SPILL_KIND] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_SPILL_MUTED] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_DURATION_MS] = { .type = NLA_U32 },
		[SAFELINE_EVENT_A_VERIFY_RESULT] = { .type = NLA_U8 },
		[SAFELINE_EVENT_A_VERIFY_STANDARD] = { .type = NLA_U8 },
	};
	static const int always[] = {
		SAFELINE_EVENT_A_TYPE, SAFELINE_EVENT_A_SEQ, SAFELINE_EVENT_A_TIME_NS,
		SAFELINE_EVENT_A_CHANNO, SAFELINE_EVENT_A_SPANNO, SAFELINE_EVENT_A_ROLE,
		SAFELINE_EVENT_A_POLICY,
	};
	static const int spill[] = {
		SAFELINE_EVENT_A_SPILL_KIND, SAFELINE_EVENT_A_SPILL_MUTED,
		SAFELINE_EVENT_A_DURATION_MS,
	};
	static const int verify[] = {
		SAFELINE_EVENT_A_VERIFY_RESULT, SAFELINE_EVENT_A_VERIFY_STANDARD,
	};
	struct nlattr *tb[SAFELINE_EVENT_A_MAX + 1];
	struct genlmsghdr *gh;

	*ev = (struct safeline_event){};
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	gh = nlmsg_data(nlh);
	if (gh->cmd != SAFELINE_CMD_EVENT ||
	    genlmsg_parse(nlh, 0, tb, SAFELINE_EVENT_A_MAX, policy) < 0 ||
	    !has_all(tb, always, ELEMENTSOF(always)))
		return -EBADMSG;
	ev->type = nla_get_u8(tb[SAFELINE_EVENT_A_TYPE]);
	ev->seq = nla_get_u64(tb[SAFELINE_EVENT_A_SEQ]);
	ev->time_ns = nla_get_u64(tb[SAFELINE_EVENT_A_TIME_NS]);
	ev->channo = nla_get_u32(tb[SAFELINE_EVENT_A_CHANNO]);
	ev->spanno = nla_get_u32(tb[SAFELINE_EVENT_A_SPANNO]);
	ev->role = nla_get_u8(tb[SAFELINE_EVENT_A_ROLE]);
	ev->policy = nla_get_u8(tb[SAFELINE_EVENT_A_POLICY]);
	if (tb[SAFELINE_EVENT_A_DROPPED])
		ev->dropped = nla_get_u32(tb[SAFELINE_EVENT_A_DROPPED]);
	if (ev->type == SAFELINE_EVENT_SPILL) {
		if (!has_all(tb, spill, ELEMENTSOF(spill)))
			return -EBADMSG;
		ev->spill_kind = nla_get_u8(tb[SAFELINE_EVENT_A_SPILL_KIND]);
		ev->spill_muted = nla_get_u8(tb[SAFELINE_EVENT_A_SPILL_MUTED]);
		ev->duration_ms = nla_get_u32(tb[SAFELINE_EVENT_A_DURATION_MS]);
	} else if (ev->type == SAFELINE_EVENT_VERIFY) {
		if (!has_all(tb, verify, ELEMENTSOF(verify)))
			return -EBADMSG;
		ev->verify_result = nla_get_u8(tb[SAFELINE_EVENT_A_VERIFY_RESULT]);
		ev->verify_standard = nla_get_u8(tb[SAFELINE_EVENT_A_VERIFY_STANDARD]);
	}
	return 0;
}
