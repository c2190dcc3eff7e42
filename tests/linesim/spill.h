/* SPDX-License-Identifier: GPL-2.0 */
/* One caller-ID spill as linear audio: what the carrier (or the PBX) puts on the line. */
#ifndef LINESIM_SPILL_H
#define LINESIM_SPILL_H

#include <stdint.h>
#include <time.h>

#include "std.h"

#define SPILL_RATE	8000
#define SPILL_MAX	(4 * SPILL_RATE)	/* longest: 14 DTMF symbols = 2 s */
#define SPILL_NAME	"SAFELINE TEST"		/* synthetic MDMF caller name */

struct spill {
	int len;			/* samples in amp */
	int signal_start;		/* first non-silent sample (after the lead silence) */
	int number_start, number_end;	/* samples that carry the number's digits */
	char date[9];			/* MMDDHHMM sent before the number (FSK only) */
	int16_t amp[SPILL_MAX];
};

/* Build the spill of std carrying number (NULL: withheld, private), dated when. 0 or -errno. */
int spill_build(struct spill *sp, const struct std *std, const char *number, time_t when);

/* Scale the spill by db decibels (saturating). */
void spill_gain(struct spill *sp, int db);

static inline int spill_ms(int samples)
{
	return samples / (SPILL_RATE / 1000);
}

#endif
