// SPDX-License-Identifier: GPL-2.0
/*
 * The "safeline" generic netlink family: one attribute policy per command,
 * mirroring uapi/linux/safeline.h, and the handlers behind them.
 */

#include <net/genetlink.h>
#include <dahdi/kernel.h>

#include "chan.h"
#include "compat.h"
#include "event.h"
#include "hook.h"
#include "netlink.h"
#include "verify.h"
#include "version.h"
#include "uapi/linux/safeline.h"

static struct genl_family safeline_family;

/* Reply attributes are refused in requests, by name, so a confused client learns why. */
#define REPLY_ONLY(attr) \
	[attr] = { .type = NLA_REJECT, .reject_message = #attr " is a reply attribute" }

static const struct nla_policy status_policy[SAFELINE_STATUS_A_MAX + 1] = {
	REPLY_ONLY(SAFELINE_STATUS_A_VERSION),
	REPLY_ONLY(SAFELINE_STATUS_A_PROTOCOL),
	REPLY_ONLY(SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN),
	REPLY_ONLY(SAFELINE_STATUS_A_DEFAULT_POLICY),
	REPLY_ONLY(SAFELINE_STATUS_A_PAD),
	REPLY_ONLY(SAFELINE_STATUS_A_EVENTS_SENT),
	REPLY_ONLY(SAFELINE_STATUS_A_EVENTS_DROPPED),
	REPLY_ONLY(SAFELINE_STATUS_A_VERIFY_HASHES),
	REPLY_ONLY(SAFELINE_STATUS_A_HOOK_MISSES),
	REPLY_ONLY(SAFELINE_STATUS_A_CHUNKS_UNCOVERED),
};

static size_t status_size(void)
{
	return nla_total_size(sizeof(SAFELINE_VERSION)) +	/* VERSION */
	       nla_total_size(sizeof(u32)) +			/* PROTOCOL */
	       2 * nla_total_size(sizeof(u8)) +	/* DAHDI_AUTO_ASSIGN, DEFAULT_POLICY */
	       /* EVENTS_SENT, EVENTS_DROPPED, HOOK_MISSES, CHUNKS_UNCOVERED */
	       4 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(sizeof(u32));		/* VERIFY_HASHES */
}

static int status_fill(struct sk_buff *skb)
{
	u8 auto_assign = !!dahdi_get_auto_assign_spans();

	if (nla_put_string(skb, SAFELINE_STATUS_A_VERSION, SAFELINE_VERSION) ||
	    nla_put_u32(skb, SAFELINE_STATUS_A_PROTOCOL, SAFELINE_GENL_VERSION) ||
	    nla_put_u8(skb, SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN, auto_assign) ||
	    nla_put_u8(skb, SAFELINE_STATUS_A_DEFAULT_POLICY, safeline_chan_default_policy()) ||
	    nla_put_u64_64bit(skb, SAFELINE_STATUS_A_EVENTS_SENT, safeline_event_sent(),
			      SAFELINE_STATUS_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_STATUS_A_EVENTS_DROPPED, safeline_event_dropped(),
			      SAFELINE_STATUS_A_PAD) ||
	    nla_put_u32(skb, SAFELINE_STATUS_A_VERIFY_HASHES, safeline_verify_table_size()) ||
	    nla_put_u64_64bit(skb, SAFELINE_STATUS_A_HOOK_MISSES, safeline_hook_missed(),
			      SAFELINE_STATUS_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_STATUS_A_CHUNKS_UNCOVERED, safeline_chan_uncovered(),
			      SAFELINE_STATUS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	void *hdr;
	int ret;

	reply = genlmsg_new(status_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &safeline_family, 0,
				SAFELINE_CMD_GET_STATUS);
	ret = hdr ? status_fill(reply) : -EMSGSIZE;
	if (ret) {
		GENL_SET_ERR_MSG(info, "status reply does not fit its message");
		nlmsg_free(reply);
		return ret;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

/* a plain request names one channel; a dump takes none (channel_start) */
static const struct nla_policy channel_policy[SAFELINE_CHANNEL_A_MAX + 1] = {
	REPLY_ONLY(SAFELINE_CHANNEL_A_PAD),
	[SAFELINE_CHANNEL_A_CHANNO] = { .type = NLA_U32 },
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPANNO),
	REPLY_ONLY(SAFELINE_CHANNEL_A_NAME),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SIG),
	REPLY_ONLY(SAFELINE_CHANNEL_A_ROLE),
	REPLY_ONLY(SAFELINE_CHANNEL_A_LAW),
	REPLY_ONLY(SAFELINE_CHANNEL_A_POLICY),
	REPLY_ONLY(SAFELINE_CHANNEL_A_HOOK),
	REPLY_ONLY(SAFELINE_CHANNEL_A_RX_EC_CHUNKS),
	REPLY_ONLY(SAFELINE_CHANNEL_A_RX_CHUNKS),
	REPLY_ONLY(SAFELINE_CHANNEL_A_TX_CHUNKS),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPILLS_ALERT),
	REPLY_ONLY(SAFELINE_CHANNEL_A_SPILLS_DTMF),
	REPLY_ONLY(SAFELINE_CHANNEL_A_MUTED_CHUNKS),
	REPLY_ONLY(SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED),
	REPLY_ONLY(SAFELINE_CHANNEL_A_VERIFY_WITHHELD),
	REPLY_ONLY(SAFELINE_CHANNEL_A_VERIFY_NOT_OURS),
	REPLY_ONLY(SAFELINE_CHANNEL_A_VERIFY_OURS),
};

/* the reply attribute of each verdict counter (verify.h: result - 1) */
static const u16 verify_attr[SAFELINE_VERIFY_RESULTS] = {
	SAFELINE_CHANNEL_A_VERIFY_WITHHELD,
	SAFELINE_CHANNEL_A_VERIFY_NOT_OURS,
	SAFELINE_CHANNEL_A_VERIFY_OURS,
};

/* the reply attribute of each suppress.c spill kind */
static const u16 spill_attr[SAFELINE_SUPPRESS_KINDS] = {
	[SAFELINE_SUPPRESS_FSK_SEIZURE] = SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE,
	[SAFELINE_SUPPRESS_FSK_MESSAGE] = SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE,
	[SAFELINE_SUPPRESS_FSK_JCLIP] = SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP,
	[SAFELINE_SUPPRESS_ALERT] = SAFELINE_CHANNEL_A_SPILLS_ALERT,
	[SAFELINE_SUPPRESS_DTMF] = SAFELINE_CHANNEL_A_SPILLS_DTMF,
};

static size_t channel_size(void)
{
	return 4 * nla_total_size(sizeof(u32)) +	/* CHANNO SPANNO SIG, spare */
	       nla_total_size(sizeof_field(struct safeline_chan_info, name)) +
	       4 * nla_total_size(sizeof(u8)) +		/* ROLE LAW POLICY HOOK */
	       (4 + SAFELINE_SUPPRESS_KINDS + SAFELINE_VERIFY_RESULTS) * /* counters */
	       nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size_64bit(sizeof(u64));	/* DTMF_EVENTS_BLOCKED */
}

static int channel_fill(struct sk_buff *skb, const struct safeline_chan_info *ch)
{
	int k;

	for (k = 0; k < SAFELINE_SUPPRESS_KINDS; k++)
		if (nla_put_u64_64bit(skb, spill_attr[k], ch->spills[k], SAFELINE_CHANNEL_A_PAD))
			return -EMSGSIZE;
	for (k = 0; k < SAFELINE_VERIFY_RESULTS; k++)
		if (nla_put_u64_64bit(skb, verify_attr[k], ch->verify[k], SAFELINE_CHANNEL_A_PAD))
			return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, SAFELINE_CHANNEL_A_MUTED_CHUNKS, ch->muted_chunks,
			      SAFELINE_CHANNEL_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED, ch->dtmf_blocked,
			      SAFELINE_CHANNEL_A_PAD))
		return -EMSGSIZE;
	if (nla_put_u32(skb, SAFELINE_CHANNEL_A_CHANNO, ch->channo) ||
	    nla_put_u32(skb, SAFELINE_CHANNEL_A_SPANNO, ch->spanno) ||
	    nla_put_string(skb, SAFELINE_CHANNEL_A_NAME, ch->name) ||
	    nla_put_u32(skb, SAFELINE_CHANNEL_A_SIG, ch->sig) ||
	    nla_put_u8(skb, SAFELINE_CHANNEL_A_ROLE, ch->role) ||
	    nla_put_u8(skb, SAFELINE_CHANNEL_A_LAW, ch->law) ||
	    nla_put_u8(skb, SAFELINE_CHANNEL_A_POLICY, ch->policy) ||
	    nla_put_u8(skb, SAFELINE_CHANNEL_A_HOOK, ch->hook) ||
	    nla_put_u64_64bit(skb, SAFELINE_CHANNEL_A_RX_EC_CHUNKS, ch->rx_ec_chunks,
			      SAFELINE_CHANNEL_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_CHANNEL_A_RX_CHUNKS, ch->rx_chunks,
			      SAFELINE_CHANNEL_A_PAD) ||
	    nla_put_u64_64bit(skb, SAFELINE_CHANNEL_A_TX_CHUNKS, ch->tx_chunks,
			      SAFELINE_CHANNEL_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int channel_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct safeline_chan_info ch;
	struct sk_buff *reply;
	u32 channo;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SAFELINE_CHANNEL_A_CHANNO))
		return -EINVAL;
	channo = nla_get_u32(info->attrs[SAFELINE_CHANNEL_A_CHANNO]);
	if (safeline_chan_get(&channo, false, &ch)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SAFELINE_CHANNEL_A_CHANNO],
				    "no live DAHDI channel has this number");
		return -ENODEV;
	}
	reply = genlmsg_new(channel_size(), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &safeline_family, 0,
				SAFELINE_CMD_GET_CHANNEL);
	ret = hdr ? channel_fill(reply, &ch) : -EMSGSIZE;
	if (ret) {
		GENL_SET_ERR_MSG(info, "channel reply does not fit its message");
		nlmsg_free(reply);
		return ret;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int channel_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);

	if (info->attrs[SAFELINE_CHANNEL_A_CHANNO]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, info->attrs[SAFELINE_CHANNEL_A_CHANNO],
				    "a channel dump takes no channel number");
		return -EINVAL;
	}
	cb->args[0] = 0;	/* the next channel number to look at */
	return 0;
}

