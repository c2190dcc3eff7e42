/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-core: the DSP core's own cost in userspace on recorded channel audio, for the
 * data-path benchmark (tests/qemu/bench-datapath.sh). Runs the core in suppress mode over
 * FILE (G.711, as a DAHDI channel reads it) in 8-sample chunks, PASSES times, two ways:
 *
 *   1 channel      the file through one core state (as tests/bench/bench-dsp does)
 *   CHANS channels the file through CHANS core states, one chunk each per 1 ms step, as the
 *                  kernel's tick walks every channel: the same working set
 *
 * and prints ns per chunk for each: the best pass and the mean over passes.
 *
 *   bench-core ulaw|alaw FILE [PASSES [CHANS]]     (defaults 10, 240)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/dsp/cid.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static unsigned char *load(const char *path, size_t *len)
{
	size_t n = 0, cap = 1 << 20, r;
	unsigned char *buf = malloc(cap);
	FILE *f = fopen(path, "rb");

	if (!f || !buf)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	fclose(f);
	*len = n - n % 8;
	return buf;
}

/* ns per chunk of one pass: chans states, each fed the same chunk per step */
static double pass(struct safeline_cid *cid, int chans, const struct safeline_cid_params *p,
		   const unsigned char *audio, size_t n)
{
	unsigned char chunk[8];
	double t0;
	size_t k;
	int c;

	for (c = 0; c < chans; c++)
		safeline_cid_init(&cid[c], p);
	t0 = now_ns();
	for (k = 0; k < n; k += 8) {
		for (c = 0; c < chans; c++) {
			memcpy(chunk, audio + k, 8);	/* the core mutes in place */
			safeline_cid_rx(&cid[c], chunk, 8);
		}
	}
	return (now_ns() - t0) / ((double)(n / 8) * chans);
}

static void run(const char *what, int chans, int passes, const struct safeline_cid_params *p,
		const unsigned char *audio, size_t n)
{
	struct safeline_cid *cid = calloc((size_t)chans, sizeof(*cid));
	double best = 0, sum = 0, t;
	int i;

	if (!cid) {
		perror("calloc");
		exit(1);
	}
	for (i = 0; i < passes; i++) {
		t = pass(cid, chans, p, audio, n);
		sum += t;
		if (!i || t < best)
			best = t;
	}
	printf("%s: %.1f ns per chunk best, %.1f mean (%d channels, %zu chunks each, %d passes)\n",
	       what, best, sum / passes, chans, n / 8, passes);
	free(cid);
}

int main(int argc, char **argv)
{
	struct safeline_cid_params p = { .mode = SAFELINE_CID_SUPPRESS, .hook = SAFELINE_HOOK_ON };
	int passes = argc > 3 ? atoi(argv[3]) : 10, chans = argc > 4 ? atoi(argv[4]) : 240;
	unsigned char *audio;
	size_t n = 0;

	if (argc < 3 || (strcmp(argv[1], "ulaw") && strcmp(argv[1], "alaw")) || passes < 1 ||
	    chans < 1) {
		fprintf(stderr, "usage: bench-core ulaw|alaw FILE [PASSES [CHANS]]\n");
		return 2;
	}
	p.law = strcmp(argv[1], "alaw") ? SAFELINE_LAW_ULAW : SAFELINE_LAW_ALAW;
	audio = load(argv[2], &n);
	if (!audio || n < 8) {
		fprintf(stderr, "bench-core: %s: no audio\n", argv[2]);
		return 1;
	}
	run("1 channel", 1, passes, &p, audio, n);
	run("all channels", chans, passes > 3 ? 3 : passes, &p, audio, n);
	return 0;
}
