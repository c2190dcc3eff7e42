/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "safeline" generic netlink family (protocol: uapi/linux/safeline.h).
 */
#ifndef _SAFELINE_NETLINK_H
#define _SAFELINE_NETLINK_H

int safeline_netlink_init(void);
void safeline_netlink_uninit(void);

#endif /* _SAFELINE_NETLINK_H */
