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
/*
 * FSK has a flat envelope: the 4-sample band energy at a tracker tick stays
 * within ~2.3:1 of its 2 ms average (mark against space, the box's ripple;
 * noise at 15 dB SNR adds little). Noise and speech fall under a quarter of it
 * at about one tick in ten, silence at once: 3 such dips among the last 16
 * ticks (8 ms) end an FSK spill, whatever the level of what follows.
 */
#define FSK_DIP_SHIFT 2
#define FSK_DIPS_MAX 3
/* The mark that an alert or DTMF spill waits for is read at every 8th sample: 20 looks. */
#define MARK_TICK 8
/* FSK carrier must stay within 9 dB of the spill's level: noise after a spill does not. */
#define FSK_LEVEL_SHIFT 3
/*
 * The carrier tracker runs on every 4th sample: band energy is a 4-sample
 * box, so it still sees every sample once. Smoothing ~2 ms (1/4 a tick), the
 * spill's level followed over ~64 ms (1/64 a tick).
 */
#define FSK_TICK 4
#define FSK_ENERGY_SHIFT 2
#define FSK_FOLLOW_SHIFT 6

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
	if (s->spill != SAFELINE_SPILL_IDLE && s->spill != SAFELINE_SPILL_HANGOVER &&
	    spill != s->spill)
		safeline_fsk_restart(&s->fsk);	/* open spills run without the UART */
	s->spill = spill;
	s->left = left;
	s->quiet = 0;
	s->dtmf_fsk = 0;
	s->ticks = 0;
	s->tones.spill = spill == SAFELINE_SPILL_DTMF;
	if (spill == SAFELINE_SPILL_FSK) {
		s->level = s->energy = s->fsk.fr.se;
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
static inline __attribute__((always_inline)) void
cid_spill(struct safeline_cid *s, int trigger, int tones)
{
	if (trigger && s->spill != SAFELINE_SPILL_DTMF) {
		cid_fsk_proven(s, trigger);
		return;
	}
	/*
	 * A new spill's alert or DTMF start takes over from the tail of the last
	 * one (not an FSK spill's: no tones run there). The open spills' own work
	 * is their run functions' (cid_open_run()); here only a hangover counts.
	 */
	if ((tones & SAFELINE_TONES_ALERT) && s->spill != SAFELINE_SPILL_ALERT)
		cid_enter(s, SAFELINE_SPILL_ALERT, s->kind, ALERT_WAIT);
	else if ((tones & SAFELINE_TONES_DTMF_START) && s->spill != SAFELINE_SPILL_DTMF)
		cid_enter(s, SAFELINE_SPILL_DTMF, s->kind, DTMF_MAX);
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

/*
 * One sample through the state machine, with the FSK and tone detectors'
 * results for it; returns whether to mute it.
 */
static inline __attribute__((always_inline)) int cid_sample(struct safeline_cid *s, int trigger,
							    int tones)
{

	if (s->spill == SAFELINE_SPILL_IDLE) {
		if (trigger | tones)
			cid_idle(s, trigger, tones);
	} else {
		cid_spill(s, trigger, tones);
	}
	s->pos++;
	return safeline_cid_muting(s);
}

/* The always-on pair's Goertzel state and the block energy, back from the locals. */
static inline void cid_pair_store(struct safeline_tones *t, int64_t c1, int64_t c2, int64_t h1,
				  int64_t h2, uint32_t energy)
{
	t->s1[SAFELINE_BIN_1633] = (int32_t)c1;
	t->s2[SAFELINE_BIN_1633] = (int32_t)c2;
	t->s1[SAFELINE_BIN_2750] = (int32_t)h1;
	t->s2[SAFELINE_BIN_2750] = (int32_t)h2;
	t->energy = energy;
}

/*
 * The two always-on Goertzel bins and the block energy over n samples of the
 * current block; pairs, so the Goertzel history renames itself (no moves).
 */
static inline __attribute__((always_inline)) void
cid_goertzel_full(struct safeline_tones *t, const int16_t *x, int n)
{
	/* 64-bit locals save sign extensions; Goertzel sums of 96 samples never leave 32 bits */
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = t->energy;	/* a block of 13-bit samples: < 96 * 4096^2 < 2^31 */
	int i = 0;

#define CID_GOERTZEL_PAIR(i) do {						\
		int32_t v0 = x[i], v1 = x[(i) + 1];				\
										\
		c2 = v0 + ((SAFELINE_COEF_1633 * c1) >> 14) - c2;		\
		c1 = v1 + ((SAFELINE_COEF_1633 * c2) >> 14) - c1;		\
		h2 = v0 + ((SAFELINE_COEF_2750 * h1) >> 14) - h2;		\
		h1 = v1 + ((SAFELINE_COEF_2750 * h2) >> 14) - h1;		\
		energy += (uint32_t)(v0 * v0 + v1 * v1);			\
	} while (0)
	if (n == 8) {
		/* DAHDI's chunk, unrolled */
		CID_GOERTZEL_PAIR(0);
		CID_GOERTZEL_PAIR(2);
		CID_GOERTZEL_PAIR(4);
		CID_GOERTZEL_PAIR(6);
		i = 8;
	}
	for (; i + 1 < n; i += 2)
		CID_GOERTZEL_PAIR(i);
#undef CID_GOERTZEL_PAIR
	if (i < n) {
		int32_t v = x[i];

		c = v + ((SAFELINE_COEF_1633 * c1) >> 14) - c2;
		h = v + ((SAFELINE_COEF_2750 * h1) >> 14) - h2;
		c2 = c1;
		c1 = c;
		h2 = h1;
		h1 = h;
		energy += (uint32_t)(v * v);
	}
	cid_pair_store(t, c1, c2, h1, h2, energy);
	t->pos += (uint32_t)n;
}

/*
 * One even sample v through the arming cue (the 1633 and 2750 Hz bins at
 * 4 kHz, c and h, and the block energy), in the caller's locals c1, c2, h1,
 * h2, c, h and energy.
 */
#define CID_CUE_STEP(v) do {							\
		c = (v) + ((SAFELINE_CUE_1633 * c1) >> 14) - c2;		\
		h = (v) + ((SAFELINE_CUE_2750 * h1) >> 14) - h2;		\
		c2 = c1;							\
		c1 = c;								\
		h2 = h1;							\
		h1 = h;								\
		energy += (uint32_t)(2 * (v) * (v));				\
	} while (0)

