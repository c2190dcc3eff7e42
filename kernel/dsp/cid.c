// SPDX-License-Identifier: GPL-2.0
/*
 * The suppressor: runs the FSK and tone detectors on every sample, tracks the
 * spill each of them proves, mutes it and reports its start and end.
 */
#include "cid.h"

#define MS(ms) ((ms) * 8)	/* samples at 8 kHz */

/* Mute kept after a spill's signal ends: a late bit, the CO's trailing mark (GR-30: 50 ms). */
#define HANGOVER MS(40)
/* FSK spill over after 10 ms without clean carrier (datasheets: carrier loss ends FSK mode). */
#define FSK_LOST MS(10)
/* Longest FSK spill: 300 seizure + 180 mark bits + 258 bytes is 2.6 s (GR-30). */
#define FSK_MAX MS(4000)
/* After an alert: ACK within 165 ms, FSK within 500 ms more (TR-NWT-000575, EN 300 659-2). */
#define ALERT_WAIT MS(800)
/* Clean mark that turns an alert into an FSK spill: 20 ms, well inside any mark (>= 45 ms). */
#define ALERT_CARRIER MS(20)
/* DTMF spill over after 200 ms without a digit (gaps are 40-100 ms: Q.24, EN 300 659-1). */
#define DTMF_QUIET MS(200)
/* Longest DTMF spill: 20 digits plus symbols at 140 ms each is ~3.1 s. */
#define DTMF_MAX MS(5000)
/* Frames in a row that fail framing: the FSK is over even if the line stays loud. */
#define FSK_BAD_FRAMES 5
/* FSK carrier must stay within 9 dB of the spill's level: noise after a spill does not. */
#define FSK_LEVEL_SHIFT 3

void safeline_cid_init(struct safeline_cid *s, const struct safeline_cid_params *p)
{
	*s = (struct safeline_cid){
		.report = p->report,
		.user = p->user,
		.law = p->law,
		.mode = p->mode,
		.hook = p->hook,
	};
	safeline_fsk_init(&s->fsk);
	safeline_tones_init(&s->tones);
}

void safeline_cid_set_mode(struct safeline_cid *s, enum safeline_cid_mode mode)
{
	s->mode = mode;
}

void safeline_cid_set_hook(struct safeline_cid *s, enum safeline_cid_hook hook)
{
	s->hook = hook;
}

int safeline_cid_muting(const struct safeline_cid *s)
{
	if (s->mode == SAFELINE_CID_STRICT && s->hook != SAFELINE_HOOK_OFF)
		return 1;
	return s->mode >= SAFELINE_CID_SUPPRESS && s->spill != SAFELINE_SPILL_IDLE;
}

static void cid_report(struct safeline_cid *s, uint8_t type)
{
	struct safeline_cid_event ev = {
		.type = type,
		.kind = s->kind,
		.sample = s->pos,
	};

	if (type == SAFELINE_CID_SPILL_END)
		ev.duration_ms = (uint32_t)((s->pos - s->spill_start) >> 3);
	if (s->report)
		s->report(s->user, &ev);
}

/* Enter a spill state; a new spill (not one resumed from hangover) is reported. */
static void cid_enter(struct safeline_cid *s, uint8_t spill, uint8_t kind, uint32_t left)
{
	if (s->spill == SAFELINE_SPILL_IDLE) {
		s->kind = kind;
		s->spill_start = s->pos;
		cid_report(s, SAFELINE_CID_SPILL_START);
	}
	s->spill = spill;
	s->left = left;
	s->quiet = 0;
	s->dtmf_fsk = 0;
	s->tones.spill = spill == SAFELINE_SPILL_DTMF;
	if (spill == SAFELINE_SPILL_FSK) {
		s->level = s->energy = s->fsk.fr.se;
		s->fsk.bad_frames = 0;
	}
}

