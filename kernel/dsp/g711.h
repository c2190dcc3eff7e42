/* SPDX-License-Identifier: GPL-2.0 */
/*
 * G.711 µ-law and A-law: expansion to 16-bit linear and the code each law
 * uses for silence, which is what a muted sample becomes.
 */
#ifndef SAFELINE_DSP_G711_H
#define SAFELINE_DSP_G711_H

#include "types.h"

enum safeline_law {
	SAFELINE_LAW_ULAW = 0,
	SAFELINE_LAW_ALAW = 1,
};

/* Zero amplitude: µ-law 0xFF (positive zero), A-law 0xD5 (G.711 tables). */
#define SAFELINE_G711_ULAW_SILENCE 0xFF
#define SAFELINE_G711_ALAW_SILENCE 0xD5

extern const int16_t safeline_g711_ulaw_to_linear[256];
extern const int16_t safeline_g711_alaw_to_linear[256];
/* The same >> 3, the 13-bit samples the detectors take; by safeline_law. */
extern const int16_t safeline_g711_to_13bit[2][256];

#endif