static int channel_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct safeline_chan_info ch;
	u32 channo = cb->args[0];
	void *hdr;

	for (; !safeline_chan_get(&channo, true, &ch); channo++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &safeline_family, NLM_F_MULTI, SAFELINE_CMD_GET_CHANNEL);
		if (!hdr)
			break;
		if (channel_fill(skb, &ch)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = channo;
	return skb->len;
}

/*
 * NL_SET_ERR_MSG_ATTR() for a message kept in a table: the macro takes string
 * literals only, so this sets the same fields it does. Returns -EINVAL.
 */
static int refuse_attr(struct netlink_ext_ack *extack, const struct nlattr *attr,
		       const char *msg)
{
	do_trace_netlink_extack(msg);
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
	return -EINVAL;
}

/* A required attribute is missing: say so, and name it as NLMSGERR_ATTR_MISS_TYPE. */
static int require_attr(struct genl_info *info, int type, const char *msg)
{
	if (!GENL_REQ_ATTR_CHECK(info, type))
		return 0;
	return refuse_attr(info->extack, NULL, msg);
}

/* A command's channel range: its FIRST and LAST attributes, and their faults in its words. */
struct chan_range {
	int first, last;
	const char *last_alone;		/* LAST without FIRST */
	const char *backwards;		/* LAST below FIRST */
};

