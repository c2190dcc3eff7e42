/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FSK caller-ID detector: one delay-line discriminator that serves Bell 202
 * and V.23 alike, a UART that frames its bits at 1200 baud, and the two
 * structures that prove a spill (channel seizure; long mark, then a known
 * message-type byte). Speech makes bits but not these structures.
 */
#ifndef SAFELINE_DSP_FSK_H
#define SAFELINE_DSP_FSK_H

#include "types.h"

/*
 * The discriminator multiplies the band-passed signal by itself 3 samples
 * earlier. At 8 kHz, cos(3 * 2 pi f / 8000) is -0.95 for 1200 Hz, -1.00 for
 * 1300 Hz (marks), +0.45 for 2200 Hz and +0.23 for 2100 Hz (spaces), so
 * y[n]y[n-3] + 5/16 y[n]^2 is negative on a mark and positive on a space for
 * both modems, whatever the level.
 */

/* Bit period in thirds of a sample: 8000 / 1200 = 6.67 samples (GR-30, V.23). */
#define SAFELINE_FSK_BIT_THIRDS 20
/*
 * First bit centre after a start edge is seen (1.67 samples), then every bit
 * without re-timing: measured over 600 random bytes per case on spandsp's
 * modem with carrier +-1.5 % and bit rate +-1 %, this point decodes >= 97 %
 * of V.23 and >= 99 % of Bell 202 bytes; re-timing on edges did worse.
 */
#define SAFELINE_FSK_START_THIRDS 5

/*
 * Band energy (mean of y^2 over 4 samples, y = x[n] - x[n-2] on 13-bit input)
 * below which nothing counts as carrier: 150 is a tone of about -49 dBm0, under
 * every receiver's accept range (-36 dBm on-hook, MT88E45 / TIA-716).
 */
#define SAFELINE_FSK_FLOOR 150

/* A bit is clean when |soft| >= energy / 4; a pure tone gives 0.53 to 0.75. */
#define SAFELINE_FSK_CONF_SHIFT 2

/*
 * Mark needed before a message-type byte: 40 bits (33 ms) in samples. Off-hook
 * spills have at least 55 bits (EN 300 659-2, SIN 242), on-hook 80 to 180.
 */
#define SAFELINE_FSK_MARK_SAMPLES 267
/* Unclean bits a frame may have and still count: noise at 15 dB SNR makes some. */
#define SAFELINE_FSK_WEAK_MAX 2
/*
 * FSK has a constant envelope: band energy at the bit centres of one frame may
 * span at most 5:1 (mark and space differ by up to 1.5:1 after the band-pass,
 * noise at 15 dB SNR adds up to 3:1 more). Voiced speech whose harmonics beat at
 * 600 Hz mimics a seizure's 0101, but its envelope swings with the beat.
 */
#define SAFELINE_FSK_ENV_RATIO 5
/* Unclean idle samples tolerated inside a mark: a start edge takes ~2. */
#define SAFELINE_FSK_UNCLEAN_MAX 3
/*
 * Second chance when noise or a 1 % bit-rate error spoils the type byte: 3
 * clean frames back to back (at most 3 bits of mark between them) right after
 * the long mark. Costs 20 bits of margin, so it is only the fallback.
 */
#define SAFELINE_FSK_DATA_FRAMES 3
#define SAFELINE_FSK_DATA_GAP 20
/* 0x55 frames in a row that prove a channel seizure: 60 bits, 50 ms (GR-30 sends 300). */
#define SAFELINE_FSK_SEIZURE_FRAMES 6

/*
 * Sleep on a quiet line: band energy at sample n depends on samples n-5..n
 * only, so 6 samples with |x| <= 6 keep it at most 4 * ((2 * 6)^2 / 4) = 144,
 * under the floor: the idle UART could only count an unclean sample. The
 * front end then sleeps and, when the line gets louder, is rebuilt from the
 * last 8 inputs (all the state it carries depends on); bit-exact.
 */
