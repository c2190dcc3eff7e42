// SPDX-License-Identifier: GPL-2.0
/*
 * Leak test for the DSP core: thousands of spandsp-made spills of every
 * standard, at random levels, noise and (for half the FSK spills) carrier and
 * bit-rate offsets, separated by noise or speech, in one continuous stream per
 * G.711 law, go through the suppressor in 8-sample chunks (suppress mode,
 * off-hook). spandsp must recover no digit from the
 * output, and must recover the numbers from the same stream left unfiltered
 * (the control). Also measures how early muting starts before the first digit.
 *
 * Usage: test-dsp-leak [-s SEED] [-n SPILLS]   (SAFELINE_SEED works too)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/cmdline.h"
#include "tests/unit/ktap.h"
#include "tests/unit/oracle.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"
#include "tests/unit/stream.h"

#define DEFAULT_SEED 20260303ULL
#define DEFAULT_SPILLS 2200
#define NOMINAL_DBM0 -14.0	/* spandsp's FSK transmit level, the reference for SNR */
#define SPEECH_DIR "/usr/share/asterisk/sounds"
#define MAX_SPILL_SAMPLES (8000 * 4)

/* One law's line: the stream and the spills in it. */
struct line {
	struct stream a;
	struct spill *spills;
	int nspills;
};

struct events {
	size_t *start;		/* sample of each spill-start event */
	int n, cap;
	int kinds[8];
};

/* gap (silence or speech), then the spill, with noise over both */
static void line_add(struct line *l, struct rng *r, const struct speech *sp, int std, int law)
{
	struct spill *p = &l->spills[l->nspills++];
	size_t gap = (size_t)rng_int(r, 150, 700) * 8, base = l->a.n;
	static int16_t buf[MAX_SPILL_SAMPLES];

	*p = (struct spill){ .std = std, .law = law };
	p->gain_db = rng_real(r, -30.0, 3.0);
	p->snr_db = rng_real(r, 15.0, 45.0);
	stream_gap(&l->a, r, sp, gap, 3);
	spill_make(p, r, buf, MAX_SPILL_SAMPLES);
	p->start = stream_put(&l->a, buf, p->end, p->gain_db);
	if (getenv("SAFELINE_VERBOSE"))
		printf("# spill %s from %zu to %zu\n", spill_std_name(std), p->start,
		       p->start + p->end);
	p->digit += p->start;
	p->end += p->start;
	stream_noise(&l->a, r, base, NOMINAL_DBM0 + p->gain_db - p->snr_db);
}

static void encode(const int16_t *lin, uint8_t *g711, size_t n, int law)
{
	size_t i;

	for (i = 0; i < n; i++)
		g711[i] = law ? linear_to_alaw(lin[i]) : linear_to_ulaw(lin[i]);
}

static void decode(const uint8_t *g711, int16_t *lin, size_t n, int law)
{
	size_t i;

	for (i = 0; i < n; i++)
		lin[i] = law ? alaw_to_linear(g711[i]) : ulaw_to_linear(g711[i]);
}

static void on_event(void *user, const struct safeline_cid_event *ev)
{
	struct events *e = user;

	if (ev->type != SAFELINE_CID_SPILL_START) {
		if (getenv("SAFELINE_VERBOSE"))
			printf("# end kind %d after %u ms at %llu\n", ev->kind, ev->duration_ms,
			       (unsigned long long)ev->sample);
		return;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 1024;
		e->start = realloc(e->start, (size_t)e->cap * sizeof(*e->start));
		if (!e->start)
			abort();
	}
	e->start[e->n++] = (size_t)ev->sample;
	if (getenv("SAFELINE_VERBOSE"))
		printf("# start kind %d at %llu\n", ev->kind, (unsigned long long)ev->sample);
	if (ev->kind < 8)
		e->kinds[ev->kind]++;
}

/* The suppressor as the kernel runs it: suppress, off-hook, 8-sample chunks. */
static void filter(uint8_t *g711, size_t n, int law, struct events *ev)
{
	struct safeline_cid_params params = {
		.law = law ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW,
		.mode = SAFELINE_CID_SUPPRESS,
		.hook = SAFELINE_HOOK_OFF,
		.report = on_event,
		.user = ev,
	};
	struct safeline_cid cid;
	size_t at;

	safeline_cid_init(&cid, &params);
	for (at = 0; at < n; at += 8)
		safeline_cid_rx(&cid, g711 + at, (int)(n - at < 8 ? n - at : 8));
}