/* FIRST..LAST (LAST defaults to FIRST) of a request that holds at least one of them. */
static int chan_range_get(struct genl_info *info, const struct chan_range *r, u32 *first,
			  u32 *last)
{
	struct nlattr *chan = info->attrs[r->first];
	struct nlattr *chan_last = info->attrs[r->last];

	if (!chan)
		return refuse_attr(info->extack, chan_last, r->last_alone);
	*first = nla_get_u32(chan);
	*last = chan_last ? nla_get_u32(chan_last) : *first;
	if (*last < *first)
		return refuse_attr(info->extack, chan_last, r->backwards);
	return 0;
}

/*
 * Sends the reply of a command that set count things, its one u32 attribute,
 * in reply: allocated beforehand by a command that must not fail once it acted.
 */
static int reply_count_in(struct sk_buff *reply, struct genl_info *info, u8 cmd, int attr,
			  u32 count)
{
	void *hdr = genlmsg_put_reply(reply, info, &safeline_family, 0, cmd);

	if (!hdr || nla_put_u32(reply, attr, count)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

static int reply_count(struct genl_info *info, u8 cmd, int attr, u32 count)
{
	struct sk_buff *reply = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);

	if (!reply)
		return -ENOMEM;
	return reply_count_in(reply, info, cmd, attr, count);
}

static const struct nla_policy set_policy_policy[SAFELINE_POLICY_A_MAX + 1] = {
	[SAFELINE_POLICY_A_CHANNO] = { .type = NLA_U32 },
	[SAFELINE_POLICY_A_CHANNO_LAST] = { .type = NLA_U32 },
	[SAFELINE_POLICY_A_DEFAULT] = { .type = NLA_FLAG },
	[SAFELINE_POLICY_A_POLICY] = { .type = NLA_U8 },
	REPLY_ONLY(SAFELINE_POLICY_A_COUNT),
};

static const struct chan_range policy_range = {
	.first = SAFELINE_POLICY_A_CHANNO,
	.last = SAFELINE_POLICY_A_CHANNO_LAST,
	.last_alone = "SAFELINE_POLICY_A_CHANNO_LAST needs SAFELINE_POLICY_A_CHANNO",
	.backwards = "SAFELINE_POLICY_A_CHANNO_LAST is below SAFELINE_POLICY_A_CHANNO",
};

/* Which channels a request names, or why it names none; 0 when it is sound. */
static int set_policy_target(struct genl_info *info, u32 *first, u32 *last)
{
	struct nlattr **a = info->attrs;

	if (a[SAFELINE_POLICY_A_DEFAULT] && a[SAFELINE_POLICY_A_CHANNO]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SAFELINE_POLICY_A_CHANNO],
				    "SAFELINE_POLICY_A_CHANNO cannot go with SAFELINE_POLICY_A_DEFAULT");
		return -EINVAL;
	}
	if (a[SAFELINE_POLICY_A_DEFAULT] && a[SAFELINE_POLICY_A_CHANNO_LAST]) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[SAFELINE_POLICY_A_CHANNO_LAST],
				    "SAFELINE_POLICY_A_CHANNO_LAST cannot go with SAFELINE_POLICY_A_DEFAULT");
		return -EINVAL;
	}
	if (a[SAFELINE_POLICY_A_DEFAULT])
		return 0;
	if (!a[SAFELINE_POLICY_A_CHANNO] && !a[SAFELINE_POLICY_A_CHANNO_LAST]) {
		GENL_SET_ERR_MSG(info, "needs SAFELINE_POLICY_A_CHANNO or SAFELINE_POLICY_A_DEFAULT");
		return -EINVAL;
	}
	return chan_range_get(info, &policy_range, first, last);
}