#define SAFELINE_FSK_QUIET_MAX 6
#define SAFELINE_FSK_QUIET_RUN 6
/*
 * Inputs kept across calls: the front end's state at sample n is a function
 * of x[n-7..n], its soft bit and band energy of x[n-8..n]. So a caller may
 * skip the front end between bit centres and compute them from the inputs.
 */
#define SAFELINE_FSK_HIST 8

enum safeline_fsk_trigger {
	SAFELINE_FSK_NONE = 0,
	SAFELINE_FSK_SEIZURE,	/* 0101... channel seizure */
	SAFELINE_FSK_MESSAGE,	/* mark, then 0x04/0x06/0x80/0x82/0x86/0x89 */
	SAFELINE_FSK_JCLIP,	/* mark, then DLE with even parity (NTT) */
};

/*
 * The discriminator's front end. The soft bit is a sum of 4 samples (zeros at
 * 2 and 4 kHz take out the product's double-frequency ripple), kept as two
 * stages of pair sums, so a caller can hold all of this in registers.
 */
struct safeline_fsk_front {
	int32_t x1, x2;		/* input, 1 and 2 samples back (13-bit) */
	int32_t y1, y2, y3;	/* band-pass output, 1 to 3 samples back */
	int32_t q1, qq1, qq2;	/* last term; pair sums 1 and 2 samples back */
	int32_t e1, ee1, ee2;	/* the same for band energy */
	int32_t sq;		/* soft bit: sum of 4 terms, < 0 is mark */
	int32_t se;		/* band energy: sum of 4 terms */
};

struct safeline_fsk {
	struct safeline_fsk_front fr;
	int32_t phase;		/* thirds of a sample to the next bit centre */
	uint32_t mark_run;	/* samples of clean mark while idle */
	int32_t env_lo, env_hi;	/* band energy range over this frame's bit centres */
	uint16_t shift;		/* data bits being assembled, LSB first */
	/* 16-bit, not uint8_t: char stores alias everything and cost reloads per sample */
	uint16_t bitno;		/* 0 idle, 1 start bit, 2..9 data, 10 stop */
	uint16_t weak;		/* bits of this frame that were not clean */
	uint16_t seizure_frames;	/* consecutive clean 0x55 frames */
	uint16_t unclean;	/* consecutive idle samples that were not clean mark */
	uint16_t data_frames;	/* clean back-to-back frames since a long mark */
	/* fr is stale while slept or skipped is set: rebuild it from hist */
	uint8_t quiet;		/* input samples in a row with |x| <= SAFELINE_FSK_QUIET_MAX */
	uint8_t slept;		/* idle samples the front end slept through (quiet line), at most 8 */
	uint8_t skipped;	/* the front end ran only at bit centres inside a frame */
	uint8_t doomed;		/* this frame can no longer prove anything (fsk_frame()) */
	int16_t hist[SAFELINE_FSK_HIST];	/* the last inputs, oldest first */
};

void safeline_fsk_init(struct safeline_fsk *f);
int safeline_fsk_frame(struct safeline_fsk *f, int32_t sq, int32_t se);

/* Whether a soft bit is a clean tone above the floor: carrier present. */
static inline int safeline_fsk_clean_at(int32_t sq, int32_t se)
{
	int32_t mag = sq < 0 ? -sq : sq;

	return se >= SAFELINE_FSK_FLOOR && (mag << SAFELINE_FSK_CONF_SHIFT) >= se;
}

static inline int safeline_fsk_clean(const struct safeline_fsk *f)
{
	return safeline_fsk_clean_at(f->fr.sq, f->fr.se);
}

/* Band energy term of band-pass output y. */
static inline int32_t safeline_fsk_e(int32_t y)
{
	return (y * y) >> 2;
}

/* Discriminator term: y[n]y[n-3] + 5/16 y[n]^2 (e = safeline_fsk_e(y)). */
static inline int32_t safeline_fsk_q(int32_t y, int32_t y3, int32_t e)
{
	return ((y * y3) >> 2) + (e >> 2) + (e >> 4);
}

