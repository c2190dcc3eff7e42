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
 *
 * SAFELINE_CMD_GET_CHANNEL
 * ------------------------
 *
 * Reports the DAHDI channels safeline.ko is interposed on: every registered
 * channel of every span whose driver ran a receive or transmit tick in the
 * last second (channels of spans that were unassigned or destroyed drop out
 * within that second). No capability is needed.
 *
 * As a dump (NLM_F_DUMP), the request carries no attributes and the reply is
 * one message per channel, in channel-number order, split over as many
 * datagrams as needed. As a plain request, it must carry
 *
 *    SAFELINE_CHANNEL_A_CHANNO: NLA_U32, the DAHDI channel number
 *
 * and the reply is that channel's message. Each message carries:
 *
 *    SAFELINE_CHANNEL_A_CHANNO: NLA_U32, DAHDI channel number
 *    SAFELINE_CHANNEL_A_SPANNO: NLA_U32, DAHDI span number
 *    SAFELINE_CHANNEL_A_NAME: NLA_NUL_STRING, DAHDI's channel name
 *                             ("DYN/loc/1:0/3", "WCTDM/0/1", ...)
 *    SAFELINE_CHANNEL_A_SIG: NLA_U32, DAHDI signalling (DAHDI_SIG_* of
 *                            <dahdi/user.h>), 0 when unconfigured
 *    SAFELINE_CHANNEL_A_ROLE: NLA_U8, enum safeline_role: which direction
 *                             carries caller ID, derived from SIG
 *    SAFELINE_CHANNEL_A_LAW: NLA_U8, enum safeline_law, the law in use now
 *    SAFELINE_CHANNEL_A_POLICY: NLA_U8, enum safeline_policy
 *    SAFELINE_CHANNEL_A_HOOK: NLA_U8, enum safeline_hook, the line's hook
 *                             state as of the last tick (UNKNOWN when the
 *                             role is NONE)
 *    SAFELINE_CHANNEL_A_RX_EC_CHUNKS: NLA_U64, receive chunks (8 samples,
 *                                     1 ms) taken at the echo canceller's
 *                                     entry, before its pre-echo copy
 *    SAFELINE_CHANNEL_A_RX_CHUNKS: NLA_U64, receive chunks taken at
 *                                  _dahdi_receive() entry (no echo path ran
 *                                  for them in that tick)
 *    SAFELINE_CHANNEL_A_TX_CHUNKS: NLA_U64, transmit chunks taken after
 *                                  _dahdi_transmit() filled them
 *    SAFELINE_CHANNEL_A_PAD: alignment padding for the u64 attributes
 *
 * Counters start at 0 when safeline.ko first sees the channel (or sees a new
 * channel behind the same number). RX_EC_CHUNKS + RX_CHUNKS and TX_CHUNKS
 * both advance by one per span tick: a gap between them, or between either
 * and the elapsed time, is a missed chunk.
 *
 * Errors: EINVAL for any attribute in a dump request or a reply attribute in
 * a plain one, or a plain request without CHANNO (extack names it); ENODEV
 * when no live channel has that number.
 */

#ifndef _UAPI_LINUX_SAFELINE_H
#define _UAPI_LINUX_SAFELINE_H

#include <linux/types.h>

#define SAFELINE_GENL_NAME "safeline"
#define SAFELINE_GENL_VERSION 1

enum safeline_cmd {
	SAFELINE_CMD_UNSPEC,
	SAFELINE_CMD_GET_STATUS,
	SAFELINE_CMD_GET_CHANNEL,
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

/* Which direction of a channel carries caller ID toward where it must not go */
enum safeline_role {
	SAFELINE_ROLE_NONE,	/* not an analog loop channel (digital, CAS, unconfigured) */
	SAFELINE_ROLE_FXO_PORT,	/* FXS-signalled (fxsks/fxsls/fxsgs): receive direction */
	SAFELINE_ROLE_FXS_PORT,	/* FXO-signalled (fxoks/fxols/fxogs): transmit direction */
};

enum safeline_law {
	SAFELINE_LAW_UNKNOWN,
	SAFELINE_LAW_ULAW,
	SAFELINE_LAW_ALAW,
};

/* What the module does to a channel's caller-ID direction */
enum safeline_policy {
	SAFELINE_POLICY_PASS,		/* nothing */
	SAFELINE_POLICY_DETECT,		/* count spills, never mute */
	SAFELINE_POLICY_SUPPRESS,	/* mute detected spills (the default) */
	SAFELINE_POLICY_STRICT,		/* suppress, and mute FXO receive audio on-hook */
};

enum safeline_hook {
	SAFELINE_HOOK_UNKNOWN,
	SAFELINE_HOOK_ON,
	SAFELINE_HOOK_OFF,
};

enum safeline_channel_attr {
	SAFELINE_CHANNEL_A_UNSPEC,
	SAFELINE_CHANNEL_A_PAD,
	SAFELINE_CHANNEL_A_CHANNO,
	SAFELINE_CHANNEL_A_SPANNO,
	SAFELINE_CHANNEL_A_NAME,
	SAFELINE_CHANNEL_A_SIG,
	SAFELINE_CHANNEL_A_ROLE,
	SAFELINE_CHANNEL_A_LAW,
	SAFELINE_CHANNEL_A_POLICY,
	SAFELINE_CHANNEL_A_HOOK,
	SAFELINE_CHANNEL_A_RX_EC_CHUNKS,
	SAFELINE_CHANNEL_A_RX_CHUNKS,
	SAFELINE_CHANNEL_A_TX_CHUNKS,
	__SAFELINE_CHANNEL_A_LAST
};
#define SAFELINE_CHANNEL_A_MAX (__SAFELINE_CHANNEL_A_LAST - 1)

#endif /* _UAPI_LINUX_SAFELINE_H */