/* extack for what safeline_chan_set_policy refused */
static void set_policy_why(struct genl_info *info, int ret, bool one, bool verify)
{
	struct nlattr *chan = info->attrs[SAFELINE_POLICY_A_CHANNO];

	if (ret == -ENOENT && one)
		NL_SET_ERR_MSG_ATTR(info->extack, chan,
				    "SAFELINE_POLICY_A_CHANNO: no live DAHDI channel has this number");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, chan,
				    "SAFELINE_POLICY_A_CHANNO: no live DAHDI channel in this range");
	else if (ret == -EOPNOTSUPP && verify)
		NL_SET_ERR_MSG_ATTR(info->extack, chan,
				    "SAFELINE_POLICY_A_CHANNO: verify needs an FXO-port channel (FXS-signalled)");
	else if (ret == -EOPNOTSUPP)
		NL_SET_ERR_MSG_ATTR(info->extack, chan,
				    "SAFELINE_POLICY_A_CHANNO: no analog channel (role none always passes)");
	else if (ret == -ENOMEM)
		GENL_SET_ERR_MSG(info, "out of memory for a verifier; channels before it are set");
}

static int set_policy_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SAFELINE_POLICY_A_POLICY];
	u32 first = 0, last = 0, count = 0;
	u8 policy;
	int ret;

	ret = require_attr(info, SAFELINE_POLICY_A_POLICY, "SAFELINE_POLICY_A_POLICY is required");
	if (ret)
		return ret;
	policy = nla_get_u8(attr);
	if (policy > SAFELINE_POLICY_VERIFY) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "SAFELINE_POLICY_A_POLICY is no enum safeline_policy value");
		return -EINVAL;
	}
	ret = set_policy_target(info, &first, &last);
	if (ret)
		return ret;
	if (info->attrs[SAFELINE_POLICY_A_DEFAULT]) {
		if (policy == SAFELINE_POLICY_VERIFY) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "verify is for one designated line, not a default");
			return -EOPNOTSUPP;
		}
		safeline_chan_set_default_policy(policy);
		return reply_count(info, SAFELINE_CMD_SET_POLICY, SAFELINE_POLICY_A_COUNT, 0);
	}
	ret = safeline_chan_set_policy(first, last, policy, &count);
	if (ret) {
		set_policy_why(info, ret, first == last, policy == SAFELINE_POLICY_VERIFY);
		return ret;
	}
	return reply_count(info, SAFELINE_CMD_SET_POLICY, SAFELINE_POLICY_A_COUNT, count);
}