/*
 * The arming cue (tones.h): the 1633 and 2750 Hz bins and the block energy
 * on the block's even samples only (2750 Hz aliases to 1250 Hz there).
 */
static inline __attribute__((always_inline)) void
cid_goertzel_cue(struct safeline_tones *t, const int16_t *x, int n)
{
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = t->energy;
	int i = 0;

#define CID_CUE_PAIR(i) do {							\
		int32_t v0 = x[i];						\
										\
		CID_CUE_STEP(v0);						\
	} while (0)
	/* an odd sample of the block: nothing (the cue's energy is that of the even ones) */
	i = n > 0 && (t->pos & 1);
	if (n - i == 8) {
		/* DAHDI's chunk, unrolled */
		CID_CUE_PAIR(i);
		CID_CUE_PAIR(i + 2);
		CID_CUE_PAIR(i + 4);
		CID_CUE_PAIR(i + 6);
		i += 8;
	}
	for (; i + 1 < n; i += 2)
		CID_CUE_PAIR(i);
#undef CID_CUE_PAIR
	if (i < n) {
		int32_t v = x[i];

		CID_CUE_STEP(v);
	}
	cid_pair_store(t, c1, c2, h1, h2, energy);
	t->pos += (uint32_t)n;
}

/*
 * The always-on bins: the cue while nothing is armed, else at full rate; only
 * the block position when the cue already ran with the conversion (cued).
 */
static inline __attribute__((always_inline)) void
cid_goertzel(struct safeline_tones *t, const int16_t *x, int n, int cued)
{
	if (cued)
		t->pos += (uint32_t)n;
	else if (t->bins == SAFELINE_BIN_ALWAYS)
		cid_goertzel_cue(t, x, n);
	else if (t->bins == SAFELINE_BIN_COUNT)
		safeline_tones_spill(t, x, n);	/* a DTMF spill: all bins at half rate */
	else
		cid_goertzel_full(t, x, n);
}

/*
 * Whether the arming cue may skip the quiet samples a sleeping line brings:
 * nothing louder came in this block yet (its even samples' energy is 0), so
 * they count as silence. A block of quiet samples (|x| <= 6, about -62 dBm0)
 * holds no tone: the floor is -50 dBm0.
 */
static inline int cid_cue_quiet(const struct safeline_tones *t)
{
	return !t->energy && t->bins == SAFELINE_BIN_ALWAYS;
}

/*
 * Quiet samples in a row ending at x[last], counting back to x[from] and
 * then the count held before x[from] (q0); capped like safeline_fsk_may_sleep().
 */
static inline uint32_t cid_quiet_run(const int16_t *x, int from, int last, uint32_t q0)
{
	uint32_t n = 0;

	for (; last >= from; last--) {
		if (!safeline_fsk_quiet(x[last]))
			return n;
		if (++n >= SAFELINE_FSK_QUIET_RUN)
			return SAFELINE_FSK_QUIET_RUN;
	}
	n += q0;
	return n < SAFELINE_FSK_QUIET_RUN ? n : SAFELINE_FSK_QUIET_RUN;
}

/*
 * The FSK side of an idle line, samples x[i..end): inside a frame the UART
 * only looks at bit centres, so the front end is skipped up to the next one
 * and the soft bit computed there from the inputs (safeline_fsk_centre());
 * between frames it runs on every sample, looking for a start edge. Stops
 * after a trigger or the first sample the FSK may sleep through. Returns the
 * index after the last sample consumed. Bit-exact with safeline_fsk_step().
 */
