/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-channel state of the data path, found from a struct dahdi_chan in the
 * span tick (chan.c); hook.c feeds it one 8-sample chunk at a time.
 */
#ifndef _SAFELINE_CHAN_H
#define _SAFELINE_CHAN_H

#include <linux/types.h>

#include "suppress.h"
#include "verify.h"

struct dahdi_chan;

/* Where in DAHDI's tick a chunk was taken (hook.c's probes) */
enum safeline_tap {
	SAFELINE_TAP_EC,	/* __dahdi_ec_chunk() entry: rx and its pre-echo source */
	SAFELINE_TAP_EC_SPAN,	/* _dahdi_ec_span() entry, per channel with an echo canceller */
	SAFELINE_TAP_RX,	/* _dahdi_receive() entry */
	SAFELINE_TAP_TX,	/* _dahdi_transmit() exit */
};

/* A snapshot of one channel for netlink, copied under the slot's lock */
struct safeline_chan_info {
	u32 channo;
	u32 spanno;
	u32 sig;
	char name[40];
	u8 role;	/* enum safeline_role */
	u8 law;		/* enum safeline_law */
	u8 policy;	/* enum safeline_policy */
	u8 hook;	/* enum safeline_hook */
	u64 rx_ec_chunks;
	u64 rx_chunks;
	u64 tx_chunks;
	u64 spills[SAFELINE_SUPPRESS_KINDS];	/* by enum safeline_suppress_kind */
	u64 muted_chunks;
	u64 dtmf_blocked;	/* card DTMF events kept from userspace */
	u64 verify[SAFELINE_VERIFY_RESULTS];	/* call verdicts, by result - 1 */
};

/*
 * Every channel of span at tap (SAFELINE_TAP_EC_SPAN, _RX or _TX), in the
 * middle of its tick: readchunk or writechunk is the audio that goes on.
 * Atomic context, any CPU; allocates nothing, takes no lock but on the first
 * chunk of a channel it has not seen before.
 */
struct dahdi_span;
void safeline_chan_span(struct dahdi_span *span, enum safeline_tap tap);

/*
 * The receive chunk rx of chan at __dahdi_ec_chunk()'s entry (SAFELINE_TAP_EC),
 * preec the echo canceller's input when it differs. As safeline_chan_span().
 */
void safeline_chan_ec_chunk(struct dahdi_chan *chan, u8 *rx, u8 *preec);

/*
 * chan's driver reported a line polarity reversal (DAHDI_EVENT_POLARITY):
 * a POLARITY call event if it is an FXO port we know. Any context.
 */
void safeline_chan_polarity(struct dahdi_chan *chan);

/*
 * The live channel numbered *channo or, with next, the first one at or above
 * it; *channo is set to the one found. 0, or -ENODEV when there is none.
 */
int safeline_chan_get(u32 *channo, bool next, struct safeline_chan_info *info);

/*
 * Policy for the live analog channels first..last; *count = how many.
 * -ENOENT: no live channel there; -EOPNOTSUPP: none of them is analog
 * (for verify: none is an FXO port); -ENOMEM. Process context: verify
 * allocates the channels' verifiers, leaving it frees them.
 */
int safeline_chan_set_policy(u32 first, u32 last, u8 policy, u32 *count);
/*
 * Zero the counters of the live channels first..last; *count = how many.
 * -ENOENT: no live channel there.
 */
int safeline_chan_reset_counters(u32 first, u32 last, u32 *count);
/* Chunks of channels numbered max_channels or above since load: not covered. */
u64 safeline_chan_uncovered(void);
/* The policy analog channels get when first seen (bound or rebound). */
void safeline_chan_set_default_policy(u8 policy);
u8 safeline_chan_default_policy(void);

/*
 * Card DTMF events (qevent.c). hides_dtmf: chan's policy suppresses and its
 * line is on-hook, ringing, or muted in a spill. block_dtmf: whether a
 * DTMFDOWN (down) or DTMFUP event queued now must be kept from userspace;
 * counts it when so. Any context, no sleeping.
 */
bool safeline_chan_hides_dtmf(const struct dahdi_chan *chan);
bool safeline_chan_block_dtmf(const struct dahdi_chan *chan, bool down);

int safeline_chan_init(void);
void safeline_chan_uninit(void);

#endif /* _SAFELINE_CHAN_H */
