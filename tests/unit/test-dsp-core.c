// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the DSP core's parts and semantics: G.711 tables against
 * spandsp, Goertzel coefficients against libm, the four modes, hook state,
 * chunking, the linear entry point, events, and independence of instances.
 * Each behaviour is checked beside its counterpart (pass vs suppress, on-hook
 * vs off-hook), so a core that did nothing, or muted everything, fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/audio.h"
#include "tests/unit/ktap.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"

#define SPEECH_FILE "/usr/share/asterisk/sounds/en_US_f_Allison/privacy-prompt.wav"

struct trace {
	int starts, ends;
	int kind;
	uint32_t duration_ms;
	uint64_t start_at;
};

static void on_event(void *user, const struct safeline_cid_event *ev)
{
	struct trace *t = user;

	if (ev->type == SAFELINE_CID_SPILL_START) {
		t->starts++;
		t->kind = ev->kind;
		t->start_at = ev->sample;
	} else {
		t->ends++;
		t->duration_ms = ev->duration_ms;
	}
}

/* 300 ms of silence, a spill, 500 ms of silence: linear, nominal level */
static int16_t *make_spill(int std, uint64_t seed, size_t *n, struct spill *sp)
{
	static const size_t lead = 2400, tail = 4000, room = 8000 * 4;
	int16_t *a = calloc(lead + room + tail, sizeof(*a));
	struct rng r;

	rng_seed(&r, seed);
	*sp = (struct spill){ .std = std };
	spill_make(sp, &r, a + lead, room);
	sp->start = lead;
	sp->digit += lead;
	sp->end += lead;
	*n = sp->end + tail;
	return a;
}

static uint8_t *encode(const int16_t *a, size_t n, int law)
{
	uint8_t *b = malloc(n);
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = law ? linear_to_alaw(a[i]) : linear_to_ulaw(a[i]);
	return b;
}

static void run(uint8_t *b, size_t n, int law, int mode, int hook, size_t chunk, struct trace *t)
{
	struct safeline_cid_params p = {
		.law = law, .mode = mode, .hook = hook, .report = on_event, .user = t,
	};
	struct safeline_cid s;
	size_t i;

	memset(t, 0, sizeof(*t));
	safeline_cid_init(&s, &p);
	for (i = 0; i < n; i += chunk)
		safeline_cid_rx(&s, b + i, (int)(n - i < chunk ? n - i : chunk));
}

static size_t count_changed(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += a[i] != b[i];
	return c;
}

static void test_tables(struct ktap *k)
{
	int i, bad_u = 0, bad_a = 0, bad_c = 0;
	static const int freq[SAFELINE_BIN_COUNT] = {
		1633, 2750, 2130, 697, 770, 852, 941, 1209, 1336, 1477,
	};

	for (i = 0; i < 256; i++) {
		bad_u += safeline_g711_ulaw_to_linear[i] != ulaw_to_linear((uint8_t)i);
		bad_a += safeline_g711_alaw_to_linear[i] != alaw_to_linear((uint8_t)i);
		/* the 13-bit tables the core reads: spandsp's value shifted as the linear path does */
		bad_u += safeline_g711_to_13bit[SAFELINE_LAW_ULAW][i] != ulaw_to_linear((uint8_t)i) >> 3;
		bad_a += safeline_g711_to_13bit[SAFELINE_LAW_ALAW][i] != alaw_to_linear((uint8_t)i) >> 3;
	}
	ktap_ok(k, !bad_u && !bad_a, "tables: G.711 expansion (16- and 13-bit) equals spandsp for all 256 codes (%d, %d differ)",
		bad_u, bad_a);
	ktap_ok(k, abs(safeline_g711_ulaw_to_linear[SAFELINE_G711_ULAW_SILENCE]) <= 8 &&
		   abs(safeline_g711_alaw_to_linear[SAFELINE_G711_ALAW_SILENCE]) <= 8 &&
		   linear_to_ulaw(0) == SAFELINE_G711_ULAW_SILENCE &&
		   (linear_to_alaw(0) == SAFELINE_G711_ALAW_SILENCE ||
		    linear_to_alaw(1) == SAFELINE_G711_ALAW_SILENCE),
		"tables: silence codes are zero amplitude in each law");
	for (i = 0; i < SAFELINE_BIN_COUNT; i++)
		bad_c += abs(safeline_tones_coef[i] -
			     (int)lrint(2 * cos(2 * M_PI * freq[i] / 8000.0) * 16384)) > 1;
	ktap_ok(k, !bad_c, "tables: Goertzel coefficients are 2cos(2 pi f/8000) in Q14 (%d off)", bad_c);
	/* a DTMF spill's bins run at 4 kHz: 2130 and 2750 Hz alias to 1870 and 1250 Hz */
	for (i = 0, bad_c = 0; i < SAFELINE_BIN_COUNT; i++)
		bad_c += abs(safeline_tones_spill_coef[i] -
			     (int)lrint(2 * cos(2 * M_PI * freq[i] / 4000.0) * 16384)) > 1;
	ktap_ok(k, !bad_c, "tables: half-rate coefficients are 2cos(2 pi f/4000) in Q14 (%d off)", bad_c);
}