static inline __attribute__((always_inline)) int
cid_fsk_scan(struct safeline_fsk *f, const int16_t *x, int i, int end, int *trigger, int *asleep)
{
	struct safeline_fsk_front *fr = &f->fr;
	uint32_t quiet = f->quiet;

	while (i < end) {
		if (f->bitno) {
			/* samples to the next bit centre, the centre included */
			int k, trig, span = 3 * (end - i);
			int32_t sq, se;

			if (f->doomed && f->bitno <= 9) {
				/* nothing left to prove: on to the stop bit */
				f->phase += SAFELINE_FSK_BIT_THIRDS * (10 - f->bitno);
				f->bitno = 10;
			}
			if (f->phase > span) {
				/* no bit centre before end */
				f->phase -= span;
				f->skipped = 1;
				i = end;
				break;
			}
			k = (f->phase + 2) / 3;
			i += k - 1;
			f->phase += SAFELINE_FSK_BIT_THIRDS - 3 * k;
			sq = se = 0;
			trig = 0;
			if (f->doomed) {
				/* its stop bit: nothing reads it */
				safeline_fsk_drop(f);
			} else {
				safeline_fsk_centre(x + i, &sq, &se);
				trig = safeline_fsk_frame(f, sq, se);
			}
			if (f->bitno && !trig) {
				f->skipped = 1;
				i++;
				continue;
			}
			/*
			 * back to the idle search, or the state machine reads fr: make it
			 * fresh; the quiet run ending here lies inside the frame (x[-8..]
			 * are the last inputs, so the look-back never leaves the array)
			 */
			quiet = cid_quiet_run(x, i - (SAFELINE_FSK_QUIET_RUN - 1), i, 0);
			safeline_fsk_rebuild(fr, x + i);
			fr->sq = sq;
			fr->se = se;
			f->skipped = 0;
			i++;
			if (trig) {
				*trigger = trig;
				break;
			}
			continue;
		}
		if (safeline_fsk_may_sleep(&quiet, x[i], 0)) {
			*asleep = 1;
			i++;
			break;
		}
		safeline_fsk_front(fr, x[i]);
		safeline_fsk_uart(f, fr->sq, fr->se);	/* idle: finds edges and marks, never a trigger */
		i++;
	}
	f->quiet = (uint8_t)quiet;
	return i;
}

/*
 * The common case, no spill open and no tone suspected: the FSK side first
 * (cid_fsk_scan()), then the always-on Goertzel bins over the same samples,
 * a tone block at a time. Stops after a sample the state machine must see (a
 * trigger, a tone result, or extra Goertzel bins armed) or the first one the
 * FSK may sleep through (then cid_doze() takes over). Returns the samples consumed.
 */
static inline __attribute__((always_inline)) int
cid_scan(struct safeline_cid *s, const int16_t *x, int len, int *trigger, int *tones, int cued)
{
	struct safeline_tones *t = &s->tones;
	int i = 0, n, end, trig = 0, res = 0, asleep = 0;

	while (i < len) {
		/* run to the end of the input or of the Goertzel block, whichever is first */
		end = i + (int)(SAFELINE_TONES_BLOCK - t->pos);
		if (end > len)
			end = len;
		n = cid_fsk_scan(&s->fsk, x, i, end, &trig, &asleep);
		cid_goertzel(t, x + i, n - i, cued);
		i = n;
		if (t->pos == SAFELINE_TONES_BLOCK) {
			res = safeline_tones_block(t);
			if (res || t->bins != SAFELINE_BIN_ALWAYS)
				break;
		}
		if (trig | asleep)
			break;
	}
	s->fsk.slept = (uint8_t)asleep;
	*trigger = trig;
	*tones = res;
	return i;
}

/*
 * A quiet idle line: only the two always-on Goertzel bins and the block
 * energy run; the FSK front end sleeps (fsk.h). Stops before the first
 * sample too loud to sleep through (not consumed), or after a block with a
 * tone result or extra bins armed. s->fsk.fr is stale until it is rebuilt.
 * Returns the samples consumed.
 */
static inline __attribute__((always_inline)) int
cid_doze(struct safeline_cid *s, const int16_t *x, int len, int *tones, int cued)
{
	struct safeline_fsk *f = &s->fsk;
	struct safeline_tones *t = &s->tones;
	uint32_t slept = f->slept;
	int i = 0, start, end, res = 0;

	while (i < len) {
		end = i + (int)(SAFELINE_TONES_BLOCK - t->pos);
		if (end > len)
			end = len;
		start = i;
		while (i < end && safeline_fsk_quiet(x[i]))
			i++;
		if (cid_cue_quiet(t))
			t->pos += (uint32_t)(i - start);
		else
			cid_goertzel(t, x + start, i - start, cued);
		slept += (uint32_t)(i - start);
		if (i < end || t->pos != SAFELINE_TONES_BLOCK)
			break;
		res = safeline_tones_block(t);
		if (res || t->bins != SAFELINE_BIN_ALWAYS)
			break;
	}
	/* only whether more than SAFELINE_FSK_UNCLEAN_MAX samples were slept matters */
	f->slept = (uint8_t)(slept < SAFELINE_FSK_HIST ? slept : SAFELINE_FSK_HIST);
	*tones = res;
	return i;
}

/*
 * The front end catches up before it runs on x[1]: x[-7..0] (the last
 * inputs) are all its state depends on.
 */
static inline void cid_fsk_fresh(struct safeline_fsk *f, const int16_t *x)
{
	if (f->slept)
		safeline_fsk_wake(f, f->slept);
	safeline_fsk_rebuild(&f->fr, x);
	f->skipped = 0;
}

/*
 * Whether cid_spill_run() may take the next sample: a hangover, not its last
 * sample (which closes the spill and reports it), and a front end that is
 * awake (inside a frame it needs only the inputs).
 */
