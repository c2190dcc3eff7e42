// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier (verify.h): whole-byte FSK messages from the suppressor's FSK
 * front end (fsk.h) and a UART tuned for bytes, DTMF CLIP digits from a small Goertzel bank, a
 * streaming parser that keeps only the number's digits, then a keyed hash,
 * a constant-time table lookup and a wipe. Only the outcome leaves.
 */
#include "verify.h"
#include "tones.h"

#define MS(ms) ((ms) * 8)	/* samples at 8 kHz */

/* FSK message framing (GR-30-CORE, EN 300 659-3) */
#define MSG_SDMF 0x04		/* SDMF caller ID: 8 date chars, then the number */
#define MSG_MDMF 0x80		/* MDMF call set-up */
#define PARAM_NUMBER 0x02	/* MDMF calling number */
#define SDMF_DATE_CHARS 8	/* MMDDHHMM before the SDMF number */
/* Clean mark before a type byte: 20 bits (off-hook spills send >= 55, EN 300 659-2). */
#define MSG_MARK 133
/* Idle mark allowed between bytes: the CO may add 0-16.7 ms (GR-30); 30 bits. */
#define MSG_GAP 200
/* 10 samples of an 8-bit frame: an all-ones glitch frame inside a mark is more mark */
#define FRAME_SAMPLES 67
/*
 * UART: each bit is decided on the sum of the soft bits at 3 samples around
 * its centre, plus 1/8 of their band energy: that bias moves the mark/space
 * threshold from 0 towards the middle of the two tones' discriminator outputs
 * (V.23's 2100 Hz space gives only +0.23, fsk.h). The first decision falls
 * 2 thirds + 1 sample after the suppressor's first bit centre (fsk.h).
 * Chosen on an eye test like the suppressor's: 4,000 random bytes per case
 * from spandsp's modem, 20 dB SNR, carrier and bit rate at +-0.5 % and
 * +-1.5 %: byte errors 0 (Bell 202) and 0 / 5 (V.23); the suppressor's
 * single-point decision gave 70 per 4,000 for V.23 already at 25 dB, +-0.5 %.
 */
#define UART_FIRST_THIRDS (SAFELINE_FSK_START_THIRDS + 1 + 3)
#define UART_BIAS_SHIFT 3
#define FRAME_DONE 0x100	/* uart_step(): a frame ended, byte in the low 8 bits */
#define FRAME_STOP 0x200	/* ... and its stop bit was a mark */

/* Mark tone blocks: 160 samples (20 ms, 50 Hz bins) split 1200 from 1300 Hz. */
#define MARK_BLOCK 160
#define COEF_1200 19261		/* 2 cos(2 pi 1200 / 8000) Q14: Bell 202 mark (GR-30) */
#define COEF_1300 17121		/* 2 cos(2 pi 1300 / 8000) Q14: V.23 mark (ITU-T V.23) */
/* Below this block energy (about -46 dBm0 on 13-bit samples) no tone is judged. */
#define BLOCK_FLOOR_PER_SAMPLE 100

/* DTMF (ITU-T Q.23/Q.24): 102-sample blocks, spandsp's and Asterisk's size */
#define DTMF_BLOCK 102
/* Shares of the block energy in 1/256 (a lone tone on frequency has 256). */
#define DTMF_TONE_SHARE 26	/* 0.10 each: twist up to ~9 dB (Q.24 allows +8/-4) */
#define DTMF_PAIR_SHARE 180	/* 0.70 together: noise at 20 dB SNR takes 0.01, speech far more */
#define DTMF_RIVAL 4		/* the runner-up row (column) holds <= 1/4 of the best */
#define DTMF_RELEASE 2		/* blocks without the digit before it may repeat (gap >= 50 ms) */
/*
 * A CLIP sequence whose symbols stop for 500 ms is abandoned and its digits
 * wiped: senders put a digit every 100-140 ms (Lantiq, bcm63xx: 70/70 ms;
 * receivers need >= 50 ms gaps, <= 10 digits/s, Q.24).
 */
#define DTMF_TIMEOUT MS(500)

enum dtmf_frame {
	DTMF_IDLE = 0,
	DTMF_NUMBER,		/* after A: the number */
	DTMF_DSTART,		/* after a leading D: D<number>C, or D1#/D2#/D3# */
	DTMF_REDIRECT,		/* after D inside A...: redirecting number, not kept */
	DTMF_INFO,		/* after B: information code (00 unavailable, 10 restricted) */
};

