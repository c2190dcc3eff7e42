// SPDX-License-Identifier: GPL-2.0
/*
 * spandsp as the leak oracle (oracle.h). Every receiver listens to the whole
 * stream, whatever standard a spill was sent in, and what it decodes is
 * charged to the spill it falls in.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

#include "oracle.h"

#define CHUNK 8		/* fine enough to place each decoded byte within 1 ms */
#define TAIL (8 * 200)		/* a decoder may report up to 200 ms after the spill */

struct oracle {
	const struct spill *spills;
	int nspills;
	size_t pos;		/* end of the chunk being decoded */
	char *decoded;		/* per spill: exact number seen */
	struct oracle_result *res;
	/* raw UART on each FSK receiver */
	int bitpos[2];
	unsigned int byte[2];
};

/* The spill whose window holds pos, or -1. */
static int oracle_spill_at(const struct oracle *o, size_t pos)
{
	int lo = 0, hi = o->nspills - 1, mid;

	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (o->spills[mid].start <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (o->nspills && o->spills[lo].start <= pos && pos < o->spills[lo].end + TAIL)
		return lo;
	return -1;
}

static void oracle_number(struct oracle *o, const char *digits, int len)
{
	int i = oracle_spill_at(o, o->pos), n = 0, k;

	for (k = 0; k < len; k++)
		if (digits[k] >= '0' && digits[k] <= '9')
			n++;
	o->res->message_digits += n;
	if (i >= 0 && len == o->spills[i].ndigits &&
	    !memcmp(digits, o->spills[i].number, (size_t)len))
		o->decoded[i] = 1;
}

/* GR-30 / EN 300 659-3 message: SDMF number after the date, MDMF parameter 0x02. */
static void oracle_fsk_msg(void *user, const uint8_t *msg, int len)
{
	struct oracle *o = user;
	int p;

	if (len < 2)
		return;
	if (msg[0] == 0x04) {
		if (len > 10)
			oracle_number(o, (const char *)msg + 10, len - 10);
		return;
	}
	for (p = 2; p + 1 < len; p += 2 + msg[p + 1])
		if (msg[p] == 0x02 && p + 2 + msg[p + 1] <= len)
			oracle_number(o, (const char *)msg + p + 2, msg[p + 1]);
}

/* NTT: DLE SOH header DLE STX type length, then parameters */
static void oracle_jclip_msg(void *user, const uint8_t *msg, int len)
{
	struct oracle *o = user;
	int p;

	for (p = 7; p + 1 < len; p += 2 + msg[p + 1])
		if (msg[p] == 0x02 && p + 2 + msg[p + 1] <= len)
			oracle_number(o, (const char *)msg + p + 2, msg[p + 1]);
}

/* DTMF CLIP: the digit run just before the terminator (talk-off may precede the start symbol) */
static void oracle_dtmf_msg(void *user, const uint8_t *msg, int len)
{
	struct oracle *o = user;
	int a, b = len;

	while (b > 0 && (msg[b - 1] < '0' || msg[b - 1] > '9'))
		b--;
	for (a = b; a > 0 && msg[a - 1] >= '0' && msg[a - 1] <= '9'; a--)
		;
	if (b > a)
		oracle_number(o, (const char *)msg + a, b - a);
}

/* A raw digit counts while a spill's number was on the line (plus 10 ms of decoder delay). */
static void oracle_raw_digit(struct oracle *o, int c)
{
	int i = oracle_spill_at(o, o->pos);

	if (c >= '0' && c <= '9' && i >= 0 && o->pos >= o->spills[i].digit &&
	    o->pos < o->spills[i].end + 8 * 10)
		o->res->raw_digits++;
}

static void oracle_dtmf_digits(void *user, const char *digits, int len)
{
	int i;

	for (i = 0; i < len; i++)
		oracle_raw_digit(user, digits[i]);
}

/* An async UART over spandsp's demodulated bits, parity stripped. */
static void oracle_uart(struct oracle *o, int k, int bit)
{
	if (bit < 0)
		return;
	if (o->bitpos[k] == 0) {
		if (!bit) {
			o->bitpos[k] = 1;
			o->byte[k] = 0;
		}
		return;
	}
	if (o->bitpos[k] <= 8) {
		o->byte[k] |= (unsigned int)(bit & 1) << (o->bitpos[k] - 1);
		o->bitpos[k]++;
		return;
	}
	if (bit)
		oracle_raw_digit(o, (int)(o->byte[k] & 0x7F));
	o->bitpos[k] = 0;
}

static void oracle_bell_bit(void *user, int bit)
{
	oracle_uart(user, 0, bit);
}

static void oracle_v23_bit(void *user, int bit)
{
	oracle_uart(user, 1, bit);
}

/* Each spill (and the gap before it) back at spandsp's nominal level. */
static int16_t *oracle_restore_levels(const int16_t *amp, size_t n,
				      const struct spill *spills, int nspills)
{
	int16_t *out = malloc(n * sizeof(*out));
	size_t from = 0, to, j;
	int i;

	if (!out)
		abort();
	memcpy(out, amp, n * sizeof(*out));
	for (i = 0; i < nspills; i++) {
		double g = pow(10.0, -spills[i].gain_db / 20.0);

		to = spills[i].end < n ? spills[i].end : n;
		for (j = from; j < to; j++) {
			double v = out[j] * g;

			out[j] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
		from = to;
	}
	return out;
}

void oracle_run(const int16_t *amp, size_t n, const struct spill *spills, int nspills,
		struct oracle_result *res)
{
	struct oracle o = {
		.spills = spills,
		.nspills = nspills,
		.res = res,
		.decoded = calloc((size_t)nspills + 1, 1),
	};
	adsi_rx_state_t *class_rx = adsi_rx_init(NULL, ADSI_STANDARD_CLASS, oracle_fsk_msg, &o);
	adsi_rx_state_t *clip_rx = adsi_rx_init(NULL, ADSI_STANDARD_CLIP, oracle_fsk_msg, &o);
	adsi_rx_state_t *jclip_rx = adsi_rx_init(NULL, ADSI_STANDARD_JCLIP, oracle_jclip_msg, &o);
	adsi_rx_state_t *dtmf_msg_rx = adsi_rx_init(NULL, ADSI_STANDARD_CLIP_DTMF, oracle_dtmf_msg, &o);
	dtmf_rx_state_t *dtmf = dtmf_rx_init(NULL, oracle_dtmf_digits, &o);
	fsk_rx_state_t *bell = fsk_rx_init(NULL, &preset_fsk_specs[FSK_BELL202],
					   FSK_FRAME_MODE_ASYNC, oracle_bell_bit, &o);
	fsk_rx_state_t *v23 = fsk_rx_init(NULL, &preset_fsk_specs[FSK_V23CH1],
					  FSK_FRAME_MODE_ASYNC, oracle_v23_bit, &o);
	int16_t *lin = oracle_restore_levels(amp, n, spills, nspills);
	size_t at;
	int i, len;

	char *flags = res->spill_decoded;

	*res = (struct oracle_result){ .spill_decoded = flags };
	for (at = 0; at < n; at += CHUNK) {
		len = (int)(n - at < CHUNK ? n - at : CHUNK);
		o.pos = at + (size_t)len;
		adsi_rx(class_rx, lin + at, len);
		adsi_rx(clip_rx, lin + at, len);
		adsi_rx(jclip_rx, lin + at, len);
		adsi_rx(dtmf_msg_rx, lin + at, len);
		dtmf_rx(dtmf, lin + at, len);
		fsk_rx(bell, lin + at, len);
		fsk_rx(v23, lin + at, len);
	}
	for (i = 0; i < nspills; i++) {
		res->decoded += o.decoded[i];
		if (flags)
			flags[i] = o.decoded[i];
	}
	adsi_rx_free(class_rx);
	adsi_rx_free(clip_rx);
	adsi_rx_free(jclip_rx);
	adsi_rx_free(dtmf_msg_rx);
	dtmf_rx_free(dtmf);
	fsk_rx_free(bell);
	fsk_rx_free(v23);
	free(o.decoded);
	free(lin);
}