static void cid_fsk_proven(struct safeline_cid *s, int trigger)
{
	static const uint8_t kind[] = {
		[SAFELINE_FSK_SEIZURE] = SAFELINE_CID_KIND_FSK_SEIZURE,
		[SAFELINE_FSK_MESSAGE] = SAFELINE_CID_KIND_FSK_MESSAGE,
		[SAFELINE_FSK_JCLIP] = SAFELINE_CID_KIND_FSK_JCLIP,
	};

	if (s->spill != SAFELINE_SPILL_FSK)
		cid_enter(s, SAFELINE_SPILL_FSK, kind[trigger], FSK_MAX);
}

/*
 * FSK carrier: band energy, smoothed over ~2 ms, within 9 dB of the spill's
 * level, and frames that still frame. FSK has a constant envelope; the
 * silence, noise or ring after a spill does not reach it, speech does not frame.
 */
static int cid_fsk_carrier(struct safeline_cid *s)
{
	s->energy += (s->fsk.fr.se - s->energy) >> 4;
	if (s->fsk.bad_frames >= FSK_BAD_FRAMES)
		return 0;
	if (s->energy < (s->level >> FSK_LEVEL_SHIFT))
		return 0;
	/* follow the level slowly, so one loud burst does not end the spill */
	s->level += (s->energy - s->level) >> 8;
	return 1;
}

static void cid_fsk_track(struct safeline_cid *s)
{
	if (s->fsk.bad_frames >= FSK_BAD_FRAMES) {
		/* noise or speech as loud as the spill: no FSK framing any more */
		s->fsk.bad_frames = 0;
		cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
	} else if (cid_fsk_carrier(s)) {
		s->quiet = 0;
	} else if (++s->quiet >= FSK_LOST) {
		cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
	}
}

static void cid_idle(struct safeline_cid *s, int trigger, int tones)
{
	if (trigger)
		cid_fsk_proven(s, trigger);
	else if (tones & SAFELINE_TONES_ALERT)
		cid_enter(s, SAFELINE_SPILL_ALERT, SAFELINE_CID_KIND_ALERT, ALERT_WAIT);
	else if (tones & SAFELINE_TONES_DTMF_START)
		cid_enter(s, SAFELINE_SPILL_DTMF, SAFELINE_CID_KIND_DTMF, DTMF_MAX);
}

/* The spill state machine, once a spill is open. */
static void cid_spill(struct safeline_cid *s, int trigger, int tones)
{
	if (trigger && s->spill != SAFELINE_SPILL_DTMF) {
		cid_fsk_proven(s, trigger);
		return;
	}
	/* a new spill's alert or DTMF start takes over from the tail of the last one */
	if ((tones & SAFELINE_TONES_ALERT) && s->spill != SAFELINE_SPILL_ALERT)
		cid_enter(s, SAFELINE_SPILL_ALERT, s->kind, ALERT_WAIT);
	else if ((tones & SAFELINE_TONES_DTMF_START) && s->spill != SAFELINE_SPILL_DTMF)
		cid_enter(s, SAFELINE_SPILL_DTMF, s->kind, DTMF_MAX);
	switch (s->spill) {
	case SAFELINE_SPILL_FSK:
		cid_fsk_track(s);
		break;
	case SAFELINE_SPILL_ALERT:
		/* the FSK that follows an alert needs no further proof */
		if (safeline_fsk_clean(&s->fsk) && s->fsk.fr.sq < 0 && !s->tones.alert_blocks) {
			if (++s->quiet >= ALERT_CARRIER)
				cid_enter(s, SAFELINE_SPILL_FSK, s->kind, FSK_MAX);
		} else {
			s->quiet = 0;
		}
		break;
	case SAFELINE_SPILL_DTMF:
		/*
		 * DTMF digits can pose as FSK structure, so FSK proven inside a DTMF
		 * spill does not end it: it only keeps it open while the carrier lasts
		 * (an FSK spill may follow the digits closely, KPN DTMF+FSK).
		 */
		if (trigger) {
			s->dtmf_fsk = 1;
			s->level = s->energy = s->fsk.fr.se;
			s->fsk.bad_frames = 0;
			if (s->left < FSK_MAX)
				s->left = FSK_MAX;
		}
		if ((tones & SAFELINE_TONES_DTMF) || (s->dtmf_fsk && cid_fsk_carrier(s)))
			s->quiet = 0;
		else if (++s->quiet >= DTMF_QUIET)
			cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
		break;
	case SAFELINE_SPILL_HANGOVER:
		break;
	}
	if (s->spill != SAFELINE_SPILL_IDLE && --s->left == 0) {
		if (s->spill == SAFELINE_SPILL_HANGOVER) {
			cid_report(s, SAFELINE_CID_SPILL_END);
			s->spill = SAFELINE_SPILL_IDLE;
			s->tones.spill = 0;
		} else {
			cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
		}
	}
}