static inline int cid_spill_fast(const struct safeline_cid *s)
{
	return !s->fsk.slept && s->spill == SAFELINE_SPILL_HANGOVER && s->left > 1;
}

/*
 * Samples inside a frame of a hangover before the next one where
 * cid_spill_run() has more to do than count: the bit centre (phase in
 * thirds), the hangover's last sample, at most max.
 */
static inline int cid_spill_skip(int32_t phase, uint32_t left, int max)
{
	int d = (phase - 1) / 3;

	if ((int)left - 2 < d)
		d = (int)left - 2;
	if (max < d)
		d = max;
	return d > 0 ? d : 0;
}

/*
 * A hangover, samples x[i..end) with no tone result among them: the UART
 * runs on, since an FSK proof resumes the spill. Between frames the front
 * end runs whole (the idle UART reads every sample); inside a frame it jumps
 * from bit centre to bit centre, so fr is stale (skipped = 2) until the frame
 * ends and it is rebuilt. Stops before the hangover's last sample, or before
 * the state machine on a sample with an FSK trigger (*trigger set; the caller
 * runs cid_sample() on it). Returns the index after the last sample done.
 */
static inline __attribute__((always_inline)) int
cid_spill_run(struct safeline_cid *s, const int16_t *x, int i, int end, int *trigger)
{
	struct safeline_fsk *f = &s->fsk;
	struct safeline_fsk_front *fr = &f->fr;
	uint32_t left = s->left;
	int trig = 0;

	f->quiet = 0;	/* only the idle scan counts quiet samples */
	if (f->skipped && !f->bitno) {
		/* the UART restarted after an open spill */
		safeline_fsk_rebuild(fr, x + i - 1);
		f->skipped = 0;
	}
	while (i < end && left > 1) {
		if (!f->bitno) {
			/* between frames: the whole front end and the idle UART */
			safeline_fsk_front(fr, x[i]);
			safeline_fsk_uart(f, fr->sq, fr->se);
		} else {
			/* inside a frame: up to its next bit centre only the count moves */
			int d = cid_spill_skip(f->phase, left, end - 1 - i);

			f->phase -= 3 * (d + 1);
			left -= (uint32_t)d;
			i += d;
			f->skipped = 2;
			if (f->phase <= 0) {
				int32_t sq, se;

				f->phase += SAFELINE_FSK_BIT_THIRDS;
				safeline_fsk_centre(x + i, &sq, &se);
				trig = safeline_fsk_frame(f, sq, se);
				if (!f->bitno || trig) {
					/* the idle UART or the state machine reads the whole front end */
					safeline_fsk_rebuild(fr, x + i);
					fr->sq = sq;
					fr->se = se;
					f->skipped = 0;
				}
				if (trig)
					break;
			}
		}
		i++;
		left--;
	}
	s->left = left;
	*trigger = trig;
	return i;
}

/* Index of the next sample at or after i whose position is a tick of period (a power of 2). */
static inline int cid_next_tick(uint32_t at, int i, uint32_t period)
{
	return i + (int)((period - 1 - (at + (uint32_t)i)) & (period - 1));
}

/* Whether a tick's soft bit is a clean mark: FSK's idle tone. */
static inline int cid_clean_mark(int32_t sq, int32_t se)
{
	return sq < 0 && safeline_fsk_clean_at(sq, se);
}

/*
 * An open alert spill, samples x[i..end) with no tone result among them: it
 * waits for its FSK, which needs no further proof: ALERT_CARRIER of clean
 * mark while the alert tone itself is not heard, read at the tracker's ticks
 * (the soft bit from the inputs; no UART runs). Stops after the sample that
 * opened the FSK spill or timed out. Returns the index after the last sample done.
 */
static inline __attribute__((always_inline)) int
cid_alert_run(struct safeline_cid *s, const int16_t *x, int i, int end)
{
	uint32_t quiet = s->quiet, left = s->left;
	/* the next sample's position, minus its index: ticks by position */
	uint32_t at = (uint32_t)s->pos - (uint32_t)i;
	int32_t sq = 0, se = 0;
	uint8_t next = SAFELINE_SPILL_ALERT;

	while (i < end) {
		int t = cid_next_tick(at, i, MARK_TICK);

		if (t >= end) {
			i = end;
			break;
		}
		i = t + 1;
		safeline_fsk_centre(x + t, &sq, &se);
		if (cid_clean_mark(sq, se) && !s->tones.alert_blocks) {
			if ((quiet += MARK_TICK) >= ALERT_CARRIER)
				next = SAFELINE_SPILL_FSK;
		} else {
			quiet = 0;
		}
		if (next == SAFELINE_SPILL_ALERT && left <= MARK_TICK)
			next = SAFELINE_SPILL_HANGOVER;
		left -= MARK_TICK;
		if (next != SAFELINE_SPILL_ALERT)
			break;
	}
	s->quiet = quiet;
	s->left = left;
	if (next != SAFELINE_SPILL_ALERT) {
		s->fsk.fr.se = se;	/* the FSK spill's level (cid_enter()) */
		cid_enter(s, next, s->kind, next == SAFELINE_SPILL_FSK ? FSK_MAX : HANGOVER);
	}
	return i;
}

