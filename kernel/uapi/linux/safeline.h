/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * SafeLine generic netlink protocol, spoken between safeline.ko and its
 * userspace (safelined, safectl). This header is the only definition of it;
 * docs/netlink/safeline.yaml describes the same protocol for tools and is
 * checked against this file by `make check`.
 *
 * Family SAFELINE_GENL_NAME ("safeline"), version SAFELINE_GENL_VERSION.
 * The module declares MODULE_ALIAS_GENL_FAMILY, so the first lookup of the
 * family by name (CTRL_CMD_GETFAMILY) loads safeline.ko if it is installed.
 * The family exists only in the initial network namespace.
 *
 * Each command has its own attribute space: its request and reply carry only
 * the attributes of that space. Requests are validated strictly: unknown
 * attributes, attributes a request may not carry, wrong types and nonzero
 * reserved header bytes fail with EINVAL, and the kernel names the offending
 * attribute in the extended ACK (set NETLINK_EXT_ACK to receive it). Values
 * below are appended to, never renumbered.
 *
 * SAFELINE_CMD_GET_STATUS
 * -----------------------
 *
 * Reports what the module is. A plain request (doit, no NLM_F_DUMP); no
 * capability is needed. The request carries no attributes. The reply is one
 * message with the same command and these attributes, all always present:
 *
 *    SAFELINE_STATUS_A_VERSION: NLA_NUL_STRING, the module's version, the
 *                               same text as `modinfo -F version safeline`
 *    SAFELINE_STATUS_A_PROTOCOL: NLA_U32, the protocol version the module
 *                                speaks, SAFELINE_GENL_VERSION when built
 *                                from this header
 *    SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN: NLA_U8, 1 when DAHDI assigns spans
 *                                         as soon as drivers register them,
 *                                         0 when spans wait for an explicit
 *                                         assignment (dahdi.ko's
 *                                         auto_assign_spans parameter, as
 *                                         DAHDI reports it now); channels of
 *                                         an unassigned span carry no audio
 *
 * Errors: EINVAL when the request carries any attribute (extack names it).
 */

#ifndef _UAPI_LINUX_SAFELINE_H
#define _UAPI_LINUX_SAFELINE_H

#include <linux/types.h>

#define SAFELINE_GENL_NAME "safeline"
#define SAFELINE_GENL_VERSION 1

enum safeline_cmd {
	SAFELINE_CMD_UNSPEC,
	SAFELINE_CMD_GET_STATUS,
	__SAFELINE_CMD_MAX
};
#define SAFELINE_CMD_MAX (__SAFELINE_CMD_MAX - 1)

enum safeline_status_attr {
	SAFELINE_STATUS_A_UNSPEC,
	SAFELINE_STATUS_A_VERSION,
	SAFELINE_STATUS_A_PROTOCOL,
	SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN,
	__SAFELINE_STATUS_A_LAST
};
#define SAFELINE_STATUS_A_MAX (__SAFELINE_STATUS_A_LAST - 1)

#endif /* _UAPI_LINUX_SAFELINE_H */