/* Which samples the filter muted: changed, or silence inside a muted run. */
static void mute_mask(const uint8_t *in, const uint8_t *out, uint8_t *muted, size_t n, int law)
{
	uint8_t silence = law ? SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
	size_t i;

	for (i = 0; i < n; i++)
		muted[i] = in[i] != out[i] || (in[i] == silence && i > 0 && muted[i - 1]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	uint64_t seed = DEFAULT_SEED;
	int nspills = DEFAULT_SPILLS, law, i, j;
	int per_std_total[SPILL_STD_COUNT] = { 0 }, per_std_ok[SPILL_STD_COUNT] = { 0 };
	int per_std_ctl[SPILL_STD_COUNT] = { 0 };
	double per_std_min[SPILL_STD_COUNT] = { 0 };
	struct oracle_result ctl_sum = { 0 }, out_sum = { 0 };
	struct events ev[2] = { 0 };
	struct line st[2] = { 0 };
	double *margin;
	int nmargin = 0, missed = 0, outside = 0, gaps = 0;
	struct speech sp;
	struct rng r;
	struct ktap k;

	if (cmdline_parse(argc, argv, &seed, &nspills, "SPILLS"))
		return 2;
	rng_seed(&r, seed);
	sp = speech_load(SPEECH_DIR, 7);
	margin = calloc((size_t)nspills, sizeof(*margin));

	ktap_plan(&k, 4);
	printf("# seed %llu (override: -s SEED or SAFELINE_SEED), %d spills, speech gaps %s\n",
	       (unsigned long long)seed, nspills, sp.n ? "yes" : "no (corpus missing)");

	for (law = 0; law < 2; law++) {
		int half = law ? nspills - nspills / 2 : nspills / 2;
		struct oracle_result ctl = { 0 }, out = { 0 };
		uint8_t *g711, *orig, *muted;
		int16_t *back;
		int e = 0;

		st[law].spills = calloc((size_t)half, sizeof(struct spill));
		for (i = 0; i < half; i++)
			line_add(&st[law], &r, &sp, (i + law) % SPILL_STD_COUNT, law);
		stream_reserve(&st[law].a, 8000);
		memset(st[law].a.lin + st[law].a.n, 0, 8000 * sizeof(int16_t));
		st[law].a.n += 8000;

		g711 = malloc(st[law].a.n);
		orig = malloc(st[law].a.n);
		muted = malloc(st[law].a.n);
		back = malloc(st[law].a.n * sizeof(*back));
		encode(st[law].a.lin, g711, st[law].a.n, law);

		decode(g711, back, st[law].a.n, law);
		ctl.spill_decoded = calloc((size_t)half, 1);
		oracle_run(back, st[law].a.n, st[law].spills, half, &ctl);
		for (i = 0; i < half; i++) {
			const struct spill *p = &st[law].spills[i];

			per_std_ctl[p->std] += ctl.spill_decoded[i];
			if (!ctl.spill_decoded[i] && getenv("SAFELINE_VERBOSE"))
				printf("# control missed: %s %.1f dB, SNR %.1f dB\n",
				       spill_std_name(p->std), p->gain_db, p->snr_db);
		}
		free(ctl.spill_decoded);
		memcpy(orig, g711, st[law].a.n);
		filter(g711, st[law].a.n, law, &ev[law]);
		mute_mask(orig, g711, muted, st[law].a.n, law);
		decode(g711, back, st[law].a.n, law);
		oracle_run(back, st[law].a.n, st[law].spills, half, &out);

		printf("# %s: %d spills, %.1f min; control decoded %d, raw digits %ld; "
		       "filtered: message digits %ld, raw digits %ld\n",
		       law ? "A-law" : "u-law", half, st[law].a.n / 8000.0 / 60.0, ctl.decoded,
		       ctl.raw_digits, out.message_digits, out.raw_digits);
		ctl_sum.decoded += ctl.decoded;
		ctl_sum.message_digits += ctl.message_digits;
		ctl_sum.raw_digits += ctl.raw_digits;
		out_sum.decoded += out.decoded;
		out_sum.message_digits += out.message_digits;
		out_sum.raw_digits += out.raw_digits;

		/* first-digit margin: the muted run that covers the first digit */
		for (i = 0; i < half; i++) {
			const struct spill *p = &st[law].spills[i];
			size_t on = p->digit;

			per_std_total[p->std]++;
			while (e < ev[law].n && ev[law].start[e] < p->start) {
				outside++;
				e++;
			}
			while (e < ev[law].n && ev[law].start[e] < p->end)
				e++;
			if (!muted[p->digit]) {
				missed++;
				if (getenv("SAFELINE_VERBOSE"))
					printf("# missed: %s %.1f dB, SNR %.1f dB, %s start %zu\n",
					       spill_std_name(p->std), p->gain_db, p->snr_db,
					       law ? "A-law" : "u-law", p->start);
				continue;
			}
			while (on > 0 && muted[on - 1])
				on--;
			for (j = (int)p->digit; j < (int)p->end - 8 * 10 && muted[j]; j++)
				;
			if (j < (int)p->end - 8 * 10) {
				gaps++;
				if (getenv("SAFELINE_VERBOSE"))
					printf("# unmuted at %.0f ms of %.0f: %s %.1f dB, SNR %.1f dB, %s start %zu\n",
					       (j - (double)p->start) / 8, (p->end - (double)p->start) / 8,
					       spill_std_name(p->std), p->gain_db, p->snr_db,
					       law ? "A-law" : "u-law", p->start);
			}
			margin[nmargin] = ((double)p->digit - (double)on) / 8.0;
			if (!per_std_ok[p->std] || margin[nmargin] < per_std_min[p->std])
				per_std_min[p->std] = margin[nmargin];
			nmargin++;
			per_std_ok[p->std]++;
		}
		outside += ev[law].n - e;
		free(g711);
		free(back);
		free(orig);
		free(muted);
	}

	printf("# spill starts by kind: fsk seizure %d, fsk mark+type %d, jclip %d, alert tone %d, dtmf %d\n",
	       ev[0].kinds[SAFELINE_CID_KIND_FSK_SEIZURE] + ev[1].kinds[SAFELINE_CID_KIND_FSK_SEIZURE],
	       ev[0].kinds[SAFELINE_CID_KIND_FSK_MESSAGE] + ev[1].kinds[SAFELINE_CID_KIND_FSK_MESSAGE],
	       ev[0].kinds[SAFELINE_CID_KIND_FSK_JCLIP] + ev[1].kinds[SAFELINE_CID_KIND_FSK_JCLIP],
	       ev[0].kinds[SAFELINE_CID_KIND_ALERT] + ev[1].kinds[SAFELINE_CID_KIND_ALERT],
	       ev[0].kinds[SAFELINE_CID_KIND_DTMF] + ev[1].kinds[SAFELINE_CID_KIND_DTMF]);
	for (j = 0; j < SPILL_STD_COUNT; j++)
		printf("# %-18s %4d spills, control decoded %4d, muted before the first digit %4d, "
		       "min margin %5.1f ms\n", spill_std_name(j), per_std_total[j], per_std_ctl[j],
		       per_std_ok[j], per_std_min[j]);
	ktap_ok(&k, out_sum.message_digits == 0 && out_sum.raw_digits == 0,
		"leak: spandsp recovers 0 digits from %d filtered spills (message digits %ld, raw digits %ld)",
		nspills, out_sum.message_digits, out_sum.raw_digits);
	ktap_ok(&k, ctl_sum.decoded * 100 >= nspills * 98,
		"control: spandsp decodes %d of %d unfiltered spills (%.1f %%, need 98 %%)",
		ctl_sum.decoded, nspills, 100.0 * ctl_sum.decoded / nspills);
	qsort(margin, (size_t)nmargin, sizeof(*margin), cmp_double);
	if (nmargin)
		printf("# first-digit margin ms: min %.1f  p1 %.1f  median %.1f  (%d spills)\n",
		       margin[0], margin[nmargin / 100], margin[nmargin / 2], nmargin);
	ktap_ok(&k, !missed && nmargin == nspills,
		"margin: muting starts before the first digit in every spill (%d not)",
		missed);
	printf("# spills unmuted between their first digit and their end: %d\n", gaps);
	ktap_ok(&k, outside == 0, "no spill detected in the gaps between spills (%d)", outside);

	for (law = 0; law < 2; law++) {
		free(st[law].a.lin);
		free(st[law].spills);
		free(ev[law].start);
	}
	free(margin);
	free(sp.amp);
	return ktap_exit(&k);
}
