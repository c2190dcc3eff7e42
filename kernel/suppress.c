// SPDX-License-Identifier: GPL-2.0
/*
 * The DSP core bound to one channel direction: restarts it when its mode or
 * law changes, tells it the hook state, counts what it found and muted.
 */

#include <linux/build_bug.h>
#include <linux/string.h>

#include "suppress.h"
#include "dsp/cid.h"

static struct safeline_cid *core_of(struct safeline_suppress *sup)
{
	BUILD_BUG_ON(sizeof(struct safeline_cid) > sizeof(sup->core));
	return (struct safeline_cid *)sup->core;
}

static enum safeline_cid_hook cid_hook(enum safeline_suppress_hook hook)
{
	switch (hook) {
	case SAFELINE_SUPPRESS_OFF_HOOK:
		return SAFELINE_HOOK_OFF;
	case SAFELINE_SUPPRESS_RINGING:
		return SAFELINE_HOOK_RINGING;
	default:
		return SAFELINE_HOOK_ON;
	}
}

static enum safeline_cid_mode cid_mode(enum safeline_suppress_mode mode)
{
	switch (mode) {
	case SAFELINE_SUPPRESS_MODE_DETECT:
		return SAFELINE_CID_DETECT;
	case SAFELINE_SUPPRESS_MODE_SUPPRESS:
		return SAFELINE_CID_SUPPRESS;
	case SAFELINE_SUPPRESS_MODE_STRICT:
		return SAFELINE_CID_STRICT;
	default:
		return SAFELINE_CID_PASS;
	}
}

/* Runs inside safeline_cid_rx(), in the tick: count starts, hand ends to the owner. */
static void on_event(void *user, const struct safeline_cid_event *ev)
{
	struct safeline_suppress *sup = user;
	unsigned int kind = ev->kind - SAFELINE_CID_KIND_FSK_SEIZURE;

	BUILD_BUG_ON(SAFELINE_CID_KIND_DTMF - SAFELINE_CID_KIND_FSK_SEIZURE !=
		     SAFELINE_SUPPRESS_DTMF);
	if (kind >= SAFELINE_SUPPRESS_KINDS)
		return;
	if (ev->type == SAFELINE_CID_SPILL_START)
		sup->spills[kind]++;
	else if (ev->type == SAFELINE_CID_SPILL_END && sup->spill_ended)
		sup->spill_ended(sup, kind, ev->duration_ms,
				 sup->mode != SAFELINE_SUPPRESS_MODE_DETECT);
}

/* Out of line: rare, and its parameter block would give the chunk path a stack frame. */
static noinline void start(struct safeline_suppress *sup, enum safeline_suppress_mode mode,
			   bool alaw, enum safeline_suppress_hook hook)
{
	struct safeline_cid_params p = {
		.law = alaw ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW,
		.mode = cid_mode(mode),
		.hook = cid_hook(hook),
		.report = on_event,
		.user = sup,
	};

	safeline_cid_init(core_of(sup), &p);
	sup->mode = mode;
	sup->alaw = alaw;
	sup->hook = hook;
}

static noinline void muted_chunk(struct safeline_suppress *sup, bool alaw, const u8 *chunk,
				 int len, u8 *mirror)
{
	if (mirror && mirror != chunk)
		memset(mirror, alaw ? SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE,
		       len);
	sup->muted_chunks++;
}

void safeline_suppress_reset(struct safeline_suppress *sup)
{
	WRITE_ONCE(sup->mode, SAFELINE_SUPPRESS_MODE_UNSET);
}

bool safeline_suppress_chunk(struct safeline_suppress *sup,
			     enum safeline_suppress_mode mode, bool alaw,
			     enum safeline_suppress_hook hook, u8 *chunk, int len,
			     u8 *mirror)
{
	struct safeline_cid *cid = core_of(sup);
	bool muted;

	if (unlikely(READ_ONCE(sup->mode) != mode || sup->alaw != alaw))
		start(sup, mode, alaw, hook);
	if (mode == SAFELINE_SUPPRESS_MODE_PASS)
		return false;
	if (unlikely(sup->hook != hook)) {
		safeline_cid_set_hook(cid, cid_hook(hook));
		sup->hook = hook;
	}
	/*
	 * A chunk muting at its start or its end had some of its samples
	 * muted (a spill is never shorter than a chunk); the mirror copy is
	 * silenced whole then, erring toward silence.
	 */
	muted = safeline_cid_muting(cid);
	safeline_cid_rx(cid, chunk, len);
	muted |= safeline_cid_muting(cid);
	if (likely(!muted))
		return false;
	muted_chunk(sup, alaw, chunk, len, mirror);
	return true;
}

bool safeline_suppress_muting(const struct safeline_suppress *sup)
{
	u8 mode = READ_ONCE(sup->mode);

	if (mode == SAFELINE_SUPPRESS_MODE_UNSET || mode == SAFELINE_SUPPRESS_MODE_PASS)
		return false;
	return safeline_cid_muting((const struct safeline_cid *)sup->core);
}
