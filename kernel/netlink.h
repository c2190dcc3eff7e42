/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "safeline" generic netlink family (protocol: uapi/linux/safeline.h).
 */
#ifndef _SAFELINE_NETLINK_H
#define _SAFELINE_NETLINK_H

#include <linux/skbuff.h>

/* For event.c: the events group's listeners, a message header, the multicast */
bool safeline_netlink_event_listeners(void);
void *safeline_netlink_event_put(struct sk_buff *skb);
int safeline_netlink_event_send(struct sk_buff *skb);

int safeline_netlink_init(void);
void safeline_netlink_uninit(void);

#endif /* _SAFELINE_NETLINK_H */
