// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark (not a test) of the DSP core beside spandsp's receivers on the
 * same audio: idle line, speech, caller-ID spills. Under callgrind the work
 * is bracketed by bench_run(), so `--toggle-collect=bench_run` counts only
 * the receivers; natively, --time prints ns per 8-sample channel chunk.
 *
 * Usage: bench-dsp --corpus idle|speech|cid --rx core|spandsp [--time]
 * Prints the samples processed, or with --time the ns per 8-sample chunk.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/audio.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"

#define SECONDS 30
#define N (8000 * SECONDS)
#define SPEECH_DIR "/usr/share/asterisk/sounds"

struct receivers {
	int spandsp;
	struct safeline_cid cid;
	fsk_rx_state_t *bell, *v23;
	dtmf_rx_state_t *dtmf;
};

static void put_bit(void *user, int bit)
{
	(void)user;
	(void)bit;
}

static void put_digits(void *user, const char *d, int len)
{
	(void)user;
	(void)d;
	(void)len;
}

/* the measured work: one channel's audio, 8-sample chunks as DAHDI delivers */
__attribute__((noinline)) void bench_run(struct receivers *r, uint8_t *g711, size_t n);
__attribute__((noinline)) void bench_run(struct receivers *r, uint8_t *g711, size_t n)
{
	int16_t amp[8];
	size_t i;
	int j;

	for (i = 0; i + 8 <= n; i += 8) {
		if (!r->spandsp) {
			safeline_cid_rx(&r->cid, g711 + i, 8);
			continue;
		}
		for (j = 0; j < 8; j++)
			amp[j] = ulaw_to_linear(g711[i + (size_t)j]);
		fsk_rx(r->bell, amp, 8);
		fsk_rx(r->v23, amp, 8);
		dtmf_rx(r->dtmf, amp, 8);
	}
}

static void corpus_idle(int16_t *a)
{
	awgn_state_t *noise = awgn_init_dbm0(NULL, 1, -65.0f);	/* a quiet line */
	size_t i;

	for (i = 0; i < N; i++)
		a[i] = awgn(noise);
	awgn_free(noise);
}

static int corpus_speech(int16_t *a)
{
	int count, i;
	char **files = audio_list_wavs(SPEECH_DIR, &count);
	size_t have = 0, n;

	for (i = 0; i < count && have < N; i++) {
		int16_t *w = audio_read_wav(files[i], &n);

		if (!w)
			continue;
		if (n > N - have)
			n = N - have;
		memcpy(a + have, w, n * sizeof(*w));
		have += n;
		free(w);
	}
	audio_free_list(files);
	return have == N ? 0 : -1;
}

/* every spill kind in turn, 200 ms apart */
static void corpus_cid(int16_t *a)
{
	struct rng r;
	size_t have = 0;
	int std = 0;

	rng_seed(&r, 1);
	memset(a, 0, N * sizeof(*a));
	while (have + 8000 * 4 < N) {
		struct spill sp = { .std = std++ % SPILL_STD_COUNT };

		have += spill_make(&sp, &r, a + have, N - have) + 1600;
		memset(sp.number, 0, sizeof(sp.number));
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "corpus", required_argument, NULL, 'c' },
		{ "rx", required_argument, NULL, 'r' },
		{ "time", no_argument, NULL, 't' },
		{ 0 }
	};
	struct safeline_cid_params params = { .mode = SAFELINE_CID_SUPPRESS, .hook = SAFELINE_HOOK_OFF };
	const char *corpus = "speech";
	struct receivers r = { 0 };
	int16_t *a = malloc(N * sizeof(*a));
	uint8_t *g711 = malloc(N), *work = malloc(N);
	int c, timing = 0, reps = 0;
	double t0, ns = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (c == 'c')
			corpus = optarg;
		else if (c == 'r')
			r.spandsp = !strcmp(optarg, "spandsp");
		else if (c == 't')
			timing = 1;
		else
			return 2;
	}
	if (!strcmp(corpus, "idle"))
		corpus_idle(a);
	else if (!strcmp(corpus, "cid"))
		corpus_cid(a);
	else if (corpus_speech(a))
		return fprintf(stderr, "bench-dsp: speech corpus missing\n"), 1;
	for (i = 0; i < N; i++)
		g711[i] = linear_to_ulaw(a[i]);

	safeline_cid_init(&r.cid, &params);
	r.bell = fsk_rx_init(NULL, &preset_fsk_specs[FSK_BELL202], FSK_FRAME_MODE_ASYNC, put_bit, NULL);
	r.v23 = fsk_rx_init(NULL, &preset_fsk_specs[FSK_V23CH1], FSK_FRAME_MODE_ASYNC, put_bit, NULL);
	r.dtmf = dtmf_rx_init(NULL, put_digits, NULL);
	do {
		memcpy(work, g711, N);
		t0 = now_ns();
		bench_run(&r, work, N);
		ns += now_ns() - t0;
		reps++;
	} while (timing && reps < 10);
	if (timing)
		printf("%.1f\n", ns / reps / (N / 8));	/* ns per 8-sample chunk */
	else
		printf("%d\n", N);	/* samples measured */
	fsk_rx_free(r.bell);
	fsk_rx_free(r.v23);
	dtmf_rx_free(r.dtmf);
	free(a);
	free(g711);
	free(work);
	return 0;
}
