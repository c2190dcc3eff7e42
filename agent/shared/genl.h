/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests to safeline.ko over generic netlink (libnl-genl-3), shared by
 * safectl and safelined. Library-like: returns negative errnos, never logs
 * above debug, and keeps the kernel's extack text for the caller to show.
 */
#ifndef SAFELINE_GENL_H
#define SAFELINE_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl_msg;
struct nl_sock;

struct safeline_genl {
	struct nl_sock *sock;
	int family;		/* resolved id of the "safeline" family */
	char extack[256];	/* kernel's message for the last failure, or "" */
};

struct safeline_status {
	char version[64];	/* module version, as modinfo shows it */
	uint32_t protocol;	/* protocol version the module speaks */
	bool dahdi_auto_assign;	/* DAHDI assigns spans as they register */
	/* the events group's counters; modules older than it omit them */
	bool has_events;
	uint64_t events_sent, events_dropped;
	/* what the data path did not see or cover since load; older modules omit them */
	bool has_coverage;
	uint64_t hook_misses, chunks_uncovered;
};

/*
 * Opens a socket and resolves the family by name, which loads safeline.ko
 * when it is installed but not loaded. -ENOENT: the family does not exist
 * (module not loaded and not loadable).
 */
int safeline_genl_open(struct safeline_genl *g);
void safeline_genl_close(struct safeline_genl *g);

int safeline_genl_get_status(struct safeline_genl *g, struct safeline_status *st);

/* A request for cmd with flags (NLM_F_ACK, or NLM_F_DUMP); NULL when out of memory. */
struct nl_msg *safeline_genl_new_request(struct safeline_genl *g, uint8_t cmd, int flags);

/*
 * Sends msg and feeds every reply message to parse(msg, arg) until the ACK or
 * the end of a dump. Returns 0, or the first negative errno from the kernel
 * (its extack text then in g->extack) or from parse().
 */
int safeline_genl_transact(struct safeline_genl *g, struct nl_msg *msg,
			   int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/*
 * The NLMSGERR_ATTR_MSG text of an NLMSG_ERROR message of len bytes, or NULL.
 * Needs NETLINK_EXT_ACK on the socket; works with and without NETLINK_CAP_ACK.
 */
const char *safeline_genl_extack(const struct nlmsghdr *nlh, size_t len);

/*
 * SET_POLICY for channels first..last (inclusive), or with dflt the default
 * new channels get (first and last unused). *count: how many channels were
 * set. -ENOENT/-EOPNOTSUPP as the uapi header says; extack in g->extack.
 */
int safeline_genl_set_policy(struct safeline_genl *g, bool dflt, uint32_t first, uint32_t last,
			     uint8_t policy, uint32_t *count);

/*
 * Dumps the live channels (GET_CHANNEL) and calls fn(channo, role, hook,
 * data) for each: enum safeline_role and enum safeline_hook values.
 */
int safeline_genl_channel_hooks(struct safeline_genl *g,
				void (*fn)(uint32_t channo, uint8_t role, uint8_t hook, void *data),
				void *data);

/* The id of multicast group group of generic netlink family family (-ENOENT: none). */
int safeline_genl_group_id(struct safeline_genl *g, const char *family, const char *group);

#endif
