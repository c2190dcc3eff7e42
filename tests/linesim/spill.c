/* SPDX-License-Identifier: GPL-2.0 */
/* One caller-ID spill as linear audio, generated with spandsp's transmitters. Also records
 * where the number's digits lie, so tests can damage exactly those samples. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "number.h"
#include "spandsp_parts.h"
#include "spill.h"

#define MS(ms)		((ms) * (SPILL_RATE / 1000))
#define BIT_SAMPLES(b)	((b) * SPILL_RATE / 1200)	/* 1200 bit/s FSK */
#define ALERT_LOW_HZ	2130	/* CAS / DT-AS / TAS pair (cid-facts §0) */
#define ALERT_HIGH_HZ	2750
#define ALERT_DBM0	-13	/* per tone, spandsp's alert level */
#define DTMF_ON_MS	70	/* Lantiq and bcm63xx CLIP timing (cid-facts §2.5) */
#define DTMF_OFF_MS	70

static int add_silence(struct spill *sp, int samples)
{
	if (sp->len + samples > SPILL_MAX)
		return -ENOSPC;
	memset(sp->amp + sp->len, 0, samples * sizeof(sp->amp[0]));
	sp->len += samples;
	return 0;
}

static int add_alert(struct spill *sp, int ms)
{
	tone_gen_descriptor_t *desc;
	tone_gen_state_t *gen;
	int want = MS(ms), got;

	if (sp->len + want > SPILL_MAX)
		return -ENOSPC;
	desc = tone_gen_descriptor_init(NULL, ALERT_LOW_HZ, ALERT_DBM0, ALERT_HIGH_HZ,
					ALERT_DBM0, ms, 0, 0, 0, 0);
	if (!desc)
		return -ENOMEM;
	gen = tone_gen_init(NULL, desc);
	if (!gen) {
		tone_gen_descriptor_free(desc);
		return -ENOMEM;
	}
	got = tone_gen(gen, sp->amp + sp->len, want);
	tone_gen_free(gen);
	tone_gen_descriptor_free(desc);
	if (got != want)
		return -EIO;
	sp->len += want;
	return 0;
}

/* What a withheld spill sends instead of digits: 'P', private (GR-30 SDMF, EN 300 659-3 0x04). */
#define WITHHELD_REASON "P"

/*
 * Lay out the message; *number_at is the byte index of the number's first digit. A NULL
 * number withholds it: SDMF 'P' in the number field, MDMF a reason parameter instead.
 */
static int fsk_message(const struct std *std, adsi_tx_state_t *tx, const char *number,
		       const char *date, uint8_t *msg, int *number_at)
{
	int n = number ? (int)strlen(number) : 0;
	int len;

	if (!number && std->msg == STD_MSG_SDMF) {
		len = adsi_add_field(tx, msg, -1, CLASS_SDMF_CALLERID, NULL, 0);
		len = adsi_add_field(tx, msg, len, 0, (const uint8_t *)date, 8);
		*number_at = len;
		return adsi_add_field(tx, msg, len, 0, (const uint8_t *)WITHHELD_REASON, 1);
	}
	if (!number) {
		len = adsi_add_field(tx, msg, -1, CLASS_MDMF_CALLERID, NULL, 0);
		len = adsi_add_field(tx, msg, len, MCLASS_DATETIME, (const uint8_t *)date, 8);
		*number_at = len + 2;
		len = adsi_add_field(tx, msg, len, MCLASS_ABSENCE1, (const uint8_t *)WITHHELD_REASON, 1);
		return adsi_add_field(tx, msg, len, MCLASS_CALLER_NAME, (const uint8_t *)SPILL_NAME,
				      (int)strlen(SPILL_NAME));
	}
	if (std->msg == STD_MSG_SDMF) {
		/* GR-30 SDMF: type 0x04, length, MMDDHHMM, number */
		len = adsi_add_field(tx, msg, -1, CLASS_SDMF_CALLERID, NULL, 0);
		len = adsi_add_field(tx, msg, len, 0, (const uint8_t *)date, 8);
		*number_at = len;
		return adsi_add_field(tx, msg, len, 0, (const uint8_t *)number, n);
	}
	/* MDMF in chan_dahdi's order: date, number, name (same codes in GR-30 and ETSI) */
	len = adsi_add_field(tx, msg, -1, CLASS_MDMF_CALLERID, NULL, 0);
	len = adsi_add_field(tx, msg, len, MCLASS_DATETIME, (const uint8_t *)date, 8);
	*number_at = len + 2;
	len = adsi_add_field(tx, msg, len, MCLASS_CALLER_NUMBER, (const uint8_t *)number, n);
	return adsi_add_field(tx, msg, len, MCLASS_CALLER_NAME, (const uint8_t *)SPILL_NAME,
			      (int)strlen(SPILL_NAME));
}

