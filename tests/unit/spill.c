// SPDX-License-Identifier: GPL-2.0
/*
 * spandsp as the spill generator (spill.h). Each standard's preamble and
 * message layout follows cid-facts.md; the message puts the number first
 * half the time, so the first-digit margin is measured at its tightest, and
 * half the Bell 202/V.23 spills come off-frequency and off-rate.
 */
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

#include "spill.h"

#define BIT_SAMPLES (8000.0 / 1200.0)

static const char *const spill_names[SPILL_STD_COUNT] = {
	[SPILL_CLASS_SDMF] = "bell202-sdmf",
	[SPILL_CLASS_MDMF] = "bell202-mdmf",
	[SPILL_CLASS_TYPE2] = "bell202-type2-cas",
	[SPILL_CLASS_BARE] = "bell202-mark-only",
	[SPILL_CLIP_ONHOOK] = "v23-onhook",
	[SPILL_CLIP_DTAS] = "v23-dtas-seizure",
	[SPILL_CLIP_OFFHOOK] = "v23-offhook-dtas",
	[SPILL_CLIP_BARE] = "v23-mark-only",
	[SPILL_DTMF] = "dtmf-clip",
	[SPILL_JCLIP] = "jclip",
};

const char *spill_std_name(int std)
{
	return std >= 0 && std < SPILL_STD_COUNT ? spill_names[std] : "?";
}

void spill_random_digits(struct rng *r, char *out, int n)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = (char)('0' + rng_int(r, 0, 9));
	out[n] = '\0';
}

/* 2130 + 2750 Hz at -13 dBm0 each (spandsp's alert descriptor), ms long */
static size_t alert_tone(struct rng *r, int16_t *out, size_t max, int ms)
{
	tone_gen_descriptor_t *desc;
	tone_gen_state_t *gen;
	int level = rng_int(r, -16, -12);
	int twist = rng_int(r, -4, 4);
	size_t n;

	desc = tone_gen_descriptor_init(NULL, 2130, level, 2750, level + twist, ms, 0, 0, 0, 0);
	gen = tone_gen_init(NULL, desc);
	n = (size_t)tone_gen(gen, out, (int)max);
	tone_gen_free(gen);
	tone_gen_descriptor_free(desc);
	return n;
}

static size_t silence(int16_t *out, size_t max, int ms)
{
	size_t n = (size_t)ms * 8;

	if (n > max)
		n = max;
	memset(out, 0, n * sizeof(*out));
	return n;
}

/*
 * Builds a GR-30 / EN 300 659-3 message body (type, length, parameters) for
 * adsi_tx_put_message, which adds the checksum. Returns its length and sets
 * *digit_byte to the index of the number's first digit in the sent bytes.
 */
static int build_message(struct rng *r, struct spill *sp, uint8_t *msg, int sdmf, int *digit_byte)
{
	char date[9];
	int len = 0, n = sp->ndigits;
	int number_first = rng_int(r, 0, 1) && !sp->withheld;
	uint8_t reason = sp->withheld && rng_int(r, 0, 1) ? 'P' : 'O';

	spill_random_digits(r, date, 8);
	if (sdmf) {
		msg[len++] = 0x04;	/* SDMF caller ID: date then number (GR-30) */
		msg[len++] = 0;
		memcpy(msg + len, date, 8);
		len += 8;
		*digit_byte = len;
		if (sp->withheld) {
			msg[len++] = reason;
			return len;
		}
		memcpy(msg + len, sp->number, (size_t)n);
		return len + n;
	}
	msg[len++] = 0x80;	/* MDMF call set-up */
	msg[len++] = 0;
	if (!number_first) {
		msg[len++] = 0x01;
		msg[len++] = 8;
		memcpy(msg + len, date, 8);
		len += 8;
	}
	*digit_byte = len + 2;
	if (sp->withheld) {
		msg[len++] = 0x04;	/* reason for absence of number */
		msg[len++] = 1;
		msg[len++] = reason;
	} else {
		msg[len++] = 0x02;
		msg[len++] = (uint8_t)n;
		memcpy(msg + len, sp->number, (size_t)n);
		len += n;
	}
	if (number_first) {
		msg[len++] = 0x01;
		msg[len++] = 8;
		memcpy(msg + len, date, 8);
		len += 8;
	}
	if (rng_int(r, 0, 1)) {
		static const char name[] = "ANON CALLER";

		msg[len++] = 0x07;
		msg[len++] = sizeof(name) - 1;
		memcpy(msg + len, name, sizeof(name) - 1);
		len += sizeof(name) - 1;
	} else if (sp->withheld) {
		msg[len++] = 0x08;	/* reason for absence of name */
		msg[len++] = 1;
		msg[len++] = reason;
	}
	return len;
}

