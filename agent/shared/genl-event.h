/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's call events (multicast group "events", SAFELINE_CMD_EVENT):
 * joining the group and reading one message into a struct. Shared so that
 * every listener reads the same fields the same way; kept apart from genl.c
 * because only listeners need it.
 */
#ifndef SAFELINE_GENL_EVENT_H
#define SAFELINE_GENL_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

struct safeline_genl;

struct safeline_event {
	uint8_t type;		/* enum safeline_event_type */
	uint64_t seq;		/* 1 for the module's first event */
	uint64_t time_ns;	/* CLOCK_BOOTTIME */
	uint32_t channo, spanno;
	uint8_t role, policy;	/* enum safeline_role, enum safeline_policy */
	uint32_t dropped;	/* events dropped just before this one (0: none) */
	/* SAFELINE_EVENT_SPILL only */
	uint8_t spill_kind;	/* enum safeline_spill_kind */
	bool spill_muted;
	uint32_t duration_ms;
	/* SAFELINE_EVENT_VERIFY only */
	uint8_t verify_result, verify_standard;
};

/*
 * Joins the family's "events" group on g's socket. -ENOENT: the loaded
 * module has no such group (older than events); -EPERM: no CAP_NET_ADMIN.
 */
int safeline_genl_join_events(struct safeline_genl *g);

/*
 * One SAFELINE_CMD_EVENT message (a whole netlink message, header included)
 * into ev. -EBADMSG when it is another command, malformed, or lacks an
 * attribute its type must carry.
 */
int safeline_event_parse(struct nlmsghdr *nlh, struct safeline_event *ev);

#endif
