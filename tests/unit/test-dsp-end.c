// SPDX-License-Identifier: GPL-2.0
/*
 * Where a spill's mute ends, whatever follows the spill. The core ends an
 * open spill on what it hears after it (an FSK spill on the dips of its
 * envelope or on carrier loss, a DTMF spill when no digit comes), so it must
 * neither cut a spill short nor keep the line muted long after it: each kind
 * of spill at two levels, under 15 dB SNR noise, is followed by 1 s of
 * silence, of white noise as loud as the spill and 15 dB under it, and of
 * speech as loud as the spill and 15 dB under it, in both laws.
 *
 * Usage: test-dsp-end [-s SEED]   (SAFELINE_SEED works too)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/cmdline.h"
#include "tests/unit/ktap.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"
#include "tests/unit/stream.h"

#define DEFAULT_SEED 20261122ULL
#define NOMINAL_DBM0 -14.0	/* spandsp's FSK transmit level */
#define SPEECH_DIR "/usr/share/asterisk/sounds"
#define SPILL_MAX (8000 * 4)
#define AFTER 8000		/* 1 s of what follows */
/*
 * Mute after the spill's end: an FSK spill's dips or carrier loss, then 40 ms
 * of hangover; a DTMF spill's 200 ms without a digit and the hangover. White
 * noise as loud as the spill takes longest: it dips least often (3 dips of 16
 * ticks: up to ~0.3 s over 60 seeds), and folded onto a DTMF spill's
 * half-rate bins it reads as a digit now and then (up to ~0.32 s).
 */
#define LIMIT_MS 100.0
#define DTMF_LIMIT_MS 300.0
#define NOISE_LIMIT_MS 500.0

enum follow { SILENCE, NOISE_LOUD, NOISE_LOW, SPEECH_LOUD, SPEECH_LOW, FOLLOW_COUNT };

static const char *const follow_name[FOLLOW_COUNT] = {
	"silence", "white noise as loud", "white noise 15 dB under",
	"speech as loud", "speech 15 dB under",
};

static const int stds[] = {
	SPILL_CLASS_SDMF, SPILL_CLASS_TYPE2, SPILL_CLIP_ONHOOK, SPILL_CLIP_OFFHOOK,
	SPILL_JCLIP, SPILL_DTMF,
};

static double rms(const int16_t *a, size_t n)
{
	double e = 0;
	size_t i;

	for (i = 0; i < n; i++)
		e += (double)a[i] * a[i];
	return sqrt(e / (n ? n : 1));
}

/* 1 s of speech from the prompts (every 11th), the same for every case */
static int16_t *load_speech(void)
{
	struct speech sp = speech_load(SPEECH_DIR, 11);

	if (sp.n >= AFTER)
		return sp.amp;
	free(sp.amp);
	return NULL;
}

struct trace {
	int starts, ends;
	uint64_t start, end;	/* the first spill's start and end */
};

static void on_event(void *user, const struct safeline_cid_event *ev)
{
	struct trace *t = user;

	if (ev->type == SAFELINE_CID_SPILL_START && !t->starts++)
		t->start = ev->sample;
	if (ev->type == SAFELINE_CID_SPILL_END && !t->ends++)
		t->end = ev->sample;
}

/*
 * One case: returns the ms from the spill's end to the end of its mute (the
 * core's SPILL_END), -1e9 when the spill was not one mute from before its
 * first digit (the mute stopped inside it, or started late).
 */
