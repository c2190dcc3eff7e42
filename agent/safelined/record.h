/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store's two record formats, fixed-size text lines with a CRC-32.
 *
 * Every number is written in "letter hex": nibble n is the letter 'a' + n,
 * so a record contains only the letters a-p, a tag letter and '\n' and never
 * a decimal digit. That makes "no digit anywhere in the store" a check that
 * cannot pass by luck: any digit in tmpfs is a leak. Fixed sizes let a reader
 * skip a torn or corrupt record and stay aligned on the ones after it.
 */
#ifndef SAFELINED_RECORD_H
#define SAFELINED_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/safelined/call-event.h"

#define CALL_ID_BYTES 16

/* one call, as stored: rounded times, no number, no name */
struct call_row {
	uint8_t id[CALL_ID_BYTES];	/* random, identifies the row only */
	uint32_t channo;
	uint8_t direction;		/* enum call_direction */
	bool answered;
	bool incomplete;		/* events may have been lost during the call */
	int64_t ring_s, answer_s, end_s;	/* rounded to the configured resolution */
	uint16_t suppressed[CALL_SUPPRESSED_KINDS];
};

/* one day's aggregate; seq orders the two copies kept of each day */
struct day_row {
	int32_t day;			/* local civil date, days since 1970-01-01 */
	uint32_t seq;
	uint32_t calls, answered, missed;
	uint64_t total_s;		/* answered time, answer to end, unrounded */
};

/* tag, version, fields, CRC, '\n' */
#define CALL_ROW_SIZE (2 + 2 * CALL_ID_BYTES + 8 + 2 + 2 + 3 * 16 + 4 * 4 + 8 + 1)
#define DAY_ROW_SIZE (2 + 8 + 8 + 3 * 8 + 16 + 8 + 1)

void call_row_encode(const struct call_row *row, char out[CALL_ROW_SIZE]);
/* 0, or -EBADMSG for a torn, corrupt or foreign record */
int call_row_decode(const char in[CALL_ROW_SIZE], struct call_row *row);

void day_row_encode(const struct day_row *row, char out[DAY_ROW_SIZE]);
int day_row_decode(const char in[DAY_ROW_SIZE], struct day_row *row);

/* letter hex of bytes, for showing a call id ("ghdp...") */
void call_id_format(const uint8_t id[CALL_ID_BYTES], char out[2 * CALL_ID_BYTES + 1]);
int call_id_parse(const char *text, uint8_t id[CALL_ID_BYTES]);

uint32_t crc32_of(const void *data, size_t len);

#endif