static void test_modes(struct ktap *k, int law)
{
	const char *ln = law ? "A-law" : "u-law";
	struct spill sp;
	size_t n, changed;
	int16_t *a = make_spill(SPILL_CLIP_ONHOOK, 7 + law, &n, &sp);
	uint8_t *orig = encode(a, n, law), *b = malloc(n);
	uint8_t silence = law ? SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
	struct trace t;
	size_t i, wrong = 0;

	memcpy(b, orig, n);
	run(b, n, law, SAFELINE_CID_SUPPRESS, SAFELINE_HOOK_OFF, 8, &t);
	changed = count_changed(orig, b, n);
	for (i = 0; i < n; i++)
		wrong += b[i] != orig[i] && b[i] != silence;
	ktap_ok(k, t.starts == 1 && t.ends == 1 && changed > (sp.end - sp.digit) && !wrong &&
		   b[sp.digit] == silence,
		"modes %s: suppress mutes the spill with the law's silence code (%zu altered, %zu not silence)",
		ln, changed, wrong);
	ktap_ok(k, t.kind == SAFELINE_CID_KIND_FSK_SEIZURE &&
		   t.duration_ms * 8 >= sp.end - t.start_at && t.duration_ms * 8 <= sp.end - t.start_at + 8 * 200,
		"modes %s: events give kind and a duration that spans the spill (%u ms)", ln, t.duration_ms);

	memcpy(b, orig, n);
	run(b, n, law, SAFELINE_CID_PASS, SAFELINE_HOOK_ON, 8, &t);
	ktap_ok(k, !memcmp(b, orig, n) && !t.starts,
		"modes %s: pass leaves audio byte-identical and reports nothing, even on-hook", ln);

	memcpy(b, orig, n);
	run(b, n, law, SAFELINE_CID_DETECT, SAFELINE_HOOK_ON, 8, &t);
	ktap_ok(k, !memcmp(b, orig, n) && t.starts == 1 && t.ends == 1,
		"modes %s: detect reports the spill (%d start, %d end) and alters nothing", ln, t.starts, t.ends);
	free(a);
	free(orig);
	free(b);
}