static double run_case(struct rng *r, int std, double gain_db, int follow, int law,
		       const int16_t *speech)
{
	static int16_t lin[SPILL_MAX + AFTER];
	static uint8_t out[SPILL_MAX + AFTER];
	struct trace trace = { 0 };
	struct safeline_cid_params p = { .law = law, .mode = SAFELINE_CID_SUPPRESS,
					 .hook = SAFELINE_HOOK_OFF, .report = on_event,
					 .user = &trace };
	struct spill sp = { .std = std };
	struct safeline_cid s;
	double g = pow(10.0, gain_db / 20.0), level, scale;
	awgn_state_t *noise;
	size_t i, n, end;

	memset(lin, 0, sizeof(lin));
	end = spill_make(&sp, r, lin, SPILL_MAX);
	memset(sp.number, 0, sizeof(sp.number));
	for (i = 0; i < end; i++)
		lin[i] = sat16(lin[i] * g);
	n = end + AFTER;
	level = rms(lin + sp.digit, end - sp.digit);
	if (follow == NOISE_LOUD || follow == NOISE_LOW) {
		noise = awgn_init_dbm0(NULL, (int)(rng_next(r) & 0x7fffffff),
				       (float)(NOMINAL_DBM0 + gain_db - (follow == NOISE_LOW ? 15 : 0)));
		for (i = end; i < n; i++)
			lin[i] = sat16(awgn(noise));
		awgn_free(noise);
	} else if (follow != SILENCE) {
		scale = level / rms(speech, AFTER) * (follow == SPEECH_LOW ? pow(10, -0.75) : 1);
		for (i = end; i < n; i++)
			lin[i] = sat16(speech[i - end] * scale);
	}
	/* the line's own noise over all of it, 15 dB under the spill */
	noise = awgn_init_dbm0(NULL, (int)(rng_next(r) & 0x7fffffff),
			       (float)(NOMINAL_DBM0 + gain_db - 15));
	for (i = 0; i < n; i++)
		lin[i] = sat16(lin[i] + awgn(noise));
	awgn_free(noise);

	for (i = 0; i < n; i++)
		out[i] = law ? linear_to_alaw(lin[i]) : linear_to_ulaw(lin[i]);
	safeline_cid_init(&s, &p);
	for (i = 0; i < n; i += 8)
		safeline_cid_rx(&s, out + i, 8);
	if (trace.starts != 1 || trace.start > sp.digit || !trace.ends) {
		printf("# %s: %d spill starts (first at %llu, digit at %zu), %d ends\n",
		       spill_std_name(std), trace.starts, (unsigned long long)trace.start,
		       sp.digit, trace.ends);
		return -1e9;
	}
	return ((double)trace.end - (double)end) / 8.0;
}

int main(int argc, char **argv)
{
	uint64_t seed = DEFAULT_SEED;
	double worst[FOLLOW_COUNT][2], ms;
	int cut = 0, cases = 0, f, k, law, lv, dtmf;
	struct ktap kt;
	struct rng r;
	int16_t *speech;

	if (cmdline_parse(argc, argv, &seed, NULL, NULL))
		return 2;
	ktap_plan(&kt, FOLLOW_COUNT + 1);
	speech = load_speech();
	if (!speech) {
		ktap_ok(&kt, 0, "speech corpus under %s (missing: install asterisk-core-sounds-en-wav)",
			SPEECH_DIR);
		return ktap_exit(&kt);
	}
	printf("# seed %llu (override: -s SEED or SAFELINE_SEED)\n", (unsigned long long)seed);
	rng_seed(&r, seed);
	for (f = 0; f < FOLLOW_COUNT; f++)
		worst[f][0] = worst[f][1] = -1e9;
	for (f = 0; f < FOLLOW_COUNT; f++)
		for (k = 0; k < (int)(sizeof(stds) / sizeof(stds[0])); k++)
			for (law = 0; law < 2; law++)
				for (lv = 0; lv < 2; lv++) {
					ms = run_case(&r, stds[k], lv ? 0.0 : -20.0, f, law, speech);
					dtmf = stds[k] == SPILL_DTMF;
					cases++;
					if (ms < 0) {
						cut++;
						printf("# cut short: %s, %s after, %s, %d dB: %.1f ms\n",
						       spill_std_name(stds[k]), follow_name[f],
						       law ? "A-law" : "u-law", lv ? 0 : -20, ms);
					}
					if (getenv("SAFELINE_VERBOSE"))
						printf("# %s, %s after, %s, %d dB: %.1f ms\n",
						       spill_std_name(stds[k]), follow_name[f],
						       law ? "A-law" : "u-law", lv ? 0 : -20, ms);
					if (ms > worst[f][dtmf])
						worst[f][dtmf] = ms;
				}
	ktap_ok(&kt, !cut, "no spill's mute ends before the spill does (%d of %d cases)", cut, cases);
	for (f = 0; f < FOLLOW_COUNT; f++) {
		double fsk_limit = f == NOISE_LOUD ? NOISE_LIMIT_MS : LIMIT_MS;
		double dtmf_limit = f == NOISE_LOUD ? NOISE_LIMIT_MS : DTMF_LIMIT_MS;

		ktap_ok(&kt, worst[f][0] <= fsk_limit && worst[f][1] <= dtmf_limit,
			"%s after the spill: the mute is over %.1f ms after an FSK spill (<= %.0f), "
			"%.1f ms after a DTMF one (<= %.0f)", follow_name[f], worst[f][0], fsk_limit,
			worst[f][1], dtmf_limit);
	}
	free(speech);
	return ktap_exit(&kt);
}