/* Bits set in a 16-bit word (no popcount instruction or libgcc helper in the kernel). */
static inline uint32_t cid_bits16(uint32_t v)
{
	v = v - ((v >> 1) & 0x5555);
	v = (v & 0x3333) + ((v >> 2) & 0x3333);
	v = (v + (v >> 4)) & 0x0f0f;
	return (v + (v >> 8)) & 0x1f;
}

/* What an open spill's run function keeps in registers, loaded and stored whole. */
struct cid_track {
	int32_t energy, level;
	uint32_t quiet, left, ticks;
};

static inline void cid_track_load(const struct safeline_cid *s, struct cid_track *k)
{
	*k = (struct cid_track){ s->energy, s->level, s->quiet, s->left, s->ticks };
}

static inline void cid_track_store(struct safeline_cid *s, const struct cid_track *k)
{
	s->energy = k->energy;
	s->level = k->level;
	s->quiet = k->quiet;
	s->left = k->left;
	s->ticks = (uint16_t)k->ticks;
}

enum { CID_CARRIER_ON, CID_CARRIER_LOW, CID_CARRIER_DIPS };

/*
 * One tick of an FSK carrier's tracker, se the band energy there: whether it
 * is on, under the spill's level (FSK_LEVEL_SHIFT), or dipping (FSK_DIP_SHIFT).
 */
static inline int cid_carrier_tick(int32_t *energy, int32_t *level, uint32_t *dips, int32_t se)
{
	*energy += (se - *energy) >> FSK_ENERGY_SHIFT;
	*dips = ((*dips << 1) & 0xffff) | ((se << FSK_DIP_SHIFT) < *energy);
	if ((*dips & 1) && cid_bits16(*dips) >= FSK_DIPS_MAX)
		return CID_CARRIER_DIPS;
	if (*energy < (*level >> FSK_LEVEL_SHIFT))
		return CID_CARRIER_LOW;
	/* follow the level slowly, so one loud burst does not end the spill */
	*level += (*energy - *level) >> FSK_FOLLOW_SHIFT;
	return CID_CARRIER_ON;
}

/*
 * An open FSK spill, samples x[i..end): the spill needs no more proof, so
 * no UART runs, only the carrier tracker at its ticks (every 4th sample by
 * position, so any chunking gives the same result; the timeout counts there
 * too). It ends the spill on dips (FSK_DIP_SHIFT: silence, noise or speech
 * after the FSK) or carrier loss (band energy 9 dB under the spill's level
 * for 10 ms). Stops after the sample that ended it, with the UART ready
 * for what follows. Returns the index after the last sample done.
 */
static inline __attribute__((always_inline)) int
cid_fsk_spill_run(struct safeline_cid *s, const int16_t *x, int i, int end)
{
	/* the next sample's position, minus its index: ticks by position */
	uint32_t at = (uint32_t)s->pos - (uint32_t)i;
	struct cid_track k;
	int hang = 0;

	cid_track_load(s, &k);
	while (i < end) {
		int t = cid_next_tick(at, i, FSK_TICK);
		int carrier;

		if (t >= end) {
			i = end;
			break;
		}
		i = t + 1;
		carrier = cid_carrier_tick(&k.energy, &k.level, &k.ticks, safeline_fsk_box(x + t));
		if (carrier == CID_CARRIER_ON)
			k.quiet = 0;
		else if (carrier == CID_CARRIER_DIPS || (k.quiet += FSK_TICK) >= FSK_LOST)
			hang = 1;
		if (k.left <= FSK_TICK)
			hang = 1;	/* FSK_MAX */
		k.left -= FSK_TICK;
		if (hang)
			break;
	}
	cid_track_store(s, &k);
	if (hang) {
		cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
		/* the tone detectors start over on what follows */
		safeline_tones_restart(&s->tones);
	}
	return i;
}

/*
 * An open DTMF spill, samples x[i..end), with the tone result of the block
 * that ended on x[i] (digit: a digit was present in it): the spill stays
 * open while digits keep coming, and while the carrier of an FSK spill
 * lasts that follows them closely (KPN DTMF+FSK; a J-CLIP after a DTMF
 * spill): ALERT_CARRIER of clean mark finds it, dips or carrier loss end it,
 * read at the tracker's ticks (no UART runs). Stops after the sample that
 * ended the spill. Returns the index after the last sample done.
 */
