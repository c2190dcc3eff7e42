/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test's line as one continuous stream: gaps of silence or speech, then the
 * audio under test at its level, white noise over both. The leak and verifier
 * tests build their streams from these, so both meet the same line.
 */
#ifndef SAFELINE_TESTS_STREAM_H
#define SAFELINE_TESTS_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "rng.h"

struct speech {
	int16_t *amp;
	size_t n;
};

struct stream {
	int16_t *lin;		/* line audio as generated, before G.711 */
	size_t n, cap;
};

/* Every step-th prompt of the first 400 under dir, concatenated; empty when there are none. */
struct speech speech_load(const char *dir, int step);

/* len samples of speech from a random place, at a random level (-12..+3 dB). */
void speech_fill(struct rng *r, const struct speech *sp, int16_t *out, size_t len);

int16_t sat16(double v);

/* Room for more samples after s->n (aborts when memory runs out). */
void stream_reserve(struct stream *s, size_t more);

/* Appends len samples of silence, or of speech one time in speech_one_in. */
void stream_gap(struct stream *s, struct rng *r, const struct speech *sp, size_t len,
		int speech_one_in);

/* Appends n samples of buf at gain_db, then wipes buf; returns where they start. */
size_t stream_put(struct stream *s, int16_t *buf, size_t n, double gain_db);

/* White noise at level_dbm0 over s->lin[from .. s->n). */
void stream_noise(struct stream *s, struct rng *r, size_t from, double level_dbm0);

#endif