/* One 13-bit sample through band-pass, lag-3 product and 4-sample sums. */
static inline void safeline_fsk_front(struct safeline_fsk_front *p, int32_t x)
{
	/* 1 - z^-2: zeros at DC and 4 kHz keep speech lows out; short, so bits do not smear */
	int32_t y = x - p->x2;
	int32_t e = safeline_fsk_e(y);
	int32_t q = safeline_fsk_q(y, p->y3, e);
	int32_t qq = q + p->q1, ee = e + p->e1;

	p->x2 = p->x1;
	p->x1 = x;
	p->y3 = p->y2;
	p->y2 = p->y1;
	p->y1 = y;
	p->sq = qq + p->qq2;
	p->qq2 = p->qq1;
	p->qq1 = qq;
	p->q1 = q;
	/* a short box, not a one-pole average: the envelope test needs to see speech's beats */
	p->se = ee + p->ee2;
	p->ee2 = p->ee1;
	p->ee1 = ee;
	p->e1 = e;
}

/*
 * The UART's per-sample part: start-edge search and mark counting while idle,
 * the bit clock inside a frame. Returns a safeline_fsk_trigger.
 */
static inline int safeline_fsk_uart(struct safeline_fsk *f, int32_t sq, int32_t se)
{
	if (f->bitno == 0) {
		if (sq > 0 && se >= SAFELINE_FSK_FLOOR) {
			f->bitno = 1;
			f->weak = 0;
			f->doomed = 0;
			f->phase = SAFELINE_FSK_START_THIRDS;
		} else if (sq < 0 && ((-sq) << SAFELINE_FSK_CONF_SHIFT) >= se &&
			   se >= SAFELINE_FSK_FLOOR) {
			/* clean mark is carrier too */
			f->mark_run++;
			f->unclean = 0;
		} else if (f->unclean <= SAFELINE_FSK_UNCLEAN_MAX && ++f->unclean > SAFELINE_FSK_UNCLEAN_MAX) {
			/* the edge into a start bit is briefly unclean; longer is no mark */
			f->mark_run = 0;
		}
		return SAFELINE_FSK_NONE;
	}
	f->phase -= 3;
	if (f->phase > 0)
		return SAFELINE_FSK_NONE;
	f->phase += SAFELINE_FSK_BIT_THIRDS;
	return safeline_fsk_frame(f, sq, se);
}

/* Ends a doomed frame at its stop bit without reading it, as safeline_fsk_frame() would. */
static inline void safeline_fsk_drop(struct safeline_fsk *f)
{
	f->bitno = 0;
	f->doomed = 0;
	f->mark_run = 0;
	f->seizure_frames = 0;
	f->data_frames = 0;
}

/*
 * The UART starts over between frames with no mark counted, as after a long
 * unclean stretch: an open FSK spill runs without it. fr is stale until the
 * caller rebuilds it (skipped).
 */
static inline void safeline_fsk_restart(struct safeline_fsk *f)
{
	f->bitno = 0;
	f->doomed = 0;
	f->mark_run = 0;
	f->unclean = SAFELINE_FSK_UNCLEAN_MAX + 1;
	f->seizure_frames = 0;
	f->data_frames = 0;
	f->quiet = 0;
	f->skipped = 1;
}

/* Whether x is quiet enough to sleep through (see SAFELINE_FSK_QUIET_MAX). */
static inline int safeline_fsk_quiet(int32_t x)
{
	return (uint32_t)(x + SAFELINE_FSK_QUIET_MAX) <= 2 * SAFELINE_FSK_QUIET_MAX;
}

/* Counts quiet samples; whether the idle UART may sleep from sample x on. */
static inline int safeline_fsk_may_sleep(uint32_t *quiet, int32_t x, uint16_t bitno)
{
	if (!safeline_fsk_quiet(x)) {
		*quiet = 0;
		return 0;
	}
	if (*quiet < SAFELINE_FSK_QUIET_RUN)
		++*quiet;
	return *quiet >= SAFELINE_FSK_QUIET_RUN && bitno == 0;
}

