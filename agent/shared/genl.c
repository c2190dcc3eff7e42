// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport to safeline.ko: resolve the family, send one
 * request, collect the reply and, on failure, the errno and extack text.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/shared/genl.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

DEFINE_CLEANUP_FUNC(struct nl_msg, nlmsg_free)
DEFINE_CLEANUP_FUNC(struct nl_cb, nl_cb_put)

/* one request in flight, filled in by the callbacks */
struct request {
	struct safeline_genl *g;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	int error;	/* negative errno: from the kernel or from parse() */
	bool done;	/* ACK, end of dump or error seen */
};

/* libnl folds errnos into its own codes; give back the ones callers tell apart */
static int errno_from_nlerr(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_NOACCESS: return -EACCES;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_INVAL: return -EINVAL;
	case NLE_OPNOTSUPP: return -EOPNOTSUPP;
	case NLE_AGAIN: return -EAGAIN;
	case NLE_BUSY: return -EBUSY;
	case NLE_PROTO_MISMATCH: return -EPROTO;
	case NLE_BAD_SOCK: return -EBADF;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	default: return -EIO;
	}
}

const char *safeline_genl_extack(const struct nlmsghdr *nlh, size_t len)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*err);

	if (len < off || nlh->nlmsg_type != NLMSG_ERROR ||
	    !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_len < len)
		len = nlh->nlmsg_len;
	/* without NETLINK_CAP_ACK our whole request is echoed before the TLVs */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return NULL;
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	for (off = NLMSG_ALIGN(off); off + NLA_HDRLEN <= len;) {
		const struct nlattr *a = (const void *)((const char *)nlh + off);
		const char *text = (const char *)a + NLA_HDRLEN;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len - off)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return a->nla_len > NLA_HDRLEN &&
			       text[a->nla_len - NLA_HDRLEN - 1] == '\0' ? text : NULL;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;
	int r = req->parse(msg, req->arg);

	if (r < 0 && !req->error)
		req->error = r;
	return NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	req->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct request *req = arg;
	const char *text = safeline_genl_extack(nlh, nlh->nlmsg_len);

	req->error = e->error < 0 ? e->error : -EIO;
	snprintf(req->g->extack, sizeof(req->g->extack), "%s", text ? text : "");
	req->done = true;
	return NL_STOP;
}

struct nl_msg *safeline_genl_new_request(struct safeline_genl *g, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags, cmd,
				SAFELINE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int safeline_genl_transact(struct safeline_genl *g, struct nl_msg *msg,
			   int (*parse)(struct nl_msg *msg, void *arg), void *arg)
{
	_cleanup_(nl_cb_putp) struct nl_cb *cb = NULL;
	struct request req = { .g = g, .parse = parse, .arg = arg };
	struct nl_cb *base = nl_socket_get_cb(g->sock);
	int r;

	cb = nl_cb_clone(base);
	nl_cb_put(base);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);

	g->extack[0] = '\0';
	r = nl_send_auto(g->sock, msg);
	if (r < 0)
		return errno_from_nlerr(r);
	while (!req.done) {
		r = nl_recvmsgs(g->sock, cb);
		if (r < 0 && !req.done)
			return errno_from_nlerr(r);
	}
	return req.error;
}

static int parse_status(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy policy[SAFELINE_STATUS_A_MAX + 1] = {
		[SAFELINE_STATUS_A_VERSION] = { .type = NLA_STRING },
		[SAFELINE_STATUS_A_PROTOCOL] = { .type = NLA_U32 },
		[SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN] = { .type = NLA_U8 },
		[SAFELINE_STATUS_A_EVENTS_SENT] = { .type = NLA_U64 },
		[SAFELINE_STATUS_A_EVENTS_DROPPED] = { .type = NLA_U64 },
		[SAFELINE_STATUS_A_HOOK_MISSES] = { .type = NLA_U64 },
		[SAFELINE_STATUS_A_CHUNKS_UNCOVERED] = { .type = NLA_U64 },
	};
	struct nlattr *tb[SAFELINE_STATUS_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct safeline_status *st = arg;
	struct genlmsghdr *gh = nlmsg_data(nlh);

	if (gh->cmd != SAFELINE_CMD_GET_STATUS ||
	    genlmsg_parse(nlh, 0, tb, SAFELINE_STATUS_A_MAX, policy) < 0 ||
	    !tb[SAFELINE_STATUS_A_VERSION] || !tb[SAFELINE_STATUS_A_PROTOCOL] ||
	    !tb[SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN])
		return log_debug_errno(-EBADMSG, "Malformed status reply");
	snprintf(st->version, sizeof(st->version), "%s",
		 nla_get_string(tb[SAFELINE_STATUS_A_VERSION]));
	st->protocol = nla_get_u32(tb[SAFELINE_STATUS_A_PROTOCOL]);
	st->dahdi_auto_assign = nla_get_u8(tb[SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN]);
	st->has_events = tb[SAFELINE_STATUS_A_EVENTS_SENT] && tb[SAFELINE_STATUS_A_EVENTS_DROPPED];
	if (st->has_events) {
		st->events_sent = nla_get_u64(tb[SAFELINE_STATUS_A_EVENTS_SENT]);
		st->events_dropped = nla_get_u64(tb[SAFELINE_STATUS_A_EVENTS_DROPPED]);
	}
	st->has_coverage = tb[SAFELINE_STATUS_A_HOOK_MISSES] &&
			   tb[SAFELINE_STATUS_A_CHUNKS_UNCOVERED];
	if (st->has_coverage) {
		st->hook_misses = nla_get_u64(tb[SAFELINE_STATUS_A_HOOK_MISSES]);
		st->chunks_uncovered = nla_get_u64(tb[SAFELINE_STATUS_A_CHUNKS_UNCOVERED]);
	}
	return 0;
}

int safeline_genl_get_status(struct safeline_genl *g, struct safeline_status *st)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(g, SAFELINE_CMD_GET_STATUS, NLM_F_ACK);

	*st = (struct safeline_status){};
	if (!msg)
		return -ENOMEM;
	return safeline_genl_transact(g, msg, parse_status, st);
}

