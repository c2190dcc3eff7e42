/* SPDX-License-Identifier: GPL-2.0 */
/* The receiving end (PBX or phone): spandsp's caller-ID receiver, plus a raw scan of every
 * demodulated byte or DTMF digit, so a damaged spill that still leaks digits is caught. */
#ifndef LINESIM_DECODER_H
#define LINESIM_DECODER_H

#include <stdbool.h>
#include <stdint.h>

#include "std.h"

struct decoder_result {
	int messages;	/* caller-ID messages that passed checksum (FSK) or had a terminator */
	int digits;	/* digits in the number fields of those messages */
	bool matched;	/* one of them carried exactly the number sent */
	int leak;	/* longest run of the sent number's digits among all raw bytes/digits,
			 * not counting runs the date field explains */
};

struct decoder;

/* number and date are copied; the copy is wiped on decoder_free(). NULL on ENOMEM. */
struct decoder *decoder_new(const struct std *std, const char *number, const char *date);
void decoder_feed(struct decoder *d, const int16_t *amp, int len);
void decoder_result(const struct decoder *d, struct decoder_result *res);
void decoder_free(struct decoder *d);

#endif