/* One 13-bit sample through every detector and the state machine; returns whether to mute it. */
static inline __attribute__((always_inline)) int cid_sample(struct safeline_cid *s, int32_t x)
{
	int trigger = safeline_fsk_step(&s->fsk, x);
	int tones = safeline_tones_step(&s->tones, x);

	if (s->spill == SAFELINE_SPILL_IDLE) {
		if (trigger | tones)
			cid_idle(s, trigger, tones);
	} else {
		cid_spill(s, trigger, tones);
	}
	s->pos++;
	return safeline_cid_muting(s);
}

/* One input sample as 13-bit linear: G.711 through table, or 16-bit when table is NULL. */
#define CID_SAMPLE(g711, table, amp, i) (((table) ? (table)[(g711)[i]] : (amp)[i]) >> 3)

/*
 * The common case, no spill open and no tone suspected, with the detectors'
 * per-sample state in registers (the same arithmetic as cid_sample()). Stops
 * after a sample the state machine must see (a trigger, a tone result, or
 * extra Goertzel bins armed) or the first one the FSK may sleep through
 * (then cid_doze() takes over). Returns the samples consumed.
 */
static inline __attribute__((always_inline)) int
cid_scan(struct safeline_cid *s, const uint8_t *g711, const int16_t *table,
			   const int16_t *amp, int len, int *trigger, int *tones)
{
	struct safeline_fsk *f = &s->fsk;
	struct safeline_fsk_front *fr = &f->fr;
	struct safeline_tones *t = &s->tones;
	/* 64-bit locals save sign extensions; Goertzel sums of 96 samples never leave 32 bits */
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = (uint32_t)t->energy;	/* a block of 13-bit samples: < 96 * 4096^2 < 2^31 */
	uint32_t quiet = f->quiet;
	int i = 0, end, trig = 0, res = 0, asleep = 0;

	while (i < len) {
		/* run to the end of the input or of the Goertzel block, whichever is first */
		end = i + (int)(SAFELINE_TONES_BLOCK - t->pos);
		if (end > len)
			end = len;
		t->pos += (uint32_t)(end - i);
		for (; i < end; i++) {
			int32_t v = CID_SAMPLE(g711, table, amp, i);

			c = v + ((SAFELINE_COEF_1633 * c1) >> 14) - c2;
			h = v + ((SAFELINE_COEF_2750 * h1) >> 14) - h2;
			c2 = c1;
			c1 = c;
			h2 = h1;
			h1 = h;
			energy += (uint32_t)(v * v);
			if (safeline_fsk_may_sleep(&quiet, v, f->bitno)) {
				f->ring[0] = (int8_t)v;
				asleep = 1;
			} else {
				safeline_fsk_front(fr, v);
				if (!f->bitno) {
					safeline_fsk_uart(f, fr->sq, fr->se);
					continue;
				}
				trig = safeline_fsk_uart(f, fr->sq, fr->se);
				if (!trig)
					continue;
			}
			t->pos -= (uint32_t)(end - i - 1);
			end = ++i;
			break;
		}
		if (t->pos == SAFELINE_TONES_BLOCK) {
			t->s1[SAFELINE_BIN_1633] = (int32_t)c1;
			t->s2[SAFELINE_BIN_1633] = (int32_t)c2;
			t->s1[SAFELINE_BIN_2750] = (int32_t)h1;
			t->s2[SAFELINE_BIN_2750] = (int32_t)h2;
			t->energy = energy;
			res = safeline_tones_block(t);
			c1 = c2 = h1 = h2 = 0;
			energy = 0;
			if (res || t->bins != SAFELINE_BIN_ALWAYS)
				break;
		}
		if (trig | asleep)
			break;
	}
	f->quiet = (uint8_t)quiet;
	f->slept = (uint8_t)asleep;
	t->s1[SAFELINE_BIN_1633] = (int32_t)c1;
	t->s2[SAFELINE_BIN_1633] = (int32_t)c2;
	t->s1[SAFELINE_BIN_2750] = (int32_t)h1;
	t->s2[SAFELINE_BIN_2750] = (int32_t)h2;
	t->energy = energy;
	*trigger = trig;
	*tones = res;
	return i;
}