static const struct nla_policy reset_policy[SAFELINE_RESET_A_MAX + 1] = {
	[SAFELINE_RESET_A_CHANNO] = { .type = NLA_U32 },
	[SAFELINE_RESET_A_CHANNO_LAST] = { .type = NLA_U32 },
	[SAFELINE_RESET_A_ALL] = { .type = NLA_FLAG },
	REPLY_ONLY(SAFELINE_RESET_A_COUNT),
};

static const struct chan_range reset_range = {
	.first = SAFELINE_RESET_A_CHANNO,
	.last = SAFELINE_RESET_A_CHANNO_LAST,
	.last_alone = "SAFELINE_RESET_A_CHANNO_LAST needs SAFELINE_RESET_A_CHANNO",
	.backwards = "SAFELINE_RESET_A_CHANNO_LAST is below SAFELINE_RESET_A_CHANNO",
};

/* Which channels a reset names (ALL: every one), or why it names none. */
static int reset_target(struct genl_info *info, u32 *first, u32 *last)
{
	struct nlattr **a = info->attrs;
	struct nlattr *chan = a[SAFELINE_RESET_A_CHANNO];
	struct nlattr *chan_last = a[SAFELINE_RESET_A_CHANNO_LAST];

	if (a[SAFELINE_RESET_A_ALL]) {
		if (chan || chan_last) {
			NL_SET_ERR_MSG_ATTR(info->extack, chan ? chan : chan_last,
					    "SAFELINE_RESET_A_ALL takes no channel number");
			return -EINVAL;
		}
		*first = 0;
		*last = U32_MAX;
		return 0;
	}
	if (!chan && !chan_last)
		return require_attr(info, SAFELINE_RESET_A_CHANNO,
				    "needs SAFELINE_RESET_A_CHANNO or SAFELINE_RESET_A_ALL");
	return chan_range_get(info, &reset_range, first, last);
}