/*
 * The same spill through spandsp's bare FSK modem with the carrier and the bit
 * rate off by up to the standards' tolerances (GR-30 +-1 %, V.23 +-1.5 %,
 * 1200 baud +-1 %), which spandsp's ADSI transmitter cannot do. The bit
 * source below writes seizure, mark, the framed message and 5 bits of mark.
 */
struct bit_source {
	const uint8_t *msg;
	int len, seizure, mark, pos;	/* pos counts bits sent */
};

static int bit_source_get(void *user)
{
	struct bit_source *b = user;
	int n = b->pos++, byte, bit;

	if (n < b->seizure)
		return n & 1;
	n -= b->seizure;
	if (n < b->mark)
		return 1;
	n -= b->mark;
	byte = n / 10;
	bit = n % 10;
	if (byte < b->len)
		return bit == 0 ? 0 : bit == 9 ? 1 : (b->msg[byte] >> (bit - 1)) & 1;
	if (n < b->len * 10 + 5)
		return 1;
	return SIG_STATUS_END_OF_DATA;
}

static size_t fsk_spill_offset(struct rng *r, int standard, uint8_t *msg, int len, int sum_error,
			       int seizure, int mark, int16_t *out, size_t max, double *bit_samples)
{
	double tol = standard == ADSI_STANDARD_CLASS ? 0.01 : 0.015;
	double f = 1.0 + rng_real(r, -tol, tol), baud = 1200.0 * (1.0 + rng_real(r, -0.01, 0.01));
	fsk_spec_t spec = {
		.name = "offset",
		.freq_zero = (int)(f * (standard == ADSI_STANDARD_CLASS ? 2200 : 2100)),
		.freq_one = (int)(f * (standard == ADSI_STANDARD_CLASS ? 1200 : 1300)),
		.tx_level = -14,
		.min_level = -30,
		.baud_rate = (int)(baud * 100),
	};
	struct bit_source b = { .msg = msg, .len = len + 1, .seizure = seizure, .mark = mark };
	fsk_tx_state_t *tx;
	size_t n = 0, total;
	int i, got, sum = 0;

	msg[1] = (uint8_t)(len - 2);
	for (i = 0; i < len; i++)
		sum += msg[i];
	msg[len] = (uint8_t)(-sum + sum_error);	/* GR-30 checksum: the whole message sums to 0 */
	*bit_samples = 8000.0 * 100 / spec.baud_rate;
	total = (size_t)((seizure + mark + 10 * b.len + 6) * *bit_samples) + 8;
	if (total > max)
		total = max;
	tx = fsk_tx_init(NULL, &spec, bit_source_get, &b);
	while (n < total && (got = fsk_tx(tx, out + n, (int)(total - n > 160 ? 160 : total - n))) > 0)
		n += (size_t)got;
	fsk_tx_free(tx);
	return n;
}

/* Runs spandsp's ADSI transmitter to the end of its message. */
static size_t fsk_spill(int standard, const uint8_t *msg, int len, int seizure, int mark,
			int16_t *out, size_t max)
{
	adsi_tx_state_t *tx = adsi_tx_init(NULL, standard);
	size_t n = 0;
	int got;

	adsi_tx_set_preamble(tx, seizure, mark, 5, -1);
	adsi_tx_put_message(tx, msg, len);
	while (n < max && (got = adsi_tx(tx, out + n, (int)(max - n > 160 ? 160 : max - n))) > 0)
		n += (size_t)got;
	adsi_tx_free(tx);
	return n;
}

static size_t dtmf_spill(struct rng *r, struct spill *sp, int16_t *out, size_t max)
{
	static const char *const frames[][2] = { { "A", "C" }, { "A", "#" }, { "D", "C" } };
	static const char *const withheld[] = { "B00C", "B10C", "B01C", "D1#", "D2#", "D3#", "AB10C" };
	const char *const *f = frames[rng_int(r, 0, 2)];
	int on = rng_int(r, 50, 70), off = rng_int(r, 55, 80);
	dtmf_tx_state_t *tx = dtmf_tx_init(NULL);
	char digits[32];
	size_t n = 0;
	int got;

	if (sp->fault == SPILL_UNFRAMED)
		snprintf(digits, sizeof(digits), "%s", sp->number);
	else if (sp->fault == SPILL_UNTERMINATED)
		snprintf(digits, sizeof(digits), "A%s", sp->number);
	else if (sp->withheld)
		snprintf(digits, sizeof(digits), "%s", withheld[rng_int(r, 0, 6)]);
	else
		snprintf(digits, sizeof(digits), "%s%s%s", f[0], sp->number, f[1]);
	if (!sp->withheld && !sp->fault)	/* 5 ms into the end symbol */
		sp->complete = (size_t)(1 + sp->ndigits) * (size_t)(on + off) * 8 + 40;
	dtmf_tx_set_timing(tx, on, off);
	dtmf_tx_set_level(tx, rng_int(r, -12, -6), rng_int(r, -2, 2));
	dtmf_tx_put(tx, digits, -1);
	while (n < max && (got = dtmf_tx(tx, out + n, (int)(max - n > 160 ? 160 : max - n))) > 0)
		n += (size_t)got;
	dtmf_tx_free(tx);
	sp->digit = (size_t)(on + off) * 8;	/* one start symbol before the first digit */
	memset(digits, 0, sizeof(digits));
	return n;
}

