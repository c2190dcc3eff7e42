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
 *    SAFELINE_STATUS_A_DEFAULT_POLICY: NLA_U8, enum safeline_policy that
 *                                      analog channels get when first seen
 *                                      (suppress, or strict with the module
 *                                      parameter strict=1, until
 *                                      SAFELINE_CMD_SET_POLICY changes it)
 *    SAFELINE_STATUS_A_EVENTS_SENT: NLA_U64, events queued for the
 *                                   multicast group "events" since load
 *    SAFELINE_STATUS_A_EVENTS_DROPPED: NLA_U64, events dropped since load
 *                                      because the queue was full
 *    SAFELINE_STATUS_A_VERIFY_HASHES: NLA_U32, own-number hashes loaded by
 *                                     SAFELINE_CMD_SET_VERIFY (0: none)
 *    SAFELINE_STATUS_A_HOOK_MISSES: NLA_U64, hits the data path's probes
 *                                   missed since load (the kprobes'
 *                                   nmissed): each a span tick, or one
 *                                   channel's echo-canceller chunk, whose
 *                                   audio went by unseen. 0 is the only
 *                                   good value
 *    SAFELINE_STATUS_A_CHUNKS_UNCOVERED: NLA_U64, chunks of channels
 *                                        numbered max_channels (module
 *                                        parameter) or above since load:
 *                                        those channels are under no policy
 *    SAFELINE_STATUS_A_PAD: alignment padding for the u64 attributes
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
 *    SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE,
 *    SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE,
 *    SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP,
 *    SAFELINE_CHANNEL_A_SPILLS_ALERT,
 *    SAFELINE_CHANNEL_A_SPILLS_DTMF: NLA_U64 each, caller-ID spills found in
 *                                    the role's direction, by what proved
 *                                    them: FSK channel seizure, FSK mark +
 *                                    message type, FSK mark + DLE (NTT), the
 *                                    2130+2750 Hz alert tone, a DTMF start
 *                                    symbol (counted under detect, suppress
 *                                    and strict; not under pass)
 *    SAFELINE_CHANNEL_A_MUTED_CHUNKS: NLA_U64, chunks of the role's direction
 *                                     muted in whole or in part (spills, and
 *                                     under strict the on-hook audio)
 *    SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED: NLA_U64, DTMF digit events
 *                                            from the card's own detector
 *                                            (DAHDI_EVENT_DTMFDOWN/UP) kept
 *                                            from userspace because the
 *                                            line was on-hook, ringing or
 *                                            in a spill
 *    SAFELINE_CHANNEL_A_VERIFY_WITHHELD,
 *    SAFELINE_CHANNEL_A_VERIFY_NOT_OURS,
 *    SAFELINE_CHANNEL_A_VERIFY_OURS: NLA_U64 each, spills a verify channel
 *                                    decoded, by enum safeline_verify_result
 *    SAFELINE_CHANNEL_A_PAD: alignment padding for the u64 attributes
 *
 * Counters start at 0 when safeline.ko first sees the channel (or sees a new
 * channel behind the same number), and again after SAFELINE_CMD_RESET_COUNTERS. RX_EC_CHUNKS + RX_CHUNKS and TX_CHUNKS
 * both advance by one per span tick: a gap between them, or between either
 * and the elapsed time, is a missed chunk.
 *
 * Errors: EINVAL for any attribute in a dump request or a reply attribute in
 * a plain one, or a plain request without CHANNO (extack names it); ENODEV
 * when no live channel has that number.
 *
 * SAFELINE_CMD_SET_POLICY
 * -----------------------
 *
 * Sets what the module does to analog channels' caller-ID direction: one
 * channel, a range of channels, or the default that channels get when first
 * seen (a new span, a channel renumbered or reconfigured by dahdi_cfg). The
 * change applies from the channel's next chunk (1 ms); a channel changing
 * policy starts its detector afresh. A plain request (doit); needs
 * CAP_NET_ADMIN (EPERM otherwise). It carries
 *
 *    SAFELINE_POLICY_A_POLICY: NLA_U8, enum safeline_policy, required
 *
 * and either
 *
 *    SAFELINE_POLICY_A_CHANNO: NLA_U32, the (first) DAHDI channel number
 *    SAFELINE_POLICY_A_CHANNO_LAST: NLA_U32, optional, the last channel of
 *                                   a range CHANNO..CHANNO_LAST (inclusive)
 *
 * or
 *
 *    SAFELINE_POLICY_A_DEFAULT: NLA_FLAG, set the default for new channels
 *                               (channels already seen keep theirs)
 *
 * A range sets every live analog channel in it and skips the others
 * (channels with role NONE always pass). The reply carries
 *
 *    SAFELINE_POLICY_A_COUNT: NLA_U32, how many channels were set (0 for
 *                             the default)
 *
 * Errors: EINVAL for a missing or unknown POLICY, DEFAULT together with
 * CHANNO, neither of them, CHANNO_LAST without CHANNO or below it, or a
 * reply attribute (extack names the attribute); ENOENT when no live channel
 * has that number or lies in that range; EOPNOTSUPP when the channel (or
 * every live one in the range) has role NONE; EPERM without CAP_NET_ADMIN.
 *
 * SAFELINE_CMD_RESET_COUNTERS
 * ---------------------------
 *
 * Sets the chunk, spill and muted counters of SAFELINE_CMD_GET_CHANNEL back
 * to 0 for one live channel, a range of them, or all of them; they advance
 * from 0 at the channel's next chunk. Nothing else about the channel (policy,
 * detector state) changes. A plain request (doit); needs CAP_NET_ADMIN
 * (EPERM otherwise). It carries either
 *
 *    SAFELINE_RESET_A_CHANNO: NLA_U32, the (first) DAHDI channel number
 *    SAFELINE_RESET_A_CHANNO_LAST: NLA_U32, optional, the last channel of a
 *                                  range CHANNO..CHANNO_LAST (inclusive)
 *
 * or
 *
 *    SAFELINE_RESET_A_ALL: NLA_FLAG, every live channel
 *
 * The reply carries
 *
 *    SAFELINE_RESET_A_COUNT: NLA_U32, how many channels were reset
 *
 * Errors: EINVAL for ALL together with CHANNO or CHANNO_LAST, none of
 * CHANNO and ALL, CHANNO_LAST without CHANNO or below it, or a reply
 * attribute (extack names the attribute); ENOENT when no live channel has
 * that number or lies in that range (or, with ALL, when there is none);
 * EPERM without CAP_NET_ADMIN.
 *
 * SAFELINE_CMD_SET_VERIFY
 * -----------------------
 *
 * Loads what channels under SAFELINE_POLICY_VERIFY compare caller ID with:
 * the agency's own numbers as keyed hashes, never the numbers themselves.
 * Write-only: nothing reads the key or the hashes back. A plain request
 * (doit); needs CAP_NET_ADMIN (EPERM otherwise). It carries
 *
 *    SAFELINE_VERIFY_A_KEY: NLA_BINARY, exactly SAFELINE_VERIFY_KEY_LEN
 *                           bytes, the SipHash-2-4 key, required
 *    SAFELINE_VERIFY_A_HASHES: NLA_BINARY, required, a multiple of 8 bytes:
 *                              up to SAFELINE_VERIFY_MAX_HASHES u64 values
 *                              in host byte order, SipHash-2-4 under KEY of
 *                              each own-number variant's ASCII digits
 *                              (docs/verify.md); empty clears the table
 *    SAFELINE_VERIFY_A_SUFFIX_DIGITS: NLA_U8, optional (default 0), also
 *                                     compare the last N digits of longer
 *                                     numbers; 0..SAFELINE_VERIFY_MAX_DIGITS
 *
 * The new table replaces the old one at once on every verify channel, whose
 * verifier starts afresh. The reply carries
 *
 *    SAFELINE_VERIFY_A_COUNT: NLA_U32, how many hashes are loaded now
 *
 * GET_STATUS reports the same count (SAFELINE_STATUS_A_VERIFY_HASHES).
 *
 * Errors: EINVAL for a missing KEY or HASHES, a KEY of the wrong length,
 * HASHES not a multiple of 8 bytes or longer than the maximum, SUFFIX_DIGITS
 * out of range, or COUNT in a request (extack names the attribute); EPERM
 * without CAP_NET_ADMIN.
 *
 * Multicast group SAFELINE_MCGRP_EVENTS ("events")
 * -------------------------------------------------
 *
 * Call events, one SAFELINE_CMD_EVENT message each, for every live analog
 * channel whose policy is not pass. Joining the group needs CAP_NET_ADMIN.
 * The data path queues events in atomic context into a bounded ring of
 * SAFELINE_EVENT_QUEUE_LEN; process context sends them. When the ring is
 * full, new events are dropped and counted: the next event delivered
 * carries DROPPED, and GET_STATUS reports the total. Each message carries:
 *
 *    SAFELINE_EVENT_A_TYPE: NLA_U8, enum safeline_event_type
 *    SAFELINE_EVENT_A_SEQ: NLA_U64, 1 for the module's first event, +1 for
 *                          each event queued or dropped since
 *    SAFELINE_EVENT_A_TIME_NS: NLA_U64, CLOCK_BOOTTIME when it happened
 *    SAFELINE_EVENT_A_CHANNO: NLA_U32, DAHDI channel number
 *    SAFELINE_EVENT_A_SPANNO: NLA_U32, DAHDI span number
 *    SAFELINE_EVENT_A_ROLE: NLA_U8, enum safeline_role of the channel
 *    SAFELINE_EVENT_A_POLICY: NLA_U8, enum safeline_policy when it happened
 *    SAFELINE_EVENT_A_DROPPED: NLA_U32, only when events were dropped since
 *                              the previous one queued: how many
 *
 * and, for SAFELINE_EVENT_SPILL (sent when the spill ends),
 *
 *    SAFELINE_EVENT_A_SPILL_KIND: NLA_U8, enum safeline_spill_kind, what
 *                                 proved it (the SPILLS_* counters' kinds)
 *    SAFELINE_EVENT_A_SPILL_MUTED: NLA_U8, 1 when it was muted, 0 when only
 *                                  detected (policy detect)
 *    SAFELINE_EVENT_A_DURATION_MS: NLA_U32, how long it was (or would have
 *                                  been) muted, hangover included
 *
 * and, for SAFELINE_EVENT_VERIFY (a verify channel decoded a spill),
 *
 *    SAFELINE_EVENT_A_VERIFY_RESULT: NLA_U8, enum safeline_verify_result
 *    SAFELINE_EVENT_A_VERIFY_STANDARD: NLA_U8, enum safeline_verify_standard
 *
 * No event carries a digit, a hash or anything derived from a number.
 */

#ifndef _UAPI_LINUX_SAFELINE_H
#define _UAPI_LINUX_SAFELINE_H

#include <linux/types.h>

#define SAFELINE_GENL_NAME "safeline"
#define SAFELINE_GENL_VERSION 1
#define SAFELINE_MCGRP_EVENTS "events"

/* Events the data path can hold before it drops (and counts) new ones */
#define SAFELINE_EVENT_QUEUE_LEN 1024
#define SAFELINE_VERIFY_KEY_LEN 16
#define SAFELINE_VERIFY_MAX_HASHES 16
#define SAFELINE_VERIFY_MAX_DIGITS 32

enum safeline_cmd {
	SAFELINE_CMD_UNSPEC,
	SAFELINE_CMD_GET_STATUS,
	SAFELINE_CMD_GET_CHANNEL,
	SAFELINE_CMD_SET_POLICY,
	SAFELINE_CMD_RESET_COUNTERS,
	SAFELINE_CMD_EVENT,		/* multicast to SAFELINE_MCGRP_EVENTS only */
	SAFELINE_CMD_SET_VERIFY,
	__SAFELINE_CMD_MAX
};
#define SAFELINE_CMD_MAX (__SAFELINE_CMD_MAX - 1)

enum safeline_status_attr {
	SAFELINE_STATUS_A_UNSPEC,
	SAFELINE_STATUS_A_VERSION,
	SAFELINE_STATUS_A_PROTOCOL,
	SAFELINE_STATUS_A_DAHDI_AUTO_ASSIGN,
	SAFELINE_STATUS_A_DEFAULT_POLICY,
	SAFELINE_STATUS_A_PAD,
	SAFELINE_STATUS_A_EVENTS_SENT,
	SAFELINE_STATUS_A_EVENTS_DROPPED,
	SAFELINE_STATUS_A_VERIFY_HASHES,
	SAFELINE_STATUS_A_HOOK_MISSES,
	SAFELINE_STATUS_A_CHUNKS_UNCOVERED,
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
	SAFELINE_POLICY_VERIFY,		/* suppress, and check the spill against our own numbers */
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
	SAFELINE_CHANNEL_A_SPILLS_FSK_SEIZURE,
	SAFELINE_CHANNEL_A_SPILLS_FSK_MESSAGE,
	SAFELINE_CHANNEL_A_SPILLS_FSK_JCLIP,
	SAFELINE_CHANNEL_A_SPILLS_ALERT,
	SAFELINE_CHANNEL_A_SPILLS_DTMF,
	SAFELINE_CHANNEL_A_MUTED_CHUNKS,
	SAFELINE_CHANNEL_A_DTMF_EVENTS_BLOCKED,
	SAFELINE_CHANNEL_A_VERIFY_WITHHELD,
	SAFELINE_CHANNEL_A_VERIFY_NOT_OURS,
	SAFELINE_CHANNEL_A_VERIFY_OURS,
	__SAFELINE_CHANNEL_A_LAST
};
#define SAFELINE_CHANNEL_A_MAX (__SAFELINE_CHANNEL_A_LAST - 1)

enum safeline_policy_attr {
	SAFELINE_POLICY_A_UNSPEC,
	SAFELINE_POLICY_A_CHANNO,
	SAFELINE_POLICY_A_CHANNO_LAST,
	SAFELINE_POLICY_A_DEFAULT,
	SAFELINE_POLICY_A_POLICY,
	SAFELINE_POLICY_A_COUNT,
	__SAFELINE_POLICY_A_LAST
};
#define SAFELINE_POLICY_A_MAX (__SAFELINE_POLICY_A_LAST - 1)

enum safeline_reset_attr {
	SAFELINE_RESET_A_UNSPEC,
	SAFELINE_RESET_A_CHANNO,
	SAFELINE_RESET_A_CHANNO_LAST,
	SAFELINE_RESET_A_ALL,
	SAFELINE_RESET_A_COUNT,
	__SAFELINE_RESET_A_LAST
};
#define SAFELINE_RESET_A_MAX (__SAFELINE_RESET_A_LAST - 1)

enum safeline_event_type {
	SAFELINE_EVENT_UNSPEC,
	SAFELINE_EVENT_RING_BEGIN,	/* ringing toward the PBX (FXO port) or the phone (FXS port) */
	SAFELINE_EVENT_RING_END,	/* a ring burst ended */
	SAFELINE_EVENT_POLARITY,	/* line polarity reversed (FXO port) */
	SAFELINE_EVENT_ANSWER,		/* off-hook: the PBX took the line, the phone was lifted */
	SAFELINE_EVENT_HANGUP,		/* back on-hook */
	SAFELINE_EVENT_SPILL,		/* a caller-ID spill ended */
	SAFELINE_EVENT_VERIFY,		/* a verify channel decoded a spill */
};

/* What proved a spill, as the SPILLS_* counters count it */
enum safeline_spill_kind {
	SAFELINE_SPILL_FSK_SEIZURE,
	SAFELINE_SPILL_FSK_MESSAGE,
	SAFELINE_SPILL_FSK_JCLIP,
	SAFELINE_SPILL_ALERT,
	SAFELINE_SPILL_DTMF,
};

enum safeline_verify_result {
	SAFELINE_VERIFY_RESULT_UNSPEC,
	SAFELINE_VERIFY_RESULT_WITHHELD,	/* no number presented: blocking works */
	SAFELINE_VERIFY_RESULT_NOT_OURS,	/* a number, none of ours */
	SAFELINE_VERIFY_RESULT_OURS,		/* one of our numbers: blocking failed */
};

enum safeline_verify_standard {
	SAFELINE_VERIFY_STANDARD_UNSPEC,
	SAFELINE_VERIFY_STANDARD_BELL202_SDMF,
	SAFELINE_VERIFY_STANDARD_BELL202_MDMF,
	SAFELINE_VERIFY_STANDARD_V23_SDMF,
	SAFELINE_VERIFY_STANDARD_V23_MDMF,
	SAFELINE_VERIFY_STANDARD_DTMF,
};

enum safeline_event_attr {
	SAFELINE_EVENT_A_UNSPEC,
	SAFELINE_EVENT_A_PAD,
	SAFELINE_EVENT_A_TYPE,
	SAFELINE_EVENT_A_SEQ,
	SAFELINE_EVENT_A_TIME_NS,
	SAFELINE_EVENT_A_CHANNO,
	SAFELINE_EVENT_A_SPANNO,
	SAFELINE_EVENT_A_ROLE,
	SAFELINE_EVENT_A_POLICY,
	SAFELINE_EVENT_A_DROPPED,
	SAFELINE_EVENT_A_SPILL_KIND,
	SAFELINE_EVENT_A_SPILL_MUTED,
	SAFELINE_EVENT_A_DURATION_MS,
	SAFELINE_EVENT_A_VERIFY_RESULT,
	SAFELINE_EVENT_A_VERIFY_STANDARD,
	__SAFELINE_EVENT_A_LAST
};
#define SAFELINE_EVENT_A_MAX (__SAFELINE_EVENT_A_LAST - 1)

enum safeline_verify_attr {
	SAFELINE_VERIFY_A_UNSPEC,
	SAFELINE_VERIFY_A_KEY,
	SAFELINE_VERIFY_A_HASHES,
	SAFELINE_VERIFY_A_SUFFIX_DIGITS,
	SAFELINE_VERIFY_A_COUNT,
	__SAFELINE_VERIFY_A_LAST
};
#define SAFELINE_VERIFY_A_MAX (__SAFELINE_VERIFY_A_LAST - 1)

#endif /* _UAPI_LINUX_SAFELINE_H */