static int reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 first = 0, last = 0, count = 0;
	int ret;

	ret = reset_target(info, &first, &last);
	if (ret)
		return ret;
	ret = safeline_chan_reset_counters(first, last, &count);
	if (ret) {
		if (info->attrs[SAFELINE_RESET_A_CHANNO])
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SAFELINE_RESET_A_CHANNO],
					    "SAFELINE_RESET_A_CHANNO: no live DAHDI channel there");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SAFELINE_RESET_A_ALL],
					    "SAFELINE_RESET_A_ALL: no live DAHDI channel");
		return ret;
	}
	return reply_count(info, SAFELINE_CMD_RESET_COUNTERS, SAFELINE_RESET_A_COUNT, count);
}

/*
 * Lengths are checked here rather than with the policy's .len or range, so
 * that a wrong one is EINVAL (as the uapi header says) with the attribute
 * named, not the policy core's ERANGE.
 */
static int verify_key_valid(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != SAFELINE_VERIFY_KEY_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "SAFELINE_VERIFY_A_KEY must be SAFELINE_VERIFY_KEY_LEN (16) bytes");
		return -EINVAL;
	}
	return 0;
}

static int verify_hashes_valid(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) % sizeof(u64)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "SAFELINE_VERIFY_A_HASHES is not a whole number of u64 hashes");
		return -EINVAL;
	}
	if (nla_len(attr) > SAFELINE_VERIFY_MAX_HASHES * sizeof(u64)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "SAFELINE_VERIFY_A_HASHES holds more than SAFELINE_VERIFY_MAX_HASHES (16)");
		return -EINVAL;
	}
	return 0;
}

static const struct nla_policy set_verify_policy[SAFELINE_VERIFY_A_MAX + 1] = {
	[SAFELINE_VERIFY_A_KEY] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, verify_key_valid),
	[SAFELINE_VERIFY_A_HASHES] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, verify_hashes_valid),
	[SAFELINE_VERIFY_A_SUFFIX_DIGITS] = { .type = NLA_U8 },
	REPLY_ONLY(SAFELINE_VERIFY_A_COUNT),
};

/*
 * Loads the table and wipes every copy of it we hold: the locals and the
 * request's own attribute data. Nothing of it is logged or echoed.
 */
static int set_verify_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *key = info->attrs[SAFELINE_VERIFY_A_KEY];
	struct nlattr *hashes = info->attrs[SAFELINE_VERIFY_A_HASHES];
	struct nlattr *suffix = info->attrs[SAFELINE_VERIFY_A_SUFFIX_DIGITS];
	u64 table[SAFELINE_VERIFY_MAX_HASHES];
	u8 k[SAFELINE_VERIFY_KEY_LEN];
	struct sk_buff *reply;
	unsigned int n;

	if (require_attr(info, SAFELINE_VERIFY_A_KEY, "SAFELINE_VERIFY_A_KEY is required") ||
	    require_attr(info, SAFELINE_VERIFY_A_HASHES,
			 "SAFELINE_VERIFY_A_HASHES is required (empty clears)"))
		return -EINVAL;
	if (suffix && nla_get_u8(suffix) > SAFELINE_VERIFY_MAX_DIGITS) {
		NL_SET_ERR_MSG_ATTR(info->extack, suffix,
				    "SAFELINE_VERIFY_A_SUFFIX_DIGITS is above SAFELINE_VERIFY_MAX_DIGITS (32)");
		return -EINVAL;
	}
	reply = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	n = nla_len(hashes) / sizeof(u64);
	nla_memcpy(k, key, sizeof(k));
	nla_memcpy(table, hashes, sizeof(table));
	memzero_explicit(nla_data(key), nla_len(key));
	memzero_explicit(nla_data(hashes), nla_len(hashes));
	safeline_verify_set_table(k, table, n, suffix ? nla_get_u8(suffix) : 0);
	memzero_explicit(k, sizeof(k));
	memzero_explicit(table, sizeof(table));
	return reply_count_in(reply, info, SAFELINE_CMD_SET_VERIFY, SAFELINE_VERIFY_A_COUNT, n);
}