/* Q.23 keypad, rows 697/770/852/941 Hz by columns 1209/1336/1477/1633 Hz */
static const char dtmf_symbols[4][4] = {
	{ '1', '2', '3', 'A' },
	{ '4', '5', '6', 'B' },
	{ '7', '8', '9', 'C' },
	{ '*', '0', '#', 'D' },
};

/* Goertzel coefficients, from the tone detector's table (tones.c) */
static const uint8_t dtmf_bins[8] = {
	SAFELINE_BIN_697, SAFELINE_BIN_770, SAFELINE_BIN_852, SAFELINE_BIN_941,
	SAFELINE_BIN_1209, SAFELINE_BIN_1336, SAFELINE_BIN_1477, SAFELINE_BIN_1633,
};

/* A store loop the compiler may not drop as dead, unlike a plain memset before return. */
static void verify_wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* 1 when h is in the table; the same work and no branch on the data whatever h is. */
static uint64_t verify_in_table(const struct safeline_verify *v, uint64_t h)
{
	uint64_t hit = 0, d;
	unsigned int i;

	for (i = 0; i < SAFELINE_VERIFY_HASHES; i++) {
		d = v->hashes[i] ^ h;
		hit |= (((d | (0 - d)) >> 63) ^ 1) & (uint64_t)(i < v->nhashes);
	}
	return hit;
}

/* Hash the number (and its last suffix_digits digits) and look both up. */
static int verify_classify(const struct safeline_verify *v, const uint8_t *digits,
			   unsigned int n, int overflow)
{
	uint64_t hit;

	if (overflow || !n)
		return SAFELINE_VERIFY_NOT_OURS;
	hit = verify_in_table(v, safeline_siphash24(v->key, digits, n));
	if (v->suffix_digits && n > v->suffix_digits)
		hit |= verify_in_table(v, safeline_siphash24(v->key, digits + n - v->suffix_digits,
							      v->suffix_digits));
	return hit ? SAFELINE_VERIFY_OURS : SAFELINE_VERIFY_NOT_OURS;
}

static void verify_report(struct safeline_verify *v, int outcome, int kind)
{
	struct safeline_verify_report r = {
		.outcome = (uint8_t)outcome,
		.kind = (uint8_t)kind,
		.sample = v->pos,
	};

	if (v->report)
		v->report(v->user, &r);
}

/* Keep a digit of the number; anything else ('+', '-', spaces) is not part of it. */
static void verify_keep(uint8_t *digits, uint8_t *n, uint8_t *overflow, uint8_t c)
{
	if (c < '0' || c > '9')
		return;
	if (*n < SAFELINE_VERIFY_DIGITS)
		digits[(*n)++] = c;
	else
		*overflow = 1;
}

/* FSK: forget the message in progress, digits first. */
static void fsk_forget(struct safeline_verify *v)
{
	verify_wipe(v->digits, sizeof(v->digits));
	verify_wipe(&v->uart.shift, sizeof(v->uart.shift));
	v->ndigits = v->overflow = 0;
	v->type = v->sum = v->left = v->at = v->param = v->param_left = 0;
	v->msg = SAFELINE_VERIFY_MSG_IDLE;
}

static void fsk_done(struct safeline_verify *v)
{
	int kind = v->type == MSG_SDMF ?
		(v->v23 ? SAFELINE_VERIFY_V23_SDMF : SAFELINE_VERIFY_BELL202_SDMF) :
		(v->v23 ? SAFELINE_VERIFY_V23_MDMF : SAFELINE_VERIFY_BELL202_MDMF);
	int outcome = SAFELINE_VERIFY_WITHHELD;

	/*
	 * A message without digits presents no number: SDMF 'P'/'O' in the number
	 * field, MDMF reason parameter 0x04 instead of 0x02, or neither.
	 */
	if (v->ndigits || v->overflow)
		outcome = verify_classify(v, v->digits, v->ndigits, v->overflow);
	fsk_forget(v);
	verify_report(v, outcome, kind);
}

/*
 * One body byte: SDMF is date then number; MDMF is type, length, data
 * parameters. Only the number's digits are kept; everything else passes unread.
 */