/*
 * A quiet idle line: only the two always-on Goertzel bins and the block
 * energy run; the FSK front end sleeps (fsk.h) and its input goes to the
 * ring. Stops before the first sample too loud to sleep through (not
 * consumed), or after a block with a tone result or extra bins armed.
 * s->fsk.fr is stale until safeline_fsk_wake(). Returns the samples consumed.
 */
static inline __attribute__((always_inline)) int
cid_doze(struct safeline_cid *s, const uint8_t *g711, const int16_t *table,
	 const int16_t *amp, int len, int *tones)
{
	struct safeline_fsk *f = &s->fsk;
	struct safeline_tones *t = &s->tones;
	/* 64-bit locals save sign extensions; Goertzel sums of 96 samples never leave 32 bits */
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = 0;	/* quiet samples: at most 96 * 36 per block */
	uint32_t slept = f->slept;
	int i = 0, start, end, res = 0;

	while (i < len) {
		end = i + (int)(SAFELINE_TONES_BLOCK - t->pos);
		if (end > len)
			end = len;
		start = i;
		/* pairs: the Goertzel history renames itself, no moves */
		for (; i + 1 < end; i += 2) {
			int32_t v0 = CID_SAMPLE(g711, table, amp, i);
			int32_t v1 = CID_SAMPLE(g711, table, amp, i + 1);

			if (!safeline_fsk_quiet(v0) || !safeline_fsk_quiet(v1))
				break;
			f->ring[slept & (SAFELINE_FSK_RING - 1)] = (int8_t)v0;
			f->ring[(slept + 1) & (SAFELINE_FSK_RING - 1)] = (int8_t)v1;
			slept += 2;
			c2 = v0 + ((SAFELINE_COEF_1633 * c1) >> 14) - c2;
			c1 = v1 + ((SAFELINE_COEF_1633 * c2) >> 14) - c1;
			h2 = v0 + ((SAFELINE_COEF_2750 * h1) >> 14) - h2;
			h1 = v1 + ((SAFELINE_COEF_2750 * h2) >> 14) - h1;
			energy += (uint32_t)(v0 * v0 + v1 * v1);
		}
		for (; i < end; i++) {
			int32_t v = CID_SAMPLE(g711, table, amp, i);

			if (!safeline_fsk_quiet(v))
				break;
			f->ring[slept++ & (SAFELINE_FSK_RING - 1)] = (int8_t)v;
			c = v + ((SAFELINE_COEF_1633 * c1) >> 14) - c2;
			h = v + ((SAFELINE_COEF_2750 * h1) >> 14) - h2;
			c2 = c1;
			c1 = c;
			h2 = h1;
			h1 = h;
			energy += (uint32_t)(v * v);
		}
		t->pos += (uint32_t)(i - start);
		t->s1[SAFELINE_BIN_1633] = (int32_t)c1;
		t->s2[SAFELINE_BIN_1633] = (int32_t)c2;
		t->s1[SAFELINE_BIN_2750] = (int32_t)h1;
		t->s2[SAFELINE_BIN_2750] = (int32_t)h2;
		t->energy += energy;
		energy = 0;
		if (i < end || t->pos != SAFELINE_TONES_BLOCK)
			break;
		res = safeline_tones_block(t);
		c1 = c2 = h1 = h2 = 0;
		if (res || t->bins != SAFELINE_BIN_ALWAYS)
			break;
	}
	f->slept = safeline_fsk_slept_clamp(slept);
	*tones = res;
	return i;
}

