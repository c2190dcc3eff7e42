// SPDX-License-Identifier: GPL-2.0
/*
 * The "safeline" generic netlink family: one attribute policy per command,
 * mirroring uapi/linux/safeline.h, and the handlers behind them.
 */

#include <net/genetlink.h>
#include <dahdi/kernel.h>

#include "chan.h"
#include "netlink.h"
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
};

static size_t status_size(void)
{
	return nla_total_size(sizeof(SAFELINE_VERSION)) +	/* VERSION */
	       nla_total_size(sizeof(u32)) +			/* PROTOCOL */
	       nla_total_size(sizeof(u8));			/* DAHDI_AUTO_ASSIGN */
}

static int status_fill(struct sk_buff *skb)
{
	u8 auto_assign = !!dahdi_get_auto_assign_spans();

	if (nla_put_string(skb, SAFELINE_STATUS_A_VERSION, SAFELINE_VERSION) ||
	    nla_put_u32(skb, SAFELINE_STATUS_A_PROTOCOL, SAFELINE_GENL_VERSION) ||
	    nla_put_u8(skb, SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN, auto_assign))
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
};

static size_t channel_size(void)
{
	return 4 * nla_total_size(sizeof(u32)) +	/* CHANNO SPANNO SIG, spare */
	       nla_total_size(sizeof_field(struct safeline_chan_info, name)) +
	       4 * nla_total_size(sizeof(u8)) +		/* ROLE LAW POLICY HOOK */
	       3 * nla_total_size_64bit(sizeof(u64));	/* chunk counters */
}

static int channel_fill(struct sk_buff *skb, const struct safeline_chan_info *ch)
{
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
};

static struct genl_family safeline_family __ro_after_init = {
	.name = SAFELINE_GENL_NAME,
	.version = SAFELINE_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = safeline_ops,
	.n_ops = ARRAY_SIZE(safeline_ops),
	/* resv_start_op stays 0: every command gets strict header checks */
};

int __init safeline_netlink_init(void)
{
	return genl_register_family(&safeline_family);
}

void safeline_netlink_uninit(void)
{
	genl_unregister_family(&safeline_family);
}
