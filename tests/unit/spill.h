/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Caller-ID spills made by spandsp, for the DSP tests: every standard spandsp
 * can send, with random numbers that live only in memory, and the sample at
 * which the first digit of the number starts (for the first-digit margin).
 */
#ifndef SAFELINE_TESTS_SPILL_H
#define SAFELINE_TESTS_SPILL_H

#include <stddef.h>
#include <stdint.h>
#include "rng.h"

enum spill_std {
	SPILL_CLASS_SDMF,	/* Bell 202 on-hook: seizure, mark, SDMF (GR-30 type I) */
	SPILL_CLASS_MDMF,	/* Bell 202 on-hook: seizure, mark, MDMF */
	SPILL_CLASS_TYPE2,	/* CAS, pause, Bell 202 mark + MDMF, no seizure (CIDCW) */
	SPILL_CLASS_BARE,	/* Bell 202 mark + MDMF, no seizure, no alert */
	SPILL_CLIP_ONHOOK,	/* V.23 seizure, mark, MDMF (EN 300 659-1 after ring) */
	SPILL_CLIP_DTAS,	/* DT-AS, pause, V.23 seizure, mark, MDMF (before ring, SIN 227) */
	SPILL_CLIP_OFFHOOK,	/* DT-AS, pause, V.23 mark + MDMF (EN 300 659-2) */
	SPILL_CLIP_BARE,	/* V.23 mark + MDMF, no seizure, no alert */
	SPILL_DTMF,		/* DTMF CLIP: A<n>C, A<n># or D<n>C */
	SPILL_JCLIP,		/* NTT: V.23 mark, DLE-framed 7E message */
	SPILL_STD_COUNT,
};

/* A spill that must not be taken for a number (all but SPILL_SOUND are garbage). */
enum spill_fault {
	SPILL_SOUND,
	SPILL_BAD_CHECKSUM,	/* FSK: the checksum off by 1..255 */
	SPILL_UNFRAMED,		/* DTMF: the digits alone, no start or end symbol */
	SPILL_UNTERMINATED,	/* DTMF: a start symbol and the digits, no end */
};

struct spill {
	int std;
	char number[24];	/* digits only; never printed */
	int ndigits;
	size_t start;		/* first sample of the spill in its stream */
	size_t digit;		/* first sample of the number's first digit (start bit or tone) */
	size_t end;		/* one past its last sample */
	double gain_db;		/* level applied on top of spandsp's nominal */
	double snr_db;
	int law;		/* 0 µ-law, 1 A-law */

	/* what to send; all zero: a fresh random number, framed and summed right */
	int given;		/* number and ndigits are set: send those */
	int withheld;		/* send a reason for an absent number instead (P or O) */
	int fault;		/* enum spill_fault */
	int off_nominal;	/* FSK: always the off-frequency, off-rate modem */
	size_t complete;	/* out: the whole number is in, the message not over (0: never) */
};

const char *spill_std_name(int std);

/* n random digits and a NUL into out */
void spill_random_digits(struct rng *r, char *out, int n);

/*
 * Writes one spill of sp->std at spandsp's nominal level into out (at most
 * max samples), as the fields above ask; fills number (unless given) and
 * digit/complete/end relative to out[0]. Returns the number of samples written.
 */
size_t spill_make(struct spill *sp, struct rng *r, int16_t *out, size_t max);

#endif
