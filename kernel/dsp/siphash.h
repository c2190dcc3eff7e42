/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash. The
 * verifier compares caller numbers only through it, so the table the agent
 * loads holds no number and is useless without the 128-bit key.
 */
#ifndef SAFELINE_DSP_SIPHASH_H
#define SAFELINE_DSP_SIPHASH_H

#include "types.h"

#define SAFELINE_SIPHASH_KEY_BYTES 16

/* SipHash-2-4 of len bytes at data under key (read little-endian, as in the paper). */
uint64_t safeline_siphash24(const uint8_t key[SAFELINE_SIPHASH_KEY_BYTES],
			    const uint8_t *data, size_t len);

#endif