static size_t jclip_spill(struct spill *sp, int16_t *out, size_t max)
{
	uint8_t msg[64];
	int len = 0;

	msg[len++] = 0x40;	/* NTT service type 1 */
	msg[len++] = 0;
	msg[len++] = 0x02;	/* caller number */
	msg[len++] = (uint8_t)sp->ndigits;
	memcpy(msg + len, sp->number, (size_t)sp->ndigits);
	len += sp->ndigits;
	/* DLE SOH hdr DLE STX type len 0x02 n: 9 chars of 1 + 8 + 4 stop bits before the number */
	sp->digit = (size_t)((75 + 9 * 13) * BIT_SAMPLES);
	return fsk_spill(ADSI_STANDARD_JCLIP, msg, len, 0, 75, out, max);
}

size_t spill_make(struct spill *sp, struct rng *r, int16_t *out, size_t max)
{
	uint8_t msg[128];
	int seizure = 0, mark = 0, standard = ADSI_STANDARD_CLIP;
	int alert_ms = 0, pause_ms = 0, sdmf = 0, len, digit_byte = 0;
	double bit = BIT_SAMPLES;
	size_t n = 0, fsk_start;

	if (!sp->given) {
		sp->ndigits = rng_int(r, 6, 15);
		spill_random_digits(r, sp->number, sp->ndigits);
	}
	sp->complete = 0;
	switch (sp->std) {
	case SPILL_DTMF:
		sp->end = dtmf_spill(r, sp, out, max);
		return sp->end;
	case SPILL_JCLIP:
		sp->end = jclip_spill(sp, out, max);
		return sp->end;
	case SPILL_CLASS_SDMF:
		sdmf = 1;
		/* fall through */
	case SPILL_CLASS_MDMF:
		standard = ADSI_STANDARD_CLASS;
		seizure = 300;
		mark = 180;
		break;
	case SPILL_CLASS_TYPE2:
		standard = ADSI_STANDARD_CLASS;
		alert_ms = rng_int(r, 75, 85);
		pause_ms = rng_int(r, 60, 400);
		mark = rng_int(r, 55, 80);
		break;
	case SPILL_CLASS_BARE:
		standard = ADSI_STANDARD_CLASS;
		mark = rng_int(r, 55, 180);
		break;
	case SPILL_CLIP_ONHOOK:
		seizure = 300;
		mark = rng_int(r, 155, 205);
		break;
	case SPILL_CLIP_DTAS:
		alert_ms = rng_int(r, 88, 110);
		pause_ms = rng_int(r, 45, 300);
		seizure = rng_int(r, 96, 300);
		mark = rng_int(r, 55, 180);
		break;
	case SPILL_CLIP_OFFHOOK:
		alert_ms = rng_int(r, 80, 85);
		pause_ms = rng_int(r, 50, 300);
		mark = rng_int(r, 55, 105);
		break;
	case SPILL_CLIP_BARE:
		mark = rng_int(r, 55, 105);
		break;
	}
	if (alert_ms) {
		n += alert_tone(r, out, max, alert_ms);
		n += silence(out + n, max - n, pause_ms);
	}
	len = build_message(r, sp, msg, sdmf, &digit_byte);
	fsk_start = n;
	/* spandsp's ADSI transmitter sums the message right, at nominal frequency and rate */
	if (!sp->off_nominal && sp->fault != SPILL_BAD_CHECKSUM && rng_int(r, 0, 1))
		n += fsk_spill(standard, msg, len, seizure, mark, out + n, max - n);
	else
		n += fsk_spill_offset(r, standard, msg, len,
				      sp->fault == SPILL_BAD_CHECKSUM ? rng_int(r, 1, 255) : 0,
				      seizure, mark, out + n, max - n, &bit);
	memset(msg, 0, sizeof(msg));
	/* start bit of the first digit, counted from the modem's first bit (errs early, never late) */
	sp->digit = fsk_start + (size_t)((seizure + mark + 10 * digit_byte) * bit);
	/* 3 bits into the checksum: every byte before it is in */
	if (!sp->withheld && !sp->fault)
		sp->complete = fsk_start + (size_t)((seizure + mark + 10 * len + 3) * bit);
	sp->end = n;
	return n;
}
