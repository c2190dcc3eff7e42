// SPDX-License-Identifier: GPL-2.0
/*
 * Block decisions for the alert-tone and DTMF CLIP detectors (tones.h): once
 * per 12 ms, compares each bin's power with the block's total energy, so the
 * thresholds hold at any level and reject speech, which spreads its energy.
 */
#include "tones.h"

#define COEF_2130 (-3340)	/* 2130 Hz, alert tone (GR-30 CAS, EN 300 659 DT-AS) */
#define COEF_697 27980		/* 697 Hz, DTMF row 1 (Q.23) */
#define COEF_770 26956		/* 770 Hz, DTMF row 2 */
#define COEF_852 25701		/* 852 Hz, DTMF row 3 */
#define COEF_941 24219		/* 941 Hz, DTMF row 4 */
#define COEF_1209 19073		/* 1209 Hz, DTMF column 1 */
#define COEF_1336 16325		/* 1336 Hz, DTMF column 2 */
#define COEF_1477 13085		/* 1477 Hz, DTMF column 3 */

const int32_t safeline_tones_coef[SAFELINE_BIN_COUNT] = {
	[SAFELINE_BIN_1633] = SAFELINE_COEF_1633,
	[SAFELINE_BIN_2750] = SAFELINE_COEF_2750,
	[SAFELINE_BIN_2130] = COEF_2130,
	[SAFELINE_BIN_697] = COEF_697,
	[SAFELINE_BIN_770] = COEF_770,
	[SAFELINE_BIN_852] = COEF_852,
	[SAFELINE_BIN_941] = COEF_941,
	[SAFELINE_BIN_1209] = COEF_1209,
	[SAFELINE_BIN_1336] = COEF_1336,
	[SAFELINE_BIN_1477] = COEF_1477,
};

/* The same at 4 kHz, for a DTMF spill's half-rate bins (tones.h) */
#define SPILL_2130 (-32087)	/* seen as 1870 Hz */
#define SPILL_697 15014
#define SPILL_770 11583
#define SPILL_852 7549
#define SPILL_941 3032
#define SPILL_1209 (-10565)
#define SPILL_1336 (-16503)
#define SPILL_1477 (-22318)

const int32_t safeline_tones_spill_coef[SAFELINE_BIN_COUNT] = {
	[SAFELINE_BIN_1633] = SAFELINE_CUE_1633,
	[SAFELINE_BIN_2750] = SAFELINE_CUE_2750,
	[SAFELINE_BIN_2130] = SPILL_2130,
	[SAFELINE_BIN_697] = SPILL_697,
	[SAFELINE_BIN_770] = SPILL_770,
	[SAFELINE_BIN_852] = SPILL_852,
	[SAFELINE_BIN_941] = SPILL_941,
	[SAFELINE_BIN_1209] = SPILL_1209,
	[SAFELINE_BIN_1336] = SPILL_1336,
	[SAFELINE_BIN_1477] = SPILL_1477,
};

/*
 * Shares of the block energy, in 1/256. A tone exactly on a bin and alone has
 * share 256, each of two equal tones 128; +-1.5 % off frequency costs ~25 %.
 */
#define TONE_SHARE_MIN 31	/* 0.12: each alert tone, twist up to ~7 dB (SIN 227: +-7 dB) */
#define DTMF_SHARE_MIN 51	/* 0.20: each DTMF tone, twist +8/-4 dB (Q.24) */
#define PAIR_SHARE_MIN 128	/* 0.50: the pair together; speech spreads far wider */
#define START_PAIR_MIN 166	/* 0.65: a start symbol's pair, stricter: it opens a spill */
/* A start symbol has one row: the runner-up row holds at most a quarter of the best one. */
#define ROW_DOMINANCE 4
/*
 * The cue's shares (its power times 4: half the samples): half of what the
 * full bins need to arm, so a tone that would arm them arms the cue too.
 */