static void fsk_body(struct safeline_verify *v, uint8_t b)
{
	if (v->type == MSG_SDMF) {
		if (v->at < SDMF_DATE_CHARS)
			v->at++;
		else
			verify_keep(v->digits, &v->ndigits, &v->overflow, b);
		return;
	}
	if (v->at == 0) {
		v->param = b;
		v->at = 1;
	} else if (v->at == 1) {
		v->param_left = b;
		v->at = b ? 2 : 0;
	} else {
		if (v->param == PARAM_NUMBER)
			verify_keep(v->digits, &v->ndigits, &v->overflow, b);
		if (--v->param_left == 0)
			v->at = 0;
	}
}

/* A byte from the UART; frame holds it with SAFELINE_FSK_FRAME_* flags. */
static void fsk_byte(struct safeline_verify *v, uint16_t frame)
{
	uint8_t b = (uint8_t)frame;
	int stop = !!(frame & FRAME_STOP);
	uint16_t mark = v->mark, idle = v->idle;

	v->mark = v->idle = 0;
	if (v->msg != SAFELINE_VERIFY_MSG_IDLE && (!stop || idle > MSG_GAP))
		fsk_forget(v);	/* framing lost: the checksum could not pass anyway */
	if (v->msg == SAFELINE_VERIFY_MSG_IDLE) {
		if (stop && b == 0xFF)
			v->mark = mark + FRAME_SAMPLES;
		else if (stop && mark >= MSG_MARK && (b == MSG_SDMF || b == MSG_MDMF)) {
			v->type = b;
			v->sum = b;
			v->msg = SAFELINE_VERIFY_MSG_LENGTH;
		}
		return;
	}
	v->sum += b;
	switch (v->msg) {
	case SAFELINE_VERIFY_MSG_LENGTH:
		v->left = b;
		v->at = 0;
		v->msg = b ? SAFELINE_VERIFY_MSG_BODY : SAFELINE_VERIFY_MSG_CHECKSUM;
		break;
	case SAFELINE_VERIFY_MSG_BODY:
		fsk_body(v, b);
		if (--v->left == 0)
			v->msg = SAFELINE_VERIFY_MSG_CHECKSUM;
		break;
	default:
		/* two's complement checksum: the whole message sums to 0 mod 256 */
		if (v->sum == 0)
			fsk_done(v);
		else
			fsk_forget(v);
		break;
	}
}

/* Goertzel power of one bin at a block end (int64: 13-bit input, <= 160 samples). */
static int64_t verify_power(int32_t s1, int32_t s2, int32_t coef)
{
	int64_t a = s1, b = s2;

	return a * a + b * b - ((coef * a * b) >> 14);
}

/* power / (n * energy / 2) >= share / 256, without dividing */
static int verify_share(int64_t power, int64_t energy, int n, int share)
{
	return power * 512 >= (int64_t)share * n * energy;
}

/* Bell 202 or V.23: which mark tone held the last block that was mostly mark. */
static void mark_step(struct safeline_verify *v, int32_t x)
{
	int64_t p1200, p1300;

	safeline_goertzel(&v->m1[0], &v->m2[0], COEF_1200, x);
	safeline_goertzel(&v->m1[1], &v->m2[1], COEF_1300, x);
	v->menergy += x * x;
	if (++v->mpos < MARK_BLOCK)
		return;
	p1200 = verify_power(v->m1[0], v->m2[0], COEF_1200);
	p1300 = verify_power(v->m1[1], v->m2[1], COEF_1300);
	if (v->menergy >= (int64_t)BLOCK_FLOOR_PER_SAMPLE * MARK_BLOCK &&
	    verify_share(p1200 + p1300, v->menergy, MARK_BLOCK, 128))
		v->v23 = p1300 > p1200;
	v->m1[0] = v->m1[1] = v->m2[0] = v->m2[1] = 0;
	v->menergy = 0;
	v->mpos = 0;
}

static void dtmf_forget(struct safeline_verify_dtmf *d)
{
	verify_wipe(d->digits, sizeof(d->digits));
	d->ndigits = d->overflow = d->info = 0;
	d->frame = DTMF_IDLE;
}

static void dtmf_end(struct safeline_verify *v)
{
	struct safeline_verify_dtmf *d = &v->dtmf;
	int outcome = 0;

	if (d->ndigits || d->overflow)
		outcome = verify_classify(v, d->digits, d->ndigits, d->overflow);
	else if (d->info)
		outcome = SAFELINE_VERIFY_WITHHELD;
	dtmf_forget(d);
	if (outcome)
		verify_report(v, outcome, SAFELINE_VERIFY_DTMF);
}