static inline __attribute__((always_inline)) int
cid_dtmf_run(struct safeline_cid *s, const int16_t *x, int i, int end, int digit)
{
	/* the next sample's position, minus its index: ticks by position */
	uint32_t at = (uint32_t)s->pos - (uint32_t)i;
	uint8_t fsk = s->dtmf_fsk;
	struct cid_track k;
	int hang = 0;

	cid_track_load(s, &k);
	while (i < end) {
		/* looking for FSK, every 8th sample; tracking it, every 4th */
		uint32_t tick = fsk ? FSK_TICK : MARK_TICK;
		int t = cid_next_tick(at, i, tick);
		int32_t sq, se;
		int carrier = 0;

		if (t >= end) {
			i = end;
			break;
		}
		i = t + 1;
		safeline_fsk_centre(x + t, &sq, &se);
		if (!fsk) {
			/* FSK's mark, counted as in an alert spill */
			k.ticks = cid_clean_mark(sq, se) ? k.ticks + MARK_TICK : 0;
			if (k.ticks >= ALERT_CARRIER) {
				fsk = 1;
				k.level = k.energy = se;
				k.ticks = 0;
				if (k.left < FSK_MAX)
					k.left = FSK_MAX;
			}
		} else {
			/* its carrier, tracked as in an FSK spill */
			carrier = cid_carrier_tick(&k.energy, &k.level, &k.ticks, se) ==
				  CID_CARRIER_ON;
			if (!carrier) {
				/* over: the next FSK's mark is looked for again */
				fsk = 0;
				k.ticks = 0;
			}
		}
		if (digit || carrier)
			k.quiet = 0;
		else if ((k.quiet += tick) >= DTMF_QUIET)
			hang = 1;	/* no digit for DTMF_QUIET */
		digit = 0;
		if (k.left <= tick)
			hang = 1;	/* DTMF_MAX, or FSK_MAX after it */
		k.left -= tick;
		if (hang)
			break;
	}
	cid_track_store(s, &k);
	s->dtmf_fsk = fsk;
	if (hang)
		cid_enter(s, SAFELINE_SPILL_HANGOVER, s->kind, HANGOVER);
	return i;
}

/* An open spill's samples x[i..end) through its own path (digit: cid_dtmf_run()). */
static inline __attribute__((always_inline)) int
cid_open_run(struct safeline_cid *s, const int16_t *x, int i, int end, int digit)
{
	if (s->spill == SAFELINE_SPILL_FSK)
		return cid_fsk_spill_run(s, x, i, end);
	if (s->spill == SAFELINE_SPILL_ALERT)
		return cid_alert_run(s, x, i, end);
	return cid_dtmf_run(s, x, i, end, digit);
}

/* One input sample as 13-bit linear: G.711 through a 13-bit table, or 16-bit when table is NULL. */
#define CID_SAMPLE(g711, table, amp, i) ((table) ? (table)[(g711)[i]] : (amp)[i] >> 3)

/*
 * The quiet line's fast path: a whole input of at least SAFELINE_FSK_HIST
 * samples that ends inside the current tone block, converted, checked and
 * run through the always-on Goertzel bins in one pass. Commits only when
 * every sample is quiet (then it is what cid_doze() would do); returns
 * whether it did.
 */
static inline __attribute__((always_inline)) int
cid_doze_chunk(struct safeline_cid *s, const uint8_t *g711, const int16_t *table,
	       const int16_t *amp, int len)
{
	struct safeline_tones *t = &s->tones;
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = t->energy, loudest = 0;
	SAFELINE_SCRATCH int16_t x[64];
	int i;

	if (!energy) {
		/* a quiet block so far: the cue has nothing to run on (cid_cue_quiet()) */
		for (i = 0; i < len; i++) {
			int32_t v = CID_SAMPLE(g711, table, amp, i);
			uint32_t b = (uint32_t)(v + SAFELINE_FSK_QUIET_MAX);

			x[i] = (int16_t)v;
			loudest = b > loudest ? b : loudest;
		}
		if (loudest > 2 * SAFELINE_FSK_QUIET_MAX)
			return 0;	/* a louder sample: the general path */
	} else {
		for (i = 0; i + 1 < len; i += 2) {
			int32_t v0 = CID_SAMPLE(g711, table, amp, i);
			int32_t v1 = CID_SAMPLE(g711, table, amp, i + 1);
			uint32_t b0 = (uint32_t)(v0 + SAFELINE_FSK_QUIET_MAX);
			uint32_t b1 = (uint32_t)(v1 + SAFELINE_FSK_QUIET_MAX);

			x[i] = (int16_t)v0;
			x[i + 1] = (int16_t)v1;
			loudest = b0 > loudest ? b0 : loudest;
			loudest = b1 > loudest ? b1 : loudest;
			CID_CUE_STEP(v0);
		}
		if (i < len || loudest > 2 * SAFELINE_FSK_QUIET_MAX)
			return 0;	/* odd length or a louder sample: the general path */
		cid_pair_store(t, c1, c2, h1, h2, energy);
	}
	__builtin_memcpy(s->fsk.hist, x + len - SAFELINE_FSK_HIST, sizeof(s->fsk.hist));
	t->pos += (uint32_t)len;
	s->fsk.slept = SAFELINE_FSK_HIST;
	s->pos += (uint64_t)len;
	return 1;
}

/*
 * An 8-sample G.711 chunk that lies in one cue block (even start): converted
 * into x and run through the arming cue in one pass (cid_goertzel_cue()); the
 * block position is left to the paths that consume the samples.
 */
static inline __attribute__((always_inline)) void
cid_convert_cue(struct safeline_tones *t, int16_t *x, const uint8_t *g711, const int16_t *table)
{
	int64_t c1 = t->s1[SAFELINE_BIN_1633], c2 = t->s2[SAFELINE_BIN_1633];
	int64_t h1 = t->s1[SAFELINE_BIN_2750], h2 = t->s2[SAFELINE_BIN_2750], c, h;
	uint32_t energy = t->energy;

#define CID_CONVERT_CUE_PAIR(i) do {						\
		int32_t v0 = table[g711[i]];					\
										\
		x[i] = (int16_t)v0;						\
		x[(i) + 1] = table[g711[(i) + 1]];				\
		CID_CUE_STEP(v0);						\
	} while (0)
	CID_CONVERT_CUE_PAIR(0);
	CID_CONVERT_CUE_PAIR(2);
	CID_CONVERT_CUE_PAIR(4);
	CID_CONVERT_CUE_PAIR(6);