#define CUE_TONE_MIN (TONE_SHARE_MIN / 2)
#define CUE_DTMF_MIN (DTMF_SHARE_MIN / 2)
/* Below this block energy (about -50 dBm0) nothing is a tone. */
#define TONES_ENERGY_FLOOR 3000
/*
 * Consecutive blocks after arming: alert 36 ms (CAS 75-85 ms; SIN 227 rejects
 * <= 20 ms), column 24 ms. Arming costs one more block (12 ms) of the tone.
 */
#define ALERT_BLOCKS 3
#define COLUMN_BLOCKS 2

void safeline_tones_init(struct safeline_tones *t)
{
	*t = (struct safeline_tones){ .bins = SAFELINE_BIN_ALWAYS };
}

/* One or two bins over x[0..n) (cb 0: one), coefficients as constants. */
static inline __attribute__((always_inline)) void
tones_run(struct safeline_tones *t, const int16_t *x, int n, unsigned int b,
	  const int64_t ca, const int64_t cb)
{
	int64_t a1 = t->s1[b], a2 = t->s2[b], b1 = 0, b2 = 0;
	int i;

	if (cb) {
		b1 = t->s1[b + 1];
		b2 = t->s2[b + 1];
	}
	for (i = 0; i + 1 < n; i += 2) {
		int64_t v0 = x[i], v1 = x[i + 1];

		a2 = v0 + ((ca * a1) >> 14) - a2;
		a1 = v1 + ((ca * a2) >> 14) - a1;
		if (cb) {
			b2 = v0 + ((cb * b1) >> 14) - b2;
			b1 = v1 + ((cb * b2) >> 14) - b1;
		}
	}
	if (i < n) {
		int64_t v = x[i], sa = v + ((ca * a1) >> 14) - a2;

		a2 = a1;
		a1 = sa;
		if (cb) {
			int64_t sb = v + ((cb * b1) >> 14) - b2;

			b2 = b1;
			b1 = sb;
		}
	}
	t->s1[b] = (int32_t)a1;
	t->s2[b] = (int32_t)a2;
	if (cb) {
		t->s1[b + 1] = (int32_t)b1;
		t->s2[b + 1] = (int32_t)b2;
	}
}

void safeline_tones_armed(struct safeline_tones *t, const int16_t *x, int n)
{
	if (t->bins <= SAFELINE_BIN_ALWAYS || t->bins == SAFELINE_BIN_COUNT)
		return;
	if (t->bins == SAFELINE_BIN_ALERT_END) {
		tones_run(t, x, n, SAFELINE_BIN_2130, COEF_2130, 0);
		return;
	}
	tones_run(t, x, n, SAFELINE_BIN_2130, COEF_2130, COEF_697);
	tones_run(t, x, n, SAFELINE_BIN_770, COEF_770, COEF_852);
	if (t->bins == SAFELINE_BIN_ROWS_END) {
		tones_run(t, x, n, SAFELINE_BIN_941, COEF_941, 0);
		return;
	}
	tones_run(t, x, n, SAFELINE_BIN_941, COEF_941, COEF_1209);
	tones_run(t, x, n, SAFELINE_BIN_1336, COEF_1336, COEF_1477);
}

/*
 * One bin over the m even samples in e[]: two at a time, so the Goertzel
 * history renames itself (no moves), as the always-on bins do.
 */
static inline __attribute__((always_inline)) void
tones_run_even(struct safeline_tones *t, const int32_t *e, int m, unsigned int b,
	       const int64_t coef)
{
	int64_t s1 = t->s1[b], s2 = t->s2[b], s;
	int i;

	for (i = 0; i + 1 < m; i += 2) {
		s2 = e[i] + ((coef * s1) >> 14) - s2;
		s1 = e[i + 1] + ((coef * s2) >> 14) - s1;
	}
	if (i < m) {
		s = e[i] + ((coef * s1) >> 14) - s2;
		s2 = s1;
		s1 = s;
	}
	t->s1[b] = (int32_t)s1;
	t->s2[b] = (int32_t)s2;
}