static const struct genl_ops safeline_ops[] = {
	{
		.cmd = SAFELINE_CMD_GET_STATUS,
		.doit = status_doit,
		.policy = status_policy,
		.maxattr = ARRAY_SIZE(status_policy) - 1,
	},
	{
		.cmd = SAFELINE_CMD_GET_CHANNEL,
		.doit = channel_doit,
		.start = channel_start,
		.dumpit = channel_dumpit,
		.policy = channel_policy,
		.maxattr = ARRAY_SIZE(channel_policy) - 1,
	},
	{
		.cmd = SAFELINE_CMD_SET_POLICY,
		.doit = set_policy_doit,
		.policy = set_policy_policy,
		.maxattr = ARRAY_SIZE(set_policy_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SAFELINE_CMD_RESET_COUNTERS,
		.doit = reset_doit,
		.policy = reset_policy,
		.maxattr = ARRAY_SIZE(reset_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SAFELINE_CMD_SET_VERIFY,
		.doit = set_verify_doit,
		.policy = set_verify_policy,
		.maxattr = ARRAY_SIZE(set_verify_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

enum { MCGRP_EVENTS };

/* Call events carry call metadata: only CAP_NET_ADMIN may join (compat.h) */
static const struct genl_multicast_group safeline_mcgrps[] = {
	[MCGRP_EVENTS] = { .name = SAFELINE_MCGRP_EVENTS, .flags = COMPAT_MCAST_CAP_NET_ADMIN },
};

static struct genl_family safeline_family __ro_after_init = {
	.name = SAFELINE_GENL_NAME,
	.version = SAFELINE_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = safeline_ops,
	.n_ops = ARRAY_SIZE(safeline_ops),
	.mcgrps = safeline_mcgrps,
	.n_mcgrps = ARRAY_SIZE(safeline_mcgrps),
	/* resv_start_op stays 0: every command gets strict header checks */
};

/* Whether anyone is in the events group (where events may go at all: compat.h) */
bool safeline_netlink_event_listeners(void)
{
	return COMPAT_MCAST_RESTRICTED &&
	       genl_has_listeners(&safeline_family, &init_net, MCGRP_EVENTS) > 0;
}

/* The header of an event message, for event.c to fill */
void *safeline_netlink_event_put(struct sk_buff *skb)
{
	return genlmsg_put(skb, 0, 0, &safeline_family, 0, SAFELINE_CMD_EVENT);
}

/* Multicast a finished event message to the events group; consumes skb */
int safeline_netlink_event_send(struct sk_buff *skb)
{
	return genlmsg_multicast(&safeline_family, skb, 0, MCGRP_EVENTS, GFP_KERNEL);
}

int __init safeline_netlink_init(void)
{
	if (!COMPAT_MCAST_RESTRICTED)
		pr_warn("this kernel cannot restrict multicast groups to CAP_NET_ADMIN: no call events will be sent\n");
	return genl_register_family(&safeline_family);
}

void safeline_netlink_uninit(void)
{
	genl_unregister_family(&safeline_family);
}
