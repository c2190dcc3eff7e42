/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tone detectors on 12 ms Goertzel blocks: the 2130 + 2750 Hz dual alert tone
 * (Bellcore CAS, ETSI DT-AS, BT TAS) and DTMF CLIP framing, whose start and
 * end symbols A, B, C, D all share the 1633 Hz column. Only the 1633 and
 * 2750 Hz bins always run, on every other sample (the arming cue); once
 * 2750 Hz is heard they run on every sample with 2130 Hz, once 1633 Hz is
 * heard with the DTMF rows, during a DTMF spill with the other columns too.
 */
#ifndef SAFELINE_DSP_TONES_H
#define SAFELINE_DSP_TONES_H

#include "types.h"

/* 96 samples = 12 ms, a whole number of 8-sample DAHDI chunks; bins 83 Hz wide. */
#define SAFELINE_TONES_BLOCK 96

/* Bins, in the order of safeline_tones_coef[]; later ones run only when needed. */
enum safeline_tone_bin {
	SAFELINE_BIN_1633,	/* DTMF column of A B C D */
	SAFELINE_BIN_2750,	/* alert tone, high */
	SAFELINE_BIN_ALWAYS,	/* bins above run on every sample */
	SAFELINE_BIN_2130 = SAFELINE_BIN_ALWAYS,	/* alert tone, low: once 2750 Hz is heard */
	SAFELINE_BIN_ALERT_END,
	SAFELINE_BIN_697 = SAFELINE_BIN_ALERT_END,	/* rows: once 1633 Hz is heard */
	SAFELINE_BIN_770,
	SAFELINE_BIN_852,
	SAFELINE_BIN_941,
	SAFELINE_BIN_ROWS_END,
	SAFELINE_BIN_1209 = SAFELINE_BIN_ROWS_END,	/* other columns: during a DTMF spill */
	SAFELINE_BIN_1336,
	SAFELINE_BIN_1477,
	SAFELINE_BIN_COUNT,
};

enum safeline_tones_result {
	SAFELINE_TONES_NONE = 0,
	SAFELINE_TONES_ALERT = 1,	/* dual alert tone confirmed */
	SAFELINE_TONES_DTMF_START = 2,	/* a 1633 Hz column symbol confirmed */
	SAFELINE_TONES_DTMF = 4,	/* some DTMF digit present in this block (spill mode) */
};

struct safeline_tones {
	int32_t s1[SAFELINE_BIN_COUNT];	/* Goertzel state, previous sample */
	int32_t s2[SAFELINE_BIN_COUNT];	/* Goertzel state, two samples back */
	uint32_t energy;	/* sum of x^2 over the block (the cue: 2x its even samples), < 2^31 */
	uint32_t pos;		/* samples into the block */
	uint8_t bins;		/* bins running in this block */
	uint8_t alert_blocks;	/* consecutive blocks holding both alert tones */
	uint8_t high_seen;	/* previous block had a strong 2750 Hz: run 2130 Hz */
	uint8_t column_blocks;	/* consecutive blocks holding 1633 Hz + a row */
	uint8_t column_seen;	/* previous block had a strong 1633 Hz: run the rows */
	uint8_t row;		/* row bin of the start symbol being confirmed */
	uint8_t spill;		/* a DTMF spill is open: run all DTMF bins */
};

/* 2 cos(2 pi f / 8000) in Q14, one per bin (frequencies: GR-30-CORE, Q.23). */
#define SAFELINE_COEF_1633 9315		/* 1633 Hz, DTMF column 4: A B C D (Q.23) */
#define SAFELINE_COEF_2750 (-18205)	/* 2750 Hz, alert tone (GR-30 CAS, EN 300 659 DT-AS) */
extern const int32_t safeline_tones_coef[SAFELINE_BIN_COUNT];

/*
 * The arming cue. While nothing is armed (bins == SAFELINE_BIN_ALWAYS), the
 * 1633 and 2750 Hz bins run on the block's even samples only, half the work:
 * at 4 kHz, 2750 Hz aliases to 1250 Hz and 1633 Hz stays (bins as wide as at
 * 8 kHz); the block energy is twice that of the even samples (the same for
 * any tone more than ~85 Hz from 0, 2 and 4 kHz). The cue only arms the full
 * bins for the next block, at a lower share than the full bins need, so it
 * fires whenever they would; aliases (1250 Hz for 2750, 2367 Hz for 1633) can
 * only arm more often, which costs time, not detections. 2 cos(2 pi f / 4000)
 * in Q14.
 */
#define SAFELINE_CUE_1633 (-27472)	/* 1633 Hz at 4 kHz */
#define SAFELINE_CUE_2750 (-12540)	/* 2750 Hz seen as 1250 Hz at 4 kHz */

/*
 * A DTMF spill (bins == SAFELINE_BIN_COUNT) only asks whether digits keep
 * coming: every bin runs on the block's even samples (the DTMF tones lie
 * under 2 kHz; 2130 and 2750 Hz alias to 1870 and 1250 Hz, clear of them), the
 * block energy on all samples. 2 cos(2 pi f / 4000) in Q14, one per bin.
 */
extern const int32_t safeline_tones_spill_coef[SAFELINE_BIN_COUNT];

void safeline_tones_init(struct safeline_tones *t);
int safeline_tones_block(struct safeline_tones *t);

/* A fresh block's sums: every bin's Goertzel state and the energy at 0. */
static inline void safeline_tones_clear(struct safeline_tones *t)
{
	unsigned int i;

	for (i = 0; i < SAFELINE_BIN_COUNT; i++)
		t->s1[i] = t->s2[i] = 0;
	t->energy = 0;
}

/*
 * Forgets the current block and what was armed, keeping the block position:
 * an open FSK spill runs no tone detector, and what accumulated in it is noise.
 */
static inline void safeline_tones_restart(struct safeline_tones *t)
{
	safeline_tones_clear(t);
	t->bins = SAFELINE_BIN_ALWAYS;
	t->alert_blocks = 0;
	t->high_seen = 0;
	t->column_blocks = 0;
	t->column_seen = 0;
}

/* n samples through no detector: only the block position moves on. */
static inline void safeline_tones_pass(struct safeline_tones *t, uint32_t n)
{
	t->pos = (t->pos + n) % SAFELINE_TONES_BLOCK;
}

static inline void safeline_goertzel(int32_t *s1, int32_t *s2, int32_t coef, int32_t x)
{
	int32_t s = x + (int32_t)(((int64_t)coef * *s1) >> 14) - *s2;

	*s2 = *s1;
	*s1 = s;
}

/*
 * The bins armed beyond the always-on ones (t->bins), over n samples of the
 * current block, two bins at a time (coefficients as constants): the bins
 * cannot change inside a block.
 * The caller runs the always-on bins, the energy and the block position.
 */
void safeline_tones_armed(struct safeline_tones *t, const int16_t *x, int n);
/* Every bin in a DTMF spill's block (safeline_tones_spill_coef), energy and position too. */
void safeline_tones_spill(struct safeline_tones *t, const int16_t *x, int n);

#endif