/* All bins of a DTMF spill over the m even samples in e[]. */
static inline __attribute__((always_inline)) void
tones_spill_bins(struct safeline_tones *t, const int32_t *e, int m)
{
	tones_run_even(t, e, m, SAFELINE_BIN_1633, SAFELINE_CUE_1633);
	tones_run_even(t, e, m, SAFELINE_BIN_2750, SAFELINE_CUE_2750);
	tones_run_even(t, e, m, SAFELINE_BIN_2130, SPILL_2130);
	tones_run_even(t, e, m, SAFELINE_BIN_697, SPILL_697);
	tones_run_even(t, e, m, SAFELINE_BIN_770, SPILL_770);
	tones_run_even(t, e, m, SAFELINE_BIN_852, SPILL_852);
	tones_run_even(t, e, m, SAFELINE_BIN_941, SPILL_941);
	tones_run_even(t, e, m, SAFELINE_BIN_1209, SPILL_1209);
	tones_run_even(t, e, m, SAFELINE_BIN_1336, SPILL_1336);
	tones_run_even(t, e, m, SAFELINE_BIN_1477, SPILL_1477);
}

void safeline_tones_spill(struct safeline_tones *t, const int16_t *x, int n)
{
	SAFELINE_SCRATCH int32_t e[32];	/* the even samples (by block position) of at most 64 */
	uint32_t energy = t->energy;
	int i, m = 0;

	if (n == 8) {
		/* DAHDI's chunk, unrolled */
		const int16_t *v = x + (t->pos & 1);

		e[0] = v[0];
		e[1] = v[2];
		e[2] = v[4];
		e[3] = v[6];
		energy += (uint32_t)(x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3] +
				     x[4] * x[4] + x[5] * x[5] + x[6] * x[6] + x[7] * x[7]);
		tones_spill_bins(t, e, 4);
	} else {
		for (i = (int)(t->pos & 1); i < n; i += 2)
			e[m++] = x[i];
		for (i = 0; i < n; i++)
			energy += (uint32_t)(x[i] * x[i]);
		tones_spill_bins(t, e, m);
	}
	t->energy = energy;
	t->pos += (uint32_t)n;
}

static int64_t tones_power(const struct safeline_tones *t, unsigned int i)
{
	int64_t s1 = t->s1[i], s2 = t->s2[i];

	if (t->bins == SAFELINE_BIN_COUNT)
		/* half the samples: times 4 to compare with the whole block's energy */
		return 4 * (s1 * s1 + s2 * s2 - ((safeline_tones_spill_coef[i] * s1 * s2) >> 14));
	return s1 * s1 + s2 * s2 - ((safeline_tones_coef[i] * s1 * s2) >> 14);
}

/* power / (N * energy / 2) >= share / 256, without dividing */
static int tones_share(int64_t power, int64_t energy, int share)
{
	return power * 512 >= (int64_t)share * SAFELINE_TONES_BLOCK * energy;
}

static int64_t tones_max(const int64_t *p, unsigned int from, unsigned int to)
{
	int64_t m = 0;

	for (; from < to; from++)
		if (p[from] > m)
			m = p[from];
	return m;
}

static int tones_pair(int64_t a, int64_t b, int64_t energy, int each)
{
	return tones_share(a, energy, each) && tones_share(b, energy, each) &&
	       tones_share(a + b, energy, PAIR_SHARE_MIN);
}

/*
 * A/B/C/D: 1633 Hz with exactly one row tone, the pair holding most of the
 * block. Returns the row's bin, or -1.
 */
static int tones_start_row(const int64_t *p, int64_t energy)
{
	unsigned int i, best = SAFELINE_BIN_697;
	int64_t second = 0;

	for (i = SAFELINE_BIN_697 + 1; i < SAFELINE_BIN_ROWS_END; i++) {
		if (p[i] > p[best]) {
			second = p[best];
			best = i;
		} else if (p[i] > second) {
			second = p[i];
		}
	}
	if (!tones_pair(p[SAFELINE_BIN_1633], p[best], energy, DTMF_SHARE_MIN) ||
	    !tones_share(p[SAFELINE_BIN_1633] + p[best], energy, START_PAIR_MIN) ||
	    second * ROW_DOMINANCE > p[best])
		return -1;
	return (int)best;
}

