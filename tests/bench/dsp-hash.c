// SPDX-License-Identifier: GPL-2.0
/*
 * Bit-exactness check for optimisations of the DSP core (a tool, not a test):
 * prints a hash of every output byte and event over streams of spandsp spills,
 * speech and line noise, per law, chunking and mode. Build it at two commits
 * and diff the outputs (tests/bench/dsp-hash.sh): a "no behaviour change"
 * claim needs identical lines; the leak and talk-off tests are too coarse.
 *
 * Usage: dsp-hash [SEED]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/audio.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"

#define N (8000 * 240)
#define PIECE (8000 * 10)
#define SPEECH_DIR "/usr/share/asterisk/sounds"

static uint64_t hash;
static long events;

static void mix(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		hash ^= *b++;
		hash *= 1099511628211ULL;	/* FNV-1a */
	}
}

static void report(void *user, const struct safeline_cid_event *ev)
{
	(void)user;
	mix(&ev->type, sizeof(ev->type));
	mix(&ev->kind, sizeof(ev->kind));
	mix(&ev->duration_ms, sizeof(ev->duration_ms));
	mix(&ev->sample, sizeof(ev->sample));
	events++;
}

static int16_t clip(double v)
{
	return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v;
}

/* spills of every kind (-33..+3 dB, 10..50 dB SNR), prompts (-12..+6 dB), line noise */
static void make_stream(int16_t *a, uint64_t seed)
{
	int16_t *tmp = malloc(PIECE * sizeof(*tmp));
	int count, std = 0, file = 0;
	char **files = audio_list_wavs(SPEECH_DIR, &count);
	size_t have = 0, n, k;
	struct rng r;

	rng_seed(&r, seed);
	while (have + PIECE < N) {
		int kind = rng_int(&r, 0, 5);

		if (kind < 3) {
			struct spill sp = { .std = std++ % SPILL_STD_COUNT };
			double gain = pow(10, rng_real(&r, -33, 3) / 20), snr = rng_real(&r, 10, 50);
			awgn_state_t *noise = awgn_init_dbm0(NULL, rng_int(&r, 1, 1000), -14 - snr);

			n = spill_make(&sp, &r, tmp, PIECE);
			for (k = 0; k < n; k++)
				a[have + k] = clip(tmp[k] * gain + awgn(noise));
			awgn_free(noise);
		} else if (kind == 3 && count) {
			double gain = pow(10, rng_real(&r, -12, 6) / 20);
			int16_t *w = audio_read_wav(files[file++ % count], &n);

			if (!w)
				continue;
			if (n > PIECE)
				n = PIECE;
			for (k = 0; k < n; k++)
				a[have + k] = clip(w[k] * gain);
			free(w);
		} else {
			awgn_state_t *noise = awgn_init_dbm0(NULL, rng_int(&r, 1, 1000),
							     rng_real(&r, -75, -40));

			n = (size_t)rng_int(&r, 100, 16000);
			for (k = 0; k < n; k++)
				a[have + k] = awgn(noise);
			awgn_free(noise);
		}
		have += n;
	}
	audio_free_list(files);
	free(tmp);
}

static void run(const int16_t *a, uint8_t *g711, int law, int mode, int hook, int chunk,
		int hook_changes)
{
	struct safeline_cid_params p = {
		.law = law, .mode = mode, .hook = hook, .report = report,
	};
	struct safeline_cid s;
	struct rng cr;
	size_t i;
	int n;

	rng_seed(&cr, 9);
	hash = 1469598103934665603ULL;
	events = 0;
	for (i = 0; i < N; i++)
		g711[i] = law ? linear_to_alaw(a[i]) : linear_to_ulaw(a[i]);
	safeline_cid_init(&s, &p);
	for (i = 0; i < N; i += (size_t)n) {
		n = chunk ? chunk : rng_int(&cr, 1, 40);
		if (n > (int)(N - i))
			n = (int)(N - i);
		if (hook_changes && i % 80000 < (size_t)n)
			safeline_cid_set_hook(&s, (enum safeline_cid_hook)(i / 80000 % 3));
		safeline_cid_rx(&s, g711 + i, n);
	}
	mix(g711, N);
	printf("law %d mode %d hook %d chunk %3d%s: %016llx events %ld\n", law, mode, hook,
	       chunk, hook_changes ? " hook changes" : "", (unsigned long long)hash, events);
}

int main(int argc, char **argv)
{
	static const int chunks[] = { 1, 3, 8, 64, 160, 0 };	/* 0: random 1..40 */
	int16_t *a = calloc(N, sizeof(*a)), *lin = malloc(N * sizeof(*lin));
	uint8_t *g711 = malloc(N);
	struct safeline_cid_params p = {
		.mode = SAFELINE_CID_SUPPRESS, .hook = SAFELINE_HOOK_OFF, .report = report,
	};
	struct safeline_cid s;
	size_t i, c;
	int law;

	if (!a || !lin || !g711)
		return 1;
	make_stream(a, argc > 1 ? strtoull(argv[1], NULL, 0) : 5);
	for (law = 0; law < 2; law++)
		for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
			run(a, g711, law, SAFELINE_CID_SUPPRESS, SAFELINE_HOOK_OFF, chunks[c], 0);
	run(a, g711, 0, SAFELINE_CID_DETECT, SAFELINE_HOOK_OFF, 8, 0);
	run(a, g711, 0, SAFELINE_CID_STRICT, SAFELINE_HOOK_ON, 8, 0);
	run(a, g711, 0, SAFELINE_CID_STRICT, SAFELINE_HOOK_OFF, 8, 1);

	hash = 1469598103934665603ULL;
	events = 0;
	for (i = 0; i < N; i++)
		lin[i] = a[i];
	safeline_cid_init(&s, &p);
	for (i = 0; i < N; i += 8)
		safeline_cid_rx_linear(&s, lin + i, 8);
	mix(lin, N * sizeof(*lin));
	printf("linear chunk 8: %016llx events %ld\n", (unsigned long long)hash, events);
	free(a);
	free(lin);
	free(g711);
	return 0;
}