#undef CID_CONVERT_CUE_PAIR
	cid_pair_store(t, c1, c2, h1, h2, energy);
}

/* DAHDI's chunk of G.711 to 13-bit, unrolled: a loop costs as much again. */
static inline __attribute__((always_inline)) void
cid_convert8(int16_t *x, const uint8_t *g711, const int16_t *table)
{
	x[0] = table[g711[0]];
	x[1] = table[g711[1]];
	x[2] = table[g711[2]];
	x[3] = table[g711[3]];
	x[4] = table[g711[4]];
	x[5] = table[g711[5]];
	x[6] = table[g711[6]];
	x[7] = table[g711[7]];
}

/* Strict mode while not off-hook: everything is muted. */
static inline int cid_strict(const struct safeline_cid *s)
{
	return s->mode == SAFELINE_CID_STRICT && s->hook != SAFELINE_HOOK_OFF;
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
	uint64_t mute = 0;
	/* the inputs, after the last SAFELINE_FSK_HIST of earlier calls */
	SAFELINE_SCRATCH int16_t xs[SAFELINE_FSK_HIST + 64], *x = xs + SAFELINE_FSK_HIST;
	int i, n, trigger, tones, cued = 0;

	if (s->fsk.slept && s->spill == SAFELINE_SPILL_IDLE && len >= SAFELINE_FSK_HIST &&
	    s->tones.bins == SAFELINE_BIN_ALWAYS && !(s->tones.pos & 1) &&
	    s->tones.pos + (uint32_t)len < SAFELINE_TONES_BLOCK &&
	    cid_doze_chunk(s, g711, table, amp, len))
		return cid_strict(s) ? ~0ULL >> (64 - len) : 0;
	__builtin_memcpy(xs, s->fsk.hist, sizeof(s->fsk.hist));
	if (table && len == 8 && s->tones.bins == SAFELINE_BIN_ALWAYS && !(s->tones.pos & 1) &&
	    s->tones.pos + 8 <= SAFELINE_TONES_BLOCK && s->spill != SAFELINE_SPILL_FSK &&
	    !s->fsk.slept) {
		/* DAHDI's chunk in one cue block: the cue runs with the conversion */
		cid_convert_cue(&s->tones, x, g711, table);
		cued = 1;
	} else if (table && len == 8) {
		cid_convert8(x, g711, table);
	} else if (table) {
		for (i = 0; i < len; i++)
			x[i] = table[g711[i]];
	} else {
		for (i = 0; i < len; i++)
			x[i] = (int16_t)(amp[i] >> 3);
	}
	i = 0;
	while (i < len) {
		if (s->spill == SAFELINE_SPILL_FSK) {
			/* no tone detector in an FSK spill: its end starts them over */
			n = cid_fsk_spill_run(s, x, i, len) - i;
			safeline_tones_pass(&s->tones, (uint32_t)n);
			if (safeline_cid_muting(s))
				mute |= (~0ULL >> (64 - n)) << i;
			s->pos += (uint64_t)n;
			i += n;
			continue;
		}
		if (s->spill != SAFELINE_SPILL_IDLE || s->tones.bins != SAFELINE_BIN_ALWAYS) {
			/*
			 * Sample by sample to the end of the tone block: the Goertzel bins
			 * first (they do not depend on the state machine), the block's
			 * decision just before its last sample goes through the state machine.
			 */
			int end = i + (int)(SAFELINE_TONES_BLOCK - s->tones.pos);

			if (end > len)
				end = len;
			cid_goertzel(&s->tones, x + i, end - i, cued);
			safeline_tones_armed(&s->tones, x + i, end - i);
			while (i < end) {
				int last = s->tones.pos == SAFELINE_TONES_BLOCK ? end - 1 : end;

				if (i < last && s->spill != SAFELINE_SPILL_IDLE &&
				    s->spill != SAFELINE_SPILL_HANGOVER) {
					n = cid_open_run(s, x, i, last, 0) - i;
					if (safeline_cid_muting(s))
						mute |= (~0ULL >> (64 - n)) << i;
					s->pos += (uint64_t)n;
					i += n;
					continue;
				}
				if (i < last && cid_spill_fast(s)) {
					n = cid_spill_run(s, x, i, last, &trigger) - i;
					/* muting: the spill stays open (a hangover's end is not done here) */
					if (n && safeline_cid_muting(s))
						mute |= (~0ULL >> (64 - n)) << i;
					s->pos += (uint64_t)n;
					i += n;
					if (trigger) {
						/* the FSK part of sample i is done: the state machine */
						mute |= (uint64_t)cid_sample(s, trigger, 0) << i;
						i++;
					}
					continue;
				}
				tones = 0;
				if (i == end - 1 && s->tones.pos == SAFELINE_TONES_BLOCK)
					tones = safeline_tones_block(&s->tones);
				if (s->spill == SAFELINE_SPILL_FSK ||
				    (s->spill == SAFELINE_SPILL_ALERT &&
				     !(tones & SAFELINE_TONES_DTMF_START)) ||
				    (s->spill == SAFELINE_SPILL_DTMF && !(tones & SAFELINE_TONES_ALERT))) {
					/* a block end with no takeover: the open spill's own path */
					cid_open_run(s, x, i, i + 1, tones & SAFELINE_TONES_DTMF);
					mute |= (uint64_t)safeline_cid_muting(s) << i;
					s->pos++;
					i++;
					continue;
				}
				if (s->fsk.slept | s->fsk.skipped)
					cid_fsk_fresh(&s->fsk, x + i - 1);
				trigger = safeline_fsk_step(&s->fsk, x[i]);
				mute |= (uint64_t)cid_sample(s, trigger, tones) << i;
				i++;
			}
			continue;
		}
		if (s->fsk.slept) {
			n = cid_doze(s, x + i, len - i, &tones, cued);
			trigger = 0;
			if (!n) {
				/* a louder sample next: the front end catches up and runs on it */
				cid_fsk_fresh(&s->fsk, x + i - 1);
				s->fsk.quiet = 0;
				continue;
			}
		} else {
			n = cid_scan(s, x + i, len - i, &trigger, &tones, cued);
		}
		i += n;
		s->pos += (uint64_t)n;
		if (trigger | tones) {
			/* events carry the position of the sample that caused them */
			s->pos--;
			cid_idle(s, trigger, tones);
			s->pos++;
			mute |= (uint64_t)safeline_cid_muting(s) << (i - 1);
		}
	}
	__builtin_memcpy(s->fsk.hist, xs + len, sizeof(s->fsk.hist));
	/* strict mode on-hook mutes all of it (mode and hook cannot change inside a call) */
	if (cid_strict(s))
		return ~0ULL >> (64 - len);
	return s->mode == SAFELINE_CID_DETECT ? 0 : mute;
}