static int64_t tones_cue_power(const struct safeline_tones *t, unsigned int i, int64_t coef)
{
	int64_t s1 = t->s1[i], s2 = t->s2[i];

	return 4 * (s1 * s1 + s2 * s2 - ((coef * s1 * s2) >> 14));
}

/* A block of the cue alone: only whether to arm the full bins. */
static void tones_cue_block(struct safeline_tones *t)
{
	int64_t energy = t->energy;

	t->alert_blocks = 0;
	t->column_blocks = 0;
	t->high_seen = energy >= TONES_ENERGY_FLOOR &&
		tones_share(tones_cue_power(t, SAFELINE_BIN_2750, SAFELINE_CUE_2750), energy,
			    CUE_TONE_MIN);
	t->column_seen = energy >= TONES_ENERGY_FLOOR &&
		tones_share(tones_cue_power(t, SAFELINE_BIN_1633, SAFELINE_CUE_1633), energy,
			    CUE_DTMF_MIN);
}

/* End of a 12 ms block: decide, then choose the bins for the next block. */
int safeline_tones_block(struct safeline_tones *t)
{
	int64_t p[SAFELINE_BIN_COUNT];
	int64_t energy = t->energy;
	unsigned int i;
	int res = SAFELINE_TONES_NONE;
	int row, column;

	if (t->bins == SAFELINE_BIN_ALWAYS) {
		/* no tone can be decided on the cue (nothing was armed): arm or not */
		tones_cue_block(t);
		goto next;
	}
	for (i = 0; i < SAFELINE_BIN_COUNT; i++)
		p[i] = i < t->bins ? tones_power(t, i) : 0;
	if (energy < TONES_ENERGY_FLOOR) {
		/* too quiet to be a tone: nothing passes a share test */
		for (i = 0; i < SAFELINE_BIN_COUNT; i++)
			p[i] = 0;
		energy = TONES_ENERGY_FLOOR;
	}

	if (t->bins > SAFELINE_BIN_2130 &&
	    tones_pair(p[SAFELINE_BIN_2130], p[SAFELINE_BIN_2750], energy, TONE_SHARE_MIN)) {
		if (++t->alert_blocks == ALERT_BLOCKS)
			res |= SAFELINE_TONES_ALERT;
	} else {
		t->alert_blocks = 0;
	}
	t->high_seen = tones_share(p[SAFELINE_BIN_2750], energy, TONE_SHARE_MIN);

	column = tones_share(p[SAFELINE_BIN_1633], energy, DTMF_SHARE_MIN);
	row = t->bins >= SAFELINE_BIN_ROWS_END ? tones_start_row(p, energy) : -1;
	if (row >= 0 && (!t->column_blocks || row == t->row)) {
		t->row = (uint8_t)row;
		if (++t->column_blocks == COLUMN_BLOCKS)
			res |= SAFELINE_TONES_DTMF_START;
	} else {
		t->column_blocks = 0;
	}
	t->column_seen = column;

	if (t->spill) {
		int64_t col = tones_max(p, SAFELINE_BIN_1209, SAFELINE_BIN_COUNT);

		if (p[SAFELINE_BIN_1633] > col)
			col = p[SAFELINE_BIN_1633];
		if (tones_pair(tones_max(p, SAFELINE_BIN_697, SAFELINE_BIN_ROWS_END),
			       col, energy, DTMF_SHARE_MIN))
			res |= SAFELINE_TONES_DTMF;
	}

next:
	t->bins = t->spill ? SAFELINE_BIN_COUNT :
		  t->column_seen || t->column_blocks ? SAFELINE_BIN_ROWS_END :
		  t->high_seen || t->alert_blocks ? SAFELINE_BIN_ALERT_END :
		  SAFELINE_BIN_ALWAYS;
	safeline_tones_clear(t);
	t->pos = 0;
	return res;
}