static int parse_policy_count(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy policy[SAFELINE_POLICY_A_MAX + 1] = {
		[SAFELINE_POLICY_A_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[SAFELINE_POLICY_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);

	if (gh->cmd != SAFELINE_CMD_SET_POLICY ||
	    genlmsg_parse(nlh, 0, tb, SAFELINE_POLICY_A_MAX, policy) < 0 ||
	    !tb[SAFELINE_POLICY_A_COUNT])
		return log_debug_errno(-EBADMSG, "Malformed set-policy reply");
	*(uint32_t *)arg = nla_get_u32(tb[SAFELINE_POLICY_A_COUNT]);
	return 0;
}

int safeline_genl_set_policy(struct safeline_genl *g, bool dflt, uint32_t first, uint32_t last,
			     uint8_t policy, uint32_t *count)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(g, SAFELINE_CMD_SET_POLICY, NLM_F_ACK);

	*count = 0;
	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, SAFELINE_POLICY_A_POLICY, policy) < 0 ||
	    (dflt && nla_put_flag(msg, SAFELINE_POLICY_A_DEFAULT) < 0) ||
	    (!dflt && (nla_put_u32(msg, SAFELINE_POLICY_A_CHANNO, first) < 0 ||
		       nla_put_u32(msg, SAFELINE_POLICY_A_CHANNO_LAST, last) < 0)))
		return -ENOMEM;
	return safeline_genl_transact(g, msg, parse_policy_count, count);
}

struct hooks_ctx {
	void (*fn)(uint32_t channo, uint8_t role, uint8_t hook, void *data);
	void *data;
};

static int parse_hook(struct nl_msg *msg, void *arg)
{
	static const struct nla_policy policy[SAFELINE_CHANNEL_A_MAX + 1] = {
		[SAFELINE_CHANNEL_A_CHANNO] = { .type = NLA_U32 },
		[SAFELINE_CHANNEL_A_ROLE] = { .type = NLA_U8 },
		[SAFELINE_CHANNEL_A_HOOK] = { .type = NLA_U8 },
	};
	struct nlattr *tb[SAFELINE_CHANNEL_A_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct hooks_ctx *c = arg;

	if (gh->cmd != SAFELINE_CMD_GET_CHANNEL ||
	    genlmsg_parse(nlh, 0, tb, SAFELINE_CHANNEL_A_MAX, policy) < 0 ||
	    !tb[SAFELINE_CHANNEL_A_CHANNO] || !tb[SAFELINE_CHANNEL_A_ROLE] ||
	    !tb[SAFELINE_CHANNEL_A_HOOK])
		return log_debug_errno(-EBADMSG, "Malformed channel message");
	c->fn(nla_get_u32(tb[SAFELINE_CHANNEL_A_CHANNO]), nla_get_u8(tb[SAFELINE_CHANNEL_A_ROLE]),
	      nla_get_u8(tb[SAFELINE_CHANNEL_A_HOOK]), c->data);
	return 0;
}

int safeline_genl_channel_hooks(struct safeline_genl *g,
				void (*fn)(uint32_t channo, uint8_t role, uint8_t hook, void *data),
				void *data)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg =
		safeline_genl_new_request(g, SAFELINE_CMD_GET_CHANNEL, NLM_F_DUMP);
	struct hooks_ctx c = { fn, data };

	if (!msg)
		return -ENOMEM;
	return safeline_genl_transact(g, msg, parse_hook, &c);
}

int safeline_genl_group_id(struct safeline_genl *g, const char *family, const char *group)
{
	int r = genl_ctrl_resolve_grp(g->sock, family, group);

	return r < 0 ? errno_from_nlerr(r) : r;
}

void safeline_genl_close(struct safeline_genl *g)
{
	nl_socket_free(g->sock);
	g->sock = NULL;
	g->family = 0;
}

int safeline_genl_open(struct safeline_genl *g)
{
	int one = 1, r;

	*g = (struct safeline_genl){};
	g->sock = nl_socket_alloc();
	if (!g->sock)
		return -ENOMEM;
	r = genl_connect(g->sock);
	if (r < 0)
		goto fail;
	/* the kernel's reason text, without an echo of our request */
	if (setsockopt(nl_socket_get_fd(g->sock), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) < 0 ||
	    setsockopt(nl_socket_get_fd(g->sock), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one)) < 0)
		log_debug("No extended netlink ACKs: %m, ignoring");
	/* a lookup by name makes the kernel load safeline.ko if it can */
	r = genl_ctrl_resolve(g->sock, SAFELINE_GENL_NAME);
	if (r < 0)
		goto fail;
	g->family = r;
	return 0;
fail:
	log_debug("Generic netlink family " SAFELINE_GENL_NAME ": %s", nl_geterror(r));
	safeline_genl_close(g);
	return errno_from_nlerr(r);
}
