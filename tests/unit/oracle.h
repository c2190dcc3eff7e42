/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The independent judge of a leak: spandsp's receivers (ADSI CLASS, CLIP,
 * J-CLIP and CLIP-DTMF message decoders, plus raw DTMF digits and raw FSK
 * bytes) run over a stream and tell, per spill, what of its number they got.
 * Numbers are compared in memory; only counts ever leave.
 */
#ifndef SAFELINE_TESTS_ORACLE_H
#define SAFELINE_TESTS_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "spill.h"

struct oracle_result {
	char *spill_decoded;	/* optional, one flag per spill: its exact number was decoded */
	int decoded;		/* spills whose exact number a message decoder returned */
	long message_digits;	/* number digits inside decoded messages */
	long raw_digits;	/* digits from raw DTMF / raw FSK bytes where a spill's number was sent */
};

/*
 * Decodes amp (stream of n samples); spills[i].start/end locate each spill,
 * and each spill's window is scaled back by -gain_db first (an attacker's AGC).
 */
void oracle_run(const int16_t *amp, size_t n, const struct spill *spills, int nspills,
		struct oracle_result *res);

#endif