/* D1# restricted, D2# international, D3# technical: no number (EN 300 659-1 annex). */
static int dtmf_d_code(const struct safeline_verify_dtmf *d)
{
	return d->frame == DTMF_DSTART && d->ndigits == 1 &&
	       d->digits[0] >= '1' && d->digits[0] <= '3' && !d->overflow;
}

/* One accepted DTMF symbol through the CLIP framing A/D...C/#, B<info>. */
static void dtmf_symbol(struct safeline_verify *v, char c)
{
	struct safeline_verify_dtmf *d = &v->dtmf;
	int digit = c >= '0' && c <= '9';

	d->quiet = 0;
	if (c == '#' && dtmf_d_code(d)) {
		dtmf_forget(d);
		verify_report(v, SAFELINE_VERIFY_WITHHELD, SAFELINE_VERIFY_DTMF);
		return;
	}
	if (d->frame != DTMF_IDLE && (c == 'C' || c == '#')) {
		dtmf_end(v);
		return;
	}
	switch (d->frame) {
	case DTMF_NUMBER:
	case DTMF_DSTART:
		if (digit) {
			verify_keep(d->digits, &d->ndigits, &d->overflow, (uint8_t)c);
			return;
		}
		break;
	case DTMF_REDIRECT:
		if (digit)
			return;
		break;
	case DTMF_INFO:
		if (digit) {
			d->info++;
			return;
		}
		break;
	}
	/* a letter: starts, or moves to, a field */
	if (c == 'A') {
		dtmf_forget(d);
		d->frame = DTMF_NUMBER;
	} else if (c == 'B') {
		if (d->frame == DTMF_IDLE)
			dtmf_forget(d);
		d->frame = DTMF_INFO;
	} else if (c == 'D') {
		if (d->frame == DTMF_NUMBER && (d->ndigits || d->overflow)) {
			d->frame = DTMF_REDIRECT;
		} else {
			dtmf_forget(d);
			d->frame = DTMF_DSTART;
		}
	}
}

/* The block's symbol: one row and one column holding the block, or -1. */
static int dtmf_block_symbol(struct safeline_verify_dtmf *d)
{
	int64_t p[8], best[2] = { 0, 0 }, rival[2] = { 0, 0 };
	int arg[2] = { 0, 0 }, i, g;

	if (d->energy < (int64_t)BLOCK_FLOOR_PER_SAMPLE * DTMF_BLOCK)
		return -1;
	for (i = 0; i < 8; i++) {
		p[i] = verify_power(d->s1[i], d->s2[i], safeline_tones_coef[dtmf_bins[i]]);
		g = i >> 2;
		if (p[i] > best[g]) {
			rival[g] = best[g];
			best[g] = p[i];
			arg[g] = i & 3;
		} else if (p[i] > rival[g]) {
			rival[g] = p[i];
		}
	}
	if (!verify_share(best[0], d->energy, DTMF_BLOCK, DTMF_TONE_SHARE) ||
	    !verify_share(best[1], d->energy, DTMF_BLOCK, DTMF_TONE_SHARE) ||
	    !verify_share(best[0] + best[1], d->energy, DTMF_BLOCK, DTMF_PAIR_SHARE) ||
	    rival[0] * DTMF_RIVAL > best[0] || rival[1] * DTMF_RIVAL > best[1])
		return -1;
	return dtmf_symbols[arg[0]][arg[1]];
}

/* A symbol counts once it fills 2 blocks in a row; it may repeat after a gap. */
static void dtmf_step(struct safeline_verify *v, int32_t x)
{
	struct safeline_verify_dtmf *d = &v->dtmf;
	int i, sym;

	for (i = 0; i < 8; i++)
		safeline_goertzel(&d->s1[i], &d->s2[i], safeline_tones_coef[dtmf_bins[i]], x);
	d->energy += x * x;
	if (d->frame != DTMF_IDLE && ++d->quiet >= DTMF_TIMEOUT)
		dtmf_forget(d);	/* a broken sequence: report nothing */
	if (++d->pos < DTMF_BLOCK)
		return;
	sym = dtmf_block_symbol(d);
	if (sym >= 0 && sym == d->cand && sym != d->held) {
		d->held = (int8_t)sym;
		d->off_blocks = 0;
		dtmf_symbol(v, (char)sym);
	} else if (d->held >= 0 && sym != d->held && ++d->off_blocks >= DTMF_RELEASE) {
		d->held = -1;
	} else if (sym == d->held) {
		d->off_blocks = 0;
	}
	d->cand = (int8_t)sym;
	for (i = 0; i < 8; i++)
		d->s1[i] = d->s2[i] = 0;
	d->energy = 0;
	d->pos = 0;
}

