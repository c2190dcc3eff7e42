/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caller-ID detector and suppressor for one channel and direction: finds FSK
 * (Bell 202, V.23, NTT), DTMF CLIP and the dual alert tone in 8 kHz audio and
 * mutes it in place, from detection to the end of the spill plus a hangover.
 * Callers embed struct safeline_cid; nothing is allocated, no floating point,
 * bounded work per sample. Builds unchanged in safeline.ko and in userspace.
 */
#ifndef SAFELINE_DSP_CID_H
#define SAFELINE_DSP_CID_H

#include "types.h"
#include "g711.h"
#include "fsk.h"
#include "tones.h"

enum safeline_cid_mode {
	SAFELINE_CID_PASS = 0,		/* untouched, no analysis, no events */
	SAFELINE_CID_DETECT = 1,	/* report spills, never alter audio */
	SAFELINE_CID_SUPPRESS = 2,	/* mute detected spills */
	SAFELINE_CID_STRICT = 3,	/* suppress, and mute everything unless off-hook */
};

enum safeline_cid_hook {
	SAFELINE_HOOK_ON = 0,
	SAFELINE_HOOK_RINGING = 1,
	SAFELINE_HOOK_OFF = 2,
};

/* What proved the spill. */
enum safeline_cid_kind {
	SAFELINE_CID_KIND_NONE = 0,
	SAFELINE_CID_KIND_FSK_SEIZURE = 1,	/* 0101 channel seizure (on-hook FSK) */
	SAFELINE_CID_KIND_FSK_MESSAGE = 2,	/* mark + message type (no seizure, type II) */
	SAFELINE_CID_KIND_FSK_JCLIP = 3,	/* mark + DLE (NTT) */
	SAFELINE_CID_KIND_ALERT = 4,		/* 2130 + 2750 Hz (CAS, DT-AS, TAS) */
	SAFELINE_CID_KIND_DTMF = 5,		/* DTMF start symbol A/B/C/D */
};

enum safeline_cid_event_type {
	SAFELINE_CID_SPILL_START = 1,
	SAFELINE_CID_SPILL_END = 2,
};

struct safeline_cid_event {
	uint8_t type;		/* safeline_cid_event_type */
	uint8_t kind;		/* safeline_cid_kind that opened the spill */
	uint32_t duration_ms;	/* SPILL_END: muted (or would-be muted) time, hangover included */
	uint64_t sample;	/* samples since init at which it happened */
};

/* Called from safeline_cid_rx() (atomic context in the kernel: keep it short). */
typedef void (*safeline_cid_report_fn)(void *user, const struct safeline_cid_event *ev);

struct safeline_cid_params {
	enum safeline_law law;
	enum safeline_cid_mode mode;
	enum safeline_cid_hook hook;
	safeline_cid_report_fn report;	/* may be NULL */
	void *user;
};

/* Where a channel is in a spill. */
enum safeline_cid_spill {
	SAFELINE_SPILL_IDLE = 0,
	SAFELINE_SPILL_FSK,		/* FSK proven: mute while the carrier lasts */
	SAFELINE_SPILL_DTMF,		/* DTMF CLIP: mute while digits keep coming */
	SAFELINE_SPILL_ALERT,		/* alert tone heard: mute and wait for its FSK */
	SAFELINE_SPILL_HANGOVER,	/* spill over, still muting a little */
};

struct safeline_cid {
	struct safeline_fsk fsk;
	struct safeline_tones tones;
	safeline_cid_report_fn report;
	void *user;
	uint64_t pos;		/* samples since init */
	uint64_t spill_start;	/* sample the spill was proven at */
	int32_t level;		/* FSK band energy the spill runs at */
	int32_t energy;		/* FSK band energy now, smoothed */
	uint32_t left;		/* samples until the current spill state times out */
	uint32_t quiet;		/* samples without the spill's signal */
	uint8_t law;		/* safeline_law */
	uint8_t mode;		/* safeline_cid_mode */
	uint8_t hook;		/* safeline_cid_hook */
	uint8_t spill;		/* safeline_cid_spill */
	uint8_t kind;		/* safeline_cid_kind of the open spill */
	uint8_t dtmf_fsk;	/* FSK carrier proven inside the open DTMF spill */
	/*
	 * At the tracker's ticks: an FSK spill's dips (the last 16, a bit each); a
	 * DTMF spill's clean mark so far, then the dips of the FSK it found.
	 */
	uint16_t ticks;
};

void safeline_cid_init(struct safeline_cid *s, const struct safeline_cid_params *p);
void safeline_cid_set_mode(struct safeline_cid *s, enum safeline_cid_mode mode);
void safeline_cid_set_hook(struct safeline_cid *s, enum safeline_cid_hook hook);

/* Process G.711 bytes of the channel's law in place; any length. Returns len. */
int safeline_cid_rx(struct safeline_cid *s, uint8_t *buf, int len);
/* The same on 16-bit linear samples (muted samples become 0). Returns len. */
int safeline_cid_rx_linear(struct safeline_cid *s, int16_t *amp, int len);

/* Whether the channel is muting right now (spill or strict); inline: twice per chunk. */
static inline int safeline_cid_muting(const struct safeline_cid *s)
{
	if (s->mode == SAFELINE_CID_STRICT && s->hook != SAFELINE_HOOK_OFF)
		return 1;
	return s->mode >= SAFELINE_CID_SUPPRESS && s->spill != SAFELINE_SPILL_IDLE;
}

#endif
