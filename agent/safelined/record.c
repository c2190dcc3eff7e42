// SPDX-License-Identifier: GPL-2.0
/* Encoding and checking the store's fixed-size, digit-free records. */
#include <errno.h>
#include <string.h>

#include "agent/safelined/record.h"

#define CALL_TAG 'C'
#define DAY_TAG 'D'
#define VERSION 'a'
/* the call row's flags byte */
#define FLAG_ANSWERED 0x1
#define FLAG_INCOMPLETE 0x2

_Static_assert(CALL_ROW_SIZE == 119, "call row layout changed: bump VERSION");
_Static_assert(DAY_ROW_SIZE == 67, "day row layout changed: bump VERSION");

/* reflected CRC-32 (IEEE), a byte at a time from a table built on first use */
uint32_t crc32_of(const void *data, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu, c;
	int i, bit;

	if (!table[1])
		for (i = 0; i < 256; i++) {
			for (c = (uint32_t)i, bit = 0; bit < 8; bit++)
				c = (c >> 1) ^ (0xedb88320u & -(c & 1));
			table[i] = c;
		}
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *p++) & 0xff];
	return ~crc;
}

static char *put(char *out, uint64_t v, int nibbles)
{
	while (nibbles--)
		*out++ = (char)('a' + ((v >> (4 * nibbles)) & 0xf));
	return out;
}

/* reads nibbles letters; -1 on anything outside a-p */
static int get(const char **in, int nibbles, uint64_t *v)
{
	*v = 0;
	while (nibbles--) {
		char c = *(*in)++;

		if (c < 'a' || c > 'p')
			return -1;
		*v = (*v << 4) | (uint64_t)(c - 'a');
	}
	return 0;
}

static char *put_bytes(char *out, const uint8_t *b, size_t n)
{
	while (n--)
		out = put(out, *b++, 2);
	return out;
}

/* the CRC covers everything before it */
static void seal(char *start, char *crc_at)
{
	put(crc_at, crc32_of(start, (size_t)(crc_at - start)), 8);
	crc_at[8] = '\n';
}

static int check_seal(const char *start, size_t size, char tag)
{
	const char *crc_at = start + size - 9;
	uint64_t crc;

	if (start[0] != tag || start[1] != VERSION || start[size - 1] != '\n')
		return -EBADMSG;
	if (get(&crc_at, 8, &crc) < 0 || crc != crc32_of(start, size - 9))
		return -EBADMSG;
	return 0;
}

void call_row_encode(const struct call_row *row, char out[CALL_ROW_SIZE])
{
	char *p = out;
	int i;

	*p++ = CALL_TAG;
	*p++ = VERSION;
	p = put_bytes(p, row->id, CALL_ID_BYTES);
	p = put(p, row->channo, 8);
	p = put(p, row->direction, 2);
	p = put(p, (row->answered ? FLAG_ANSWERED : 0) | (row->incomplete ? FLAG_INCOMPLETE : 0), 2);
	p = put(p, (uint64_t)row->ring_s, 16);
	p = put(p, (uint64_t)row->answer_s, 16);
	p = put(p, (uint64_t)row->end_s, 16);
	for (i = 0; i < CALL_SUPPRESSED_KINDS; i++)
		p = put(p, row->suppressed[i], 4);
	seal(out, p);
}

int call_row_decode(const char in[CALL_ROW_SIZE], struct call_row *row)
{
	const char *p = in + 2;
	uint64_t v[7];
	int i;

	if (check_seal(in, CALL_ROW_SIZE, CALL_TAG) < 0)
		return -EBADMSG;
	for (i = 0; i < CALL_ID_BYTES; i++) {
		if (get(&p, 2, &v[0]) < 0)
			return -EBADMSG;
		row->id[i] = (uint8_t)v[0];
	}
	if (get(&p, 8, &v[0]) < 0 || get(&p, 2, &v[1]) < 0 || get(&p, 2, &v[2]) < 0 ||
	    get(&p, 16, &v[3]) < 0 || get(&p, 16, &v[4]) < 0 || get(&p, 16, &v[5]) < 0)
		return -EBADMSG;
	row->channo = (uint32_t)v[0];
	row->direction = (uint8_t)v[1];
	if (v[2] & ~(uint64_t)(FLAG_ANSWERED | FLAG_INCOMPLETE))
		return -EBADMSG;
	row->answered = v[2] & FLAG_ANSWERED;
	row->incomplete = v[2] & FLAG_INCOMPLETE;
	row->ring_s = (int64_t)v[3];
	row->answer_s = (int64_t)v[4];
	row->end_s = (int64_t)v[5];
	for (i = 0; i < CALL_SUPPRESSED_KINDS; i++) {
		if (get(&p, 4, &v[6]) < 0)
			return -EBADMSG;
		row->suppressed[i] = (uint16_t)v[6];
	}
	return 0;
}

void day_row_encode(const struct day_row *row, char out[DAY_ROW_SIZE])
{
	char *p = out;

	*p++ = DAY_TAG;
	*p++ = VERSION;
	p = put(p, (uint32_t)row->day, 8);
	p = put(p, row->seq, 8);
	p = put(p, row->calls, 8);
	p = put(p, row->answered, 8);
	p = put(p, row->missed, 8);
	p = put(p, row->total_s, 16);
	seal(out, p);
}

int day_row_decode(const char in[DAY_ROW_SIZE], struct day_row *row)
{
	const char *p = in + 2;
	uint64_t v[6];

	if (check_seal(in, DAY_ROW_SIZE, DAY_TAG) < 0)
		return -EBADMSG;
	if (get(&p, 8, &v[0]) < 0 || get(&p, 8, &v[1]) < 0 || get(&p, 8, &v[2]) < 0 ||
	    get(&p, 8, &v[3]) < 0 || get(&p, 8, &v[4]) < 0 || get(&p, 16, &v[5]) < 0)
		return -EBADMSG;
	row->day = (int32_t)(uint32_t)v[0];
	row->seq = (uint32_t)v[1];
	row->calls = (uint32_t)v[2];
	row->answered = (uint32_t)v[3];
	row->missed = (uint32_t)v[4];
	row->total_s = v[5];
	return 0;
}

void call_id_format(const uint8_t id[CALL_ID_BYTES], char out[2 * CALL_ID_BYTES + 1])
{
	*put_bytes(out, id, CALL_ID_BYTES) = '\0';
}

int call_id_parse(const char *text, uint8_t id[CALL_ID_BYTES])
{
	uint64_t v;
	int i;

	if (strlen(text) != 2 * CALL_ID_BYTES)
		return -EINVAL;
	for (i = 0; i < CALL_ID_BYTES; i++) {
		if (get(&text, 2, &v) < 0)
			return -EINVAL;
		id[i] = (uint8_t)v;
	}
	return 0;
}