/*
 * Runs samples through the detectors and the state machine; returns a mask
 * of those to mute (len <= 64). Idle stretches go through cid_scan() or,
 * while quiet, cid_doze(); the rest sample by sample.
 */
static inline __attribute__((always_inline)) uint64_t
cid_run(struct safeline_cid *s, const uint8_t *g711, const int16_t *table,
			       const int16_t *amp, int len)
{
	uint64_t strict = s->mode == SAFELINE_CID_STRICT && s->hook != SAFELINE_HOOK_OFF;
	uint64_t mute = 0;
	int i = 0, n, trigger, tones;

	while (i < len) {
		if (s->spill != SAFELINE_SPILL_IDLE || s->tones.bins != SAFELINE_BIN_ALWAYS) {
			int32_t v = CID_SAMPLE(g711, table, amp, i);

			mute |= (uint64_t)cid_sample(s, v) << i;
			i++;
			continue;
		}
		if (s->fsk.slept) {
			n = cid_doze(s, g711 ? g711 + i : NULL, table, amp ? amp + i : NULL, len - i,
				     &tones);
			trigger = 0;
			if (!n) {
				/* a louder sample next: the front end catches up and runs on it */
				safeline_fsk_wake(&s->fsk, &s->fsk.fr, s->fsk.slept);
				s->fsk.slept = 0;
				s->fsk.quiet = 0;
				continue;
			}
		} else {
			n = cid_scan(s, g711 ? g711 + i : NULL, table, amp ? amp + i : NULL, len - i,
				     &trigger, &tones);
		}
		if (strict)
			mute |= (~0ULL >> (64 - n)) << i;
		i += n;
		s->pos += (uint64_t)n - 1;	/* events carry the position of the sample that caused them */
		if (trigger | tones) {
			cid_idle(s, trigger, tones);
			mute |= (uint64_t)safeline_cid_muting(s) << (i - 1);
		}
		s->pos++;
	}
	return s->mode == SAFELINE_CID_DETECT ? 0 : mute;
}

#define CID_SLICE 64

int safeline_cid_rx(struct safeline_cid *s, uint8_t *buf, int len)
{
	const int16_t *table = s->law == SAFELINE_LAW_ALAW ?
		safeline_g711_alaw_to_linear : safeline_g711_ulaw_to_linear;
	uint8_t silence = s->law == SAFELINE_LAW_ALAW ?
		SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
	uint64_t mute;
	int at, i, n;

	if (s->mode == SAFELINE_CID_PASS)
		return len;
	for (at = 0; at < len; at += n) {
		n = len - at < CID_SLICE ? len - at : CID_SLICE;
		mute = cid_run(s, buf + at, table, NULL, n);
		for (i = 0; mute; i++, mute >>= 1)
			if (mute & 1)
				buf[at + i] = silence;
	}
	return len;
}

int safeline_cid_rx_linear(struct safeline_cid *s, int16_t *amp, int len)
{
	uint64_t mute;
	int at, i, n;

	if (s->mode == SAFELINE_CID_PASS)
		return len;
	for (at = 0; at < len; at += n) {
		n = len - at < CID_SLICE ? len - at : CID_SLICE;
		mute = cid_run(s, NULL, NULL, amp + at, n);
		for (i = 0; mute; i++, mute >>= 1)
			if (mute & 1)
				amp[at + i] = 0;
	}
	return len;
}
