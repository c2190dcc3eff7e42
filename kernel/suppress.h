/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One channel direction's caller-ID suppressor: the DSP core (dsp/cid.h)
 * behind an interface in the uapi header's terms (suppress.c).
 */
#ifndef _SAFELINE_SUPPRESS_H
#define _SAFELINE_SUPPRESS_H

#include <linux/compiler.h>
#include <linux/types.h>

/* What proved a spill, as counted per channel (the core's kinds, from 0) */
enum safeline_suppress_kind {
	SAFELINE_SUPPRESS_FSK_SEIZURE,
	SAFELINE_SUPPRESS_FSK_MESSAGE,
	SAFELINE_SUPPRESS_FSK_JCLIP,
	SAFELINE_SUPPRESS_ALERT,
	SAFELINE_SUPPRESS_DTMF,
	SAFELINE_SUPPRESS_KINDS
};

/*
 * The core's own state (struct safeline_cid, 256 bytes) is opaque here: its
 * enums share names with the uapi header's, so only suppress.c includes it,
 * and checks at build time that it fits.
 */
#define SAFELINE_SUPPRESS_CORE_SIZE 256

struct safeline_suppress;

/*
 * A spill ended, hangover included: what proved it, how long it was (or
 * would have been) muted, and whether it was muted (not in detect mode).
 * Called from safeline_suppress_chunk(), in the tick: atomic, keep it short.
 */
typedef void (*safeline_suppress_spill_fn)(struct safeline_suppress *sup,
					   enum safeline_suppress_kind kind,
					   u32 duration_ms, bool muted);

struct safeline_suppress {
	u64 core[SAFELINE_SUPPRESS_CORE_SIZE / sizeof(u64)];
	u64 spills[SAFELINE_SUPPRESS_KINDS];	/* spills proven, by kind */
	u64 muted_chunks;			/* chunks muted in whole or in part */
	u8 mode;	/* enum safeline_suppress_mode the core runs; UNSET: none yet */
	u8 alaw;	/* the law it runs with */
	u8 hook;	/* enum safeline_suppress_hook it was told last */
	safeline_suppress_spill_fn spill_ended;	/* set by the owner, may be NULL */
};

/* What the core does with the audio: the uapi policies, in suppress.c's terms */
enum safeline_suppress_mode {
	SAFELINE_SUPPRESS_MODE_PASS,		/* untouched, not analysed */
	SAFELINE_SUPPRESS_MODE_DETECT,		/* count spills, never mute */
	SAFELINE_SUPPRESS_MODE_SUPPRESS,	/* mute spills */
	SAFELINE_SUPPRESS_MODE_STRICT,		/* and everything unless off-hook */
	SAFELINE_SUPPRESS_MODE_UNSET = 0xff,
};

/* The line state the core is told (strict mode mutes all but OFF) */
enum safeline_suppress_hook {
	SAFELINE_SUPPRESS_ON_HOOK,
	SAFELINE_SUPPRESS_RINGING,
	SAFELINE_SUPPRESS_OFF_HOOK,
};

/* Forget the core's state: the next chunk starts it afresh. Counters stay. */
void safeline_suppress_reset(struct safeline_suppress *sup);

/*
 * One chunk of the channel's caller-ID direction, in place, in mode and law
 * (A-law or µ-law) with the line in hook state. A mode or law other than the
 * last chunk's restarts the core. When mirror is not NULL (a pre-echo copy of the same
 * audio), it is silenced wherever chunk was muted. Atomic context: no lock,
 * no allocation, bounded work. Returns true when the chunk was muted.
 */
bool safeline_suppress_chunk(struct safeline_suppress *sup,
			     enum safeline_suppress_mode mode, bool alaw,
			     enum safeline_suppress_hook hook, u8 *chunk, int len,
			     u8 *mirror);

/*
 * Whether the chunk can skip safeline_suppress_chunk(): the core already
 * took pass, where it looks at nothing. Inline: passing channels ask every tick.
 */
static inline bool safeline_suppress_passing(const struct safeline_suppress *sup,
					     enum safeline_suppress_mode mode)
{
	return mode == SAFELINE_SUPPRESS_MODE_PASS &&
	       READ_ONCE(sup->mode) == SAFELINE_SUPPRESS_MODE_PASS;
}

/* Whether the core is muting now (a spill, or strict off the hook); racy read, any context. */
bool safeline_suppress_muting(const struct safeline_suppress *sup);

#endif /* _SAFELINE_SUPPRESS_H */