/* Strict: everything muted unless off-hook; speech off-hook passes. */
static void test_strict(struct ktap *k)
{
	size_t n, i, changed[3];
	int16_t *a = audio_read_wav(SPEECH_FILE, &n);
	uint8_t *orig, *b;
	struct trace t;
	int hook;

	if (!a) {
		ktap_skip(k, "asterisk-core-sounds-en-wav not installed", "strict: hook state");
		ktap_skip(k, "asterisk-core-sounds-en-wav not installed", "strict: hook change");
		return;
	}
	orig = encode(a, n, 0);
	b = malloc(n);
	for (hook = 0; hook < 3; hook++) {
		memcpy(b, orig, n);
		run(b, n, 0, SAFELINE_CID_STRICT, hook, 8, &t);
		changed[hook] = count_changed(orig, b, n);
	}
	ktap_ok(k, changed[SAFELINE_HOOK_ON] > n * 9 / 10 && changed[SAFELINE_HOOK_RINGING] > n * 9 / 10 &&
		   changed[SAFELINE_HOOK_OFF] == 0,
		"strict: speech muted on-hook (%zu of %zu) and ringing (%zu), untouched off-hook (%zu)",
		changed[0], n, changed[1], changed[2]);

	/* off-hook for the first half, on-hook after: the change takes effect at once */
	{
		struct safeline_cid_params p = { .law = SAFELINE_LAW_ULAW, .mode = SAFELINE_CID_STRICT,
						 .hook = SAFELINE_HOOK_OFF };
		struct safeline_cid s;
		size_t half = (n / 2) & ~(size_t)7, first, second;

		memcpy(b, orig, n);
		safeline_cid_init(&s, &p);
		for (i = 0; i < n; i += 8) {
			if (i == half)
				safeline_cid_set_hook(&s, SAFELINE_HOOK_ON);
			safeline_cid_rx(&s, b + i, (int)(n - i < 8 ? n - i : 8));
		}
		first = count_changed(orig, b, half);
		second = count_changed(orig + half, b + half, n - half);
		ktap_ok(k, first == 0 && second > (n - half) * 9 / 10,
			"strict: hook change mid-stream: %zu altered before, %zu after", first, second);
	}
	free(a);
	free(orig);
	free(b);
}

/* Same output and events whatever the chunking, and two instances never share state. */
static void test_chunks(struct ktap *k)
{
	static const size_t chunks[] = { 1, 3, 8, 160, 1 << 30 };
	struct spill sp;
	size_t n, c, differ = 0;
	int16_t *a = make_spill(SPILL_CLASS_TYPE2, 11, &n, &sp);
	uint8_t *orig = encode(a, n, 0), *ref = malloc(n), *b = malloc(n);
	struct trace t0, t;

	memcpy(ref, orig, n);
	run(ref, n, 0, SAFELINE_CID_SUPPRESS, SAFELINE_HOOK_OFF, 8, &t0);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		memcpy(b, orig, n);
		run(b, n, 0, SAFELINE_CID_SUPPRESS, SAFELINE_HOOK_OFF, chunks[c], &t);
		differ += memcmp(b, ref, n) != 0 || t.starts != t0.starts || t.start_at != t0.start_at;
	}
	ktap_ok(k, !differ && t0.starts == 1 && count_changed(orig, ref, n) > 0,
		"chunks: 1, 3, 8, 160 and whole-buffer calls give identical output and events");

	{
		struct safeline_cid_params p = { .law = SAFELINE_LAW_ULAW, .mode = SAFELINE_CID_SUPPRESS,
						 .hook = SAFELINE_HOOK_OFF };
		struct safeline_cid s1, s2;
		uint8_t *quiet = malloc(n), *quiet_orig = malloc(n);
		size_t i;

		for (i = 0; i < n; i++)
			quiet_orig[i] = linear_to_ulaw((int16_t)((i * 7919) % 64) - 32);
		memcpy(quiet, quiet_orig, n);
		memcpy(b, orig, n);
		safeline_cid_init(&s1, &p);
		safeline_cid_init(&s2, &p);
		for (i = 0; i < n; i += 8) {
			int len = (int)(n - i < 8 ? n - i : 8);

			safeline_cid_rx(&s1, b + i, len);
			safeline_cid_rx(&s2, quiet + i, len);
		}
		ktap_ok(k, !memcmp(b, ref, n) && count_changed(quiet_orig, quiet, n) == 0 &&
			   !safeline_cid_muting(&s2),
			"instances: a spill on one channel leaves an interleaved idle channel alone");
		free(quiet);
		free(quiet_orig);
	}
	free(a);
	free(orig);
	free(ref);
	free(b);
}