/*
 * Whether DAHDI's chunk may take cid_open_chunk(): an open FSK spill, or a
 * DTMF spill in a block of its own bins that does not end in this chunk.
 */
static inline int cid_open_fast(const struct safeline_cid *s)
{
	return s->spill == SAFELINE_SPILL_FSK ||
	       (s->spill == SAFELINE_SPILL_DTMF && s->tones.bins == SAFELINE_BIN_COUNT &&
		s->tones.pos + 8 < SAFELINE_TONES_BLOCK);
}

/*
 * DAHDI's chunk inside an open FSK or DTMF spill, the bulk of a spill's
 * audio: the spill's own path (cid_open_run()) and, in a DTMF spill, its
 * bins, none of cid_run()'s dispatch; muted in place unless detecting. A spill
 * that ends inside the chunk leaves the rest to the caller (any chunking gives
 * the same result). Returns the samples done.
 */
static inline __attribute__((always_inline)) int
cid_open_chunk(struct safeline_cid *s, uint8_t *g711, const int16_t *table, uint8_t silence)
{
	SAFELINE_SCRATCH int16_t xs[SAFELINE_FSK_HIST + 8], *x = xs + SAFELINE_FSK_HIST;
	int n;

	__builtin_memcpy(xs, s->fsk.hist, sizeof(s->fsk.hist));
	cid_convert8(x, g711, table);
	if (s->spill == SAFELINE_SPILL_FSK) {
		n = cid_fsk_spill_run(s, x, 0, 8);
		safeline_tones_pass(&s->tones, (uint32_t)n);
	} else {
		/* the block's decision is not in this chunk: the bins only count */
		n = cid_dtmf_run(s, x, 0, 8, 0);
		safeline_tones_spill(&s->tones, x, n);
	}
	s->pos += (uint64_t)n;
	__builtin_memcpy(s->fsk.hist, xs + n, sizeof(s->fsk.hist));
	/* an open spill or its hangover: muted unless detecting */
	if (s->mode != SAFELINE_CID_DETECT)
		__builtin_memset(g711, silence, (size_t)n);
	return n;
}

#define CID_SLICE 64

int safeline_cid_rx(struct safeline_cid *s, uint8_t *buf, int len)
{
	const int16_t *table = safeline_g711_to_13bit[s->law == SAFELINE_LAW_ALAW];
	uint8_t silence;
	uint64_t mute;
	int at = 0, i, n;

	if (s->mode == SAFELINE_CID_PASS)
		return len;
	if (len == 8 && (s->spill == SAFELINE_SPILL_IDLE || !cid_open_fast(s))) {
		/* DAHDI's chunk: one slice, no slicing loop */
		mute = cid_run(s, buf, table, NULL, 8);
		if (!mute)
			return len;
		silence = s->law == SAFELINE_LAW_ALAW ?
			SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
		if (mute == 0xFF)
			__builtin_memset(buf, silence, 8);
		else
			for (i = 0; mute; i++, mute >>= 1)
				if (mute & 1)
					buf[i] = silence;
		return len;
	}
	silence = s->law == SAFELINE_LAW_ALAW ?
		SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
	if (len == 8)
		at = cid_open_chunk(s, buf, table, silence);
	for (; at < len; at += n) {
		n = len - at < CID_SLICE ? len - at : CID_SLICE;
		mute = cid_run(s, buf + at, table, NULL, n);
		if (mute == ~0ULL >> (64 - n)) {
			/* all of it, the usual case inside a spill */
			for (i = 0; i < n; i++)
				buf[at + i] = silence;
			continue;
		}
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
