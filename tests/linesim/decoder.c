/* SPDX-License-Identifier: GPL-2.0 */
/* The receiving end (PBX or phone). adsi_rx decodes complete messages as chan_dahdi's
 * callerid.c would; a second demodulator keeps every raw byte (or DTMF digit) so the
 * tests can also see partial leaks that fail the checksum. Nothing here prints. */
#include <stdio.h>
#include <string.h>

#include "decoder.h"
#include "number.h"
#include "spandsp_parts.h"

#define RAW_MAX 1024

struct decoder {
	adsi_rx_state_t *adsi;
	fsk_rx_state_t *raw_fsk;	/* FSK standards */
	dtmf_rx_state_t *raw_dtmf;	/* DTMF standards */
	int uart_bit;			/* 0 = hunting for a start bit, 1..8 data, 9 stop */
	unsigned int uart_byte;
	char raw[RAW_MAX];
	int raw_len;
	struct decoder_result res;
	char number[NUMBER_MAX + 1];
	char date[9];
};

static void note_number(struct decoder *d, const uint8_t *digits, int len)
{
	d->res.messages++;
	d->res.digits += number_count_digits((const char *)digits, len);
	if (len == (int)strlen(d->number) && !memcmp(digits, d->number, len))
		d->res.matched = true;
}

/* adsi_rx callback for FSK standards: msg is type, length, body (checksum stripped) */
static void fsk_message(void *user, const uint8_t *msg, int len)
{
	struct decoder *d = user;
	const uint8_t *body;
	uint8_t type;
	int pos = -1, flen;

	pos = adsi_next_field(d->adsi, msg, len, pos, &type, &body, &flen);
	if (pos < 0)
		return;
	if (type == CLASS_SDMF_CALLERID) {
		pos = adsi_next_field(d->adsi, msg, len, pos, &type, &body, &flen);
		if (pos >= 0 && flen > 8)	/* MMDDHHMM, then the number */
			note_number(d, body + 8, flen - 8);
		return;
	}
	if (type != CLASS_MDMF_CALLERID)
		return;
	while ((pos = adsi_next_field(d->adsi, msg, len, pos, &type, &body, &flen)) > 0)
		if (type == MCLASS_CALLER_NUMBER)
			note_number(d, body, flen);
}

/* adsi_rx callback for DTMF CLIP: msg is e.g. A<number>C or D<number>C */
static void dtmf_message(void *user, const uint8_t *msg, int len)
{
	struct decoder *d = user;
	int i = 1, start;

	if (len < 2 || (msg[0] != 'A' && msg[0] != 'D'))
		return;
	start = i;
	while (i < len && msg[i] >= '0' && msg[i] <= '9')
		i++;
	note_number(d, msg + start, i - start);
}

static void keep_raw(struct decoder *d, char c)
{
	if (d->raw_len < RAW_MAX)
		d->raw[d->raw_len++] = c;
}

/* 8N1 framing of the raw FSK bit stream, kept apart from adsi_rx's own */
static void raw_bit(void *user, int bit)
{
	struct decoder *d = user;

	if (bit < 0) {			/* carrier up/down and other status */
		d->uart_bit = 0;
		return;
	}
	if (d->uart_bit == 0) {
		if (!bit) {
			d->uart_bit = 1;
			d->uart_byte = 0;
		}
	} else if (d->uart_bit <= 8) {
		d->uart_byte |= (unsigned int)(bit & 1) << (d->uart_bit - 1);
		d->uart_bit++;
	} else {
		if (bit)
			keep_raw(d, (char)d->uart_byte);
		d->uart_bit = 0;
	}
}

static void raw_digits(void *user, const char *digits, int len)
{
	for (int i = 0; i < len; i++)
		keep_raw(user, digits[i]);
}

struct decoder *decoder_new(const struct std *std, const char *number, const char *date)
{
	struct decoder *d = calloc(1, sizeof(*d));
	bool dtmf = std->msg == STD_MSG_DTMF;
	int spec = std->adsi_standard == ADSI_STANDARD_CLASS ? FSK_BELL202 : FSK_V23CH1;

	if (!d)
		return NULL;
	snprintf(d->number, sizeof(d->number), "%s", number);
	snprintf(d->date, sizeof(d->date), "%s", date);
	d->adsi = adsi_rx_init(NULL, std->adsi_standard, dtmf ? dtmf_message : fsk_message, d);
	if (dtmf)
		d->raw_dtmf = dtmf_rx_init(NULL, raw_digits, d);
	else
		d->raw_fsk = fsk_rx_init(NULL, &preset_fsk_specs[spec], FSK_FRAME_MODE_ASYNC,
					 raw_bit, d);
	if (!d->adsi || (!d->raw_dtmf && !d->raw_fsk)) {
		decoder_free(d);
		return NULL;
	}
	return d;
}

void decoder_feed(struct decoder *d, const int16_t *amp, int len)
{
	adsi_rx(d->adsi, amp, len);
	if (d->raw_fsk)
		fsk_rx(d->raw_fsk, amp, len);
	else
		dtmf_rx(d->raw_dtmf, amp, len);
}

void decoder_result(const struct decoder *d, struct decoder_result *res)
{
	*res = d->res;
	res->leak = number_longest_run(d->number, d->raw, d->raw_len, d->date);
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	if (d->adsi)
		adsi_rx_free(d->adsi);
	if (d->raw_fsk)
		fsk_rx_free(d->raw_fsk);
	if (d->raw_dtmf)
		dtmf_rx_free(d->raw_dtmf);
	explicit_bzero(d, sizeof(*d));
	free(d);
}