/* One sample through the front end and the UART; returns FRAME_DONE | ... or 0. */
static int uart_step(struct safeline_verify_uart *u, int32_t x)
{
	int32_t sq, acc;
	int bit;

	safeline_fsk_front(&u->fr, x);
	sq = u->fr.sq;
	acc = sq + u->sq1 + u->sq2 + ((u->fr.se + u->se1 + u->se2) >> UART_BIAS_SHIFT);
	u->sq2 = u->sq1;
	u->sq1 = sq;
	u->se2 = u->se1;
	u->se1 = u->fr.se;
	if (u->bitno == 0) {
		if (sq > 0 && u->fr.se >= SAFELINE_FSK_FLOOR) {
			u->bitno = 1;
			u->phase = UART_FIRST_THIRDS;
		}
		return 0;
	}
	u->phase -= 3;
	if (u->phase > 0)
		return 0;
	u->phase += SAFELINE_FSK_BIT_THIRDS;
	bit = acc < 0;	/* mark is 1 */
	if (u->bitno == 1) {
		/* a glitch, not a start bit: back to idle */
		u->bitno = bit ? 0 : 2;
		u->shift = 0;
		return 0;
	}
	if (u->bitno <= 9) {
		u->shift = (uint16_t)((u->shift >> 1) | (bit << 7));
		u->bitno++;
		return 0;
	}
	u->bitno = 0;
	return FRAME_DONE | (bit ? FRAME_STOP : 0) | (u->shift & 0xff);
}

static void verify_sample(struct safeline_verify *v, int32_t x)
{
	struct safeline_verify_uart *u = &v->uart;
	int frame = uart_step(u, x);

	if (frame) {
		fsk_byte(v, (uint16_t)frame);
	} else if (!u->bitno) {
		if (v->idle < 0xFFFF)
			v->idle++;
		if (u->fr.sq < 0 && safeline_fsk_clean_at(u->fr.sq, u->fr.se) && v->mark < 0xFFFF)
			v->mark++;
		/* a message whose bytes stopped: forget its digits now, not at the next byte */
		if (v->msg != SAFELINE_VERIFY_MSG_IDLE && v->idle > MSG_GAP)
			fsk_forget(v);
	}
	mark_step(v, x);
	dtmf_step(v, x);
	v->pos++;
}

void safeline_verify_init(struct safeline_verify *v, const struct safeline_verify_params *p)
{
	unsigned int i, n = p->nhashes < SAFELINE_VERIFY_HASHES ? p->nhashes :
			    SAFELINE_VERIFY_HASHES;

	*v = (struct safeline_verify){
		.nhashes = (uint8_t)n,
		.suffix_digits = (uint8_t)(p->suffix_digits < SAFELINE_VERIFY_DIGITS ?
					   p->suffix_digits : 0),
		.law = (uint8_t)p->law,
		.report = p->report,
		.user = p->user,
	};
	for (i = 0; i < SAFELINE_SIPHASH_KEY_BYTES; i++)
		v->key[i] = p->key[i];
	for (i = 0; i < n; i++)
		v->hashes[i] = p->hashes[i];
	v->dtmf.cand = v->dtmf.held = -1;
}

void safeline_verify_forget(struct safeline_verify *v)
{
	verify_wipe(v, sizeof(*v));
}

int safeline_verify_rx(struct safeline_verify *v, const uint8_t *buf, int len)
{
	const int16_t *table = v->law == SAFELINE_LAW_ALAW ?
		safeline_g711_alaw_to_linear : safeline_g711_ulaw_to_linear;
	int i;

	for (i = 0; i < len; i++)
		verify_sample(v, table[buf[i]] >> 3);	/* 13 bits, as the suppressor uses */
	return len;
}

int safeline_verify_rx_linear(struct safeline_verify *v, const int16_t *amp, int len)
{
	int i;

	for (i = 0; i < len; i++)
		verify_sample(v, amp[i] >> 3);
	return len;
}