static int add_fsk(struct spill *sp, const struct std *std, const char *number)
{
	uint8_t msg[256];
	adsi_tx_state_t *tx;
	int start = sp->len, number_at, len, got;

	tx = adsi_tx_init(NULL, std->adsi_standard);
	if (!tx)
		return -ENOMEM;
	adsi_tx_set_preamble(tx, std->seizure_bits, std->mark_bits, std->postamble_bits, 1);
	len = fsk_message(std, tx, number, sp->date, msg, &number_at);
	if (adsi_tx_put_message(tx, msg, len) != len) {
		adsi_tx_free(tx);
		return -EINVAL;
	}
	while (sp->len < SPILL_MAX) {
		got = adsi_tx(tx, sp->amp + sp->len, SPILL_MAX - sp->len);
		if (got <= 0)
			break;
		sp->len += got;
	}
	adsi_tx_free(tx);
	if (sp->len >= SPILL_MAX)
		return -ENOSPC;
	/* 10 bits per character: start, 8 data, 1 stop */
	len = std->seizure_bits + std->mark_bits + 10 * number_at;
	sp->number_start = start + BIT_SAMPLES(len);
	sp->number_end = start + BIT_SAMPLES(len + 10 * (number ? (int)strlen(number) : 0));
	return 0;
}

static int add_dtmf(struct spill *sp, const char *number)
{
	char symbols[NUMBER_MAX + 3];	/* A, digits, C, NUL */
	dtmf_tx_state_t *tx;
	int start = sp->len, symbol = MS(DTMF_ON_MS + DTMF_OFF_MS), got;

	/* EN 300 659-1 annex, variant 1: A<number>C; withheld: B10C (information code 10, private) */
	if (snprintf(symbols, sizeof(symbols), number ? "A%sC" : "B10C", number) >=
	    (int)sizeof(symbols))
		return -EINVAL;
	tx = dtmf_tx_init(NULL);
	if (!tx)
		return -ENOMEM;
	dtmf_tx_set_timing(tx, DTMF_ON_MS, DTMF_OFF_MS);
	dtmf_tx_put(tx, symbols, -1);
	explicit_bzero(symbols, sizeof(symbols));
	while (sp->len < SPILL_MAX) {
		got = dtmf_tx(tx, sp->amp + sp->len, SPILL_MAX - sp->len);
		if (got <= 0)
			break;
		sp->len += got;
	}
	dtmf_tx_free(tx);
	if (sp->len >= SPILL_MAX)
		return -ENOSPC;
	sp->number_start = start + symbol;
	sp->number_end = number ? start + symbol * (1 + (int)strlen(number)) : start;
	return 0;
}

int spill_build(struct spill *sp, const struct std *std, const char *number, time_t when)
{
	struct tm tm;
	int r;

	sp->len = 0;
	localtime_r(&when, &tm);
	strftime(sp->date, sizeof(sp->date), "%m%d%H%M", &tm);
	r = add_silence(sp, MS(std->lead_silence_ms));
	sp->signal_start = sp->len;
	if (!r && std->alert_ms) {
		r = add_alert(sp, std->alert_ms);
		if (!r)
			r = add_silence(sp, MS(std->alert_gap_ms));
	}
	if (r)
		return r;
	if (std->msg == STD_MSG_DTMF)
		return add_dtmf(sp, number);
	return add_fsk(sp, std, number);
}

void spill_gain(struct spill *sp, int db)
{
	double g = pow(10.0, db / 20.0), v;
	int i;

	for (i = 0; i < sp->len; i++) {
		v = sp->amp[i] * g;
		sp->amp[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
}
