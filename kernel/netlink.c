// SPDX-License-Identifier: GPL-2.0
/*
 * The "safeline" generic netlink family: one attribute policy per command,
 * mirroring uapi/linux/safeline.h, and the handlers behind them.
 */

#include <net/genetlink.h>
#include <dahdi/kernel.h>

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

static const struct genl_ops safeline_ops[] = {
	{
		.cmd = SAFELINE_CMD_GET_STATUS,
		.doit = status_doit,
		.policy = status_policy,
		.maxattr = ARRAY_SIZE(status_policy) - 1,
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