static void test_linear(struct ktap *k)
{
	struct spill sp;
	size_t n, i, zeroed = 0;
	int16_t *a = make_spill(SPILL_DTMF, 5, &n, &sp);
	int16_t *b = malloc(n * sizeof(*b));
	struct safeline_cid_params p = { .mode = SAFELINE_CID_SUPPRESS, .hook = SAFELINE_HOOK_OFF };
	struct safeline_cid s;

	memcpy(b, a, n * sizeof(*a));
	safeline_cid_init(&s, &p);
	for (i = 0; i < n; i += 8)
		safeline_cid_rx_linear(&s, b + i, (int)(n - i < 8 ? n - i : 8));
	for (i = sp.digit; i < sp.end; i++)
		zeroed += b[i] == 0 && a[i] != 0;
	ktap_ok(k, b[sp.digit] == 0 && zeroed > (sp.end - sp.digit) / 3 && b[100] == a[100],
		"linear: 16-bit entry point mutes a DTMF spill to 0 from before its first digit");
	free(a);
	free(b);
}

/* DTMF variant 4 has no start symbol: suppress cannot see it coming, strict on-hook mutes it. */
static void test_variant4(struct ktap *k)
{
	dtmf_tx_state_t *tx = dtmf_tx_init(NULL);
	size_t n = 8000 * 3, got = 0, changed_suppress, changed_strict;
	int16_t *a = calloc(n, sizeof(*a));
	uint8_t *orig, *b = malloc(n);
	char digits[16];
	struct trace t;
	struct rng r;
	int len, i;

	rng_seed(&r, 4);
	for (i = 0; i < 10; i++)
		digits[i] = (char)('0' + rng_int(&r, 0, 9));
	digits[10] = '#';
	digits[11] = '\0';
	dtmf_tx_put(tx, digits, -1);
	memset(digits, 0, sizeof(digits));
	while ((len = dtmf_tx(tx, a + 800 + got, 160)) > 0)
		got += (size_t)len;
	dtmf_tx_free(tx);
	orig = encode(a, n, 0);
	memcpy(b, orig, n);
	run(b, n, 0, SAFELINE_CID_SUPPRESS, SAFELINE_HOOK_OFF, 8, &t);
	changed_suppress = count_changed(orig, b, n);
	memcpy(b, orig, n);
	run(b, n, 0, SAFELINE_CID_STRICT, SAFELINE_HOOK_ON, 8, &t);
	changed_strict = count_changed(orig, b, n);
	for (i = 0; (size_t)i < n; i++)
		if (b[i] != SAFELINE_G711_ULAW_SILENCE)
			changed_strict = 0;	/* something got through */
	ktap_ok(k, changed_suppress == 0 && changed_strict > got / 4,
		"dtmf variant 4 (<number>#, %zu ms): suppress leaves it (known limit, %zu altered); "
		"strict on-hook mutes it all (%zu altered)", got / 8, changed_suppress, changed_strict);
	free(a);
	free(orig);
	free(b);
}

int main(void)
{
	struct ktap k;

	ktap_plan(&k, 19);
	printf("# state: %zu bytes per channel and direction\n", sizeof(struct safeline_cid));
	test_tables(&k);
	test_modes(&k, 0);
	test_modes(&k, 1);
	test_strict(&k);
	test_chunks(&k);
	test_linear(&k);
	test_variant4(&k);
	ktap_ok(&k, sizeof(struct safeline_cid) <= 512, "state: fixed size under 512 bytes (%zu)",
		sizeof(struct safeline_cid));
	return ktap_exit(&k);
}