/*
 * The front end's state after sample x[0] from the inputs x[-7..0] alone, as
 * if it had run on every sample (sq and se excepted: the next sample sets them).
 */
static inline void safeline_fsk_rebuild(struct safeline_fsk_front *p, const int16_t *x)
{
	int32_t y0 = x[0] - x[-2], y1 = x[-1] - x[-3], y2 = x[-2] - x[-4];
	int32_t y3 = x[-3] - x[-5], y4 = x[-4] - x[-6], y5 = x[-5] - x[-7];
	int32_t e0 = safeline_fsk_e(y0), e1 = safeline_fsk_e(y1), e2 = safeline_fsk_e(y2);
	int32_t q0 = safeline_fsk_q(y0, y3, e0), q1 = safeline_fsk_q(y1, y4, e1);
	int32_t q2 = safeline_fsk_q(y2, y5, e2);

	p->x1 = x[0];
	p->x2 = x[-1];
	p->y1 = y0;
	p->y2 = y1;
	p->y3 = y2;
	p->q1 = q0;
	p->qq1 = q0 + q1;
	p->qq2 = q1 + q2;
	p->e1 = e0;
	p->ee1 = e0 + e1;
	p->ee2 = e1 + e2;
}

/*
 * Soft bit and band energy at sample x[0] from x[-8..0]: what the front end
 * yields there, for a UART that only looks at bit centres inside a frame.
 */
static inline void safeline_fsk_centre(const int16_t *x, int32_t *sq, int32_t *se)
{
	int32_t y0 = x[0] - x[-2], y1 = x[-1] - x[-3], y2 = x[-2] - x[-4];
	int32_t y3 = x[-3] - x[-5], y4 = x[-4] - x[-6], y5 = x[-5] - x[-7];
	int32_t y6 = x[-6] - x[-8];
	int32_t e0 = safeline_fsk_e(y0), e1 = safeline_fsk_e(y1), e2 = safeline_fsk_e(y2);
	int32_t e3 = safeline_fsk_e(y3);

	*sq = safeline_fsk_q(y0, y3, e0) + safeline_fsk_q(y1, y4, e1) +
	      safeline_fsk_q(y2, y5, e2) + safeline_fsk_q(y3, y6, e3);
	*se = e0 + e1 + e2 + e3;
}

/* Band energy at sample x[0] from x[-5..0] (the se of safeline_fsk_centre()). */
static inline int32_t safeline_fsk_box(const int16_t *x)
{
	return safeline_fsk_e(x[0] - x[-2]) + safeline_fsk_e(x[-1] - x[-3]) +
	       safeline_fsk_e(x[-2] - x[-4]) + safeline_fsk_e(x[-3] - x[-5]);
}

/*
 * Wakes the idle UART after the samples the front end slept through, as if it
 * had run on them: it saw only unclean samples. The caller rebuilds the front end.
 */
static inline void safeline_fsk_wake(struct safeline_fsk *f, uint32_t slept)
{
	if (f->unclean <= SAFELINE_FSK_UNCLEAN_MAX) {
		if (f->unclean + slept > SAFELINE_FSK_UNCLEAN_MAX) {
			f->unclean = SAFELINE_FSK_UNCLEAN_MAX + 1;
			f->mark_run = 0;
		} else {
			f->unclean += (uint16_t)slept;
		}
	}
	f->slept = 0;
}

/*
 * One sample, 13-bit linear, front end fresh. Returns a safeline_fsk_trigger
 * when a frame just completed a structure that proves a spill.
 */
static inline int safeline_fsk_step(struct safeline_fsk *f, int32_t x)
{
	f->quiet = 0;	/* only the idle scan counts quiet samples */
	safeline_fsk_front(&f->fr, x);
	return safeline_fsk_uart(f, f->fr.sq, f->fr.se);
}

#endif
