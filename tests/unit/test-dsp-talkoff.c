// SPDX-License-Identifier: GPL-2.0
/*
 * Talk-off test for the DSP core: real recorded speech (every prompt of
 * asterisk-core-sounds-en-wav) and synthetic speech (espeak-ng, several voices
 * and pitches, cached under the build directory) go through the suppressor in
 * suppress mode, off-hook, 8-sample chunks, in both G.711 laws, as recorded,
 * 6 dB louder (clipping) and 10 dB quieter. No mute event
 * (10 ms or more altered) may happen. The control splices spandsp spills into
 * the same speech and must find every one of them muted.
 *
 * Usage: test-dsp-talkoff [-s SEED]   (SAFELINE_SEED works too)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <spandsp.h>

#include "kernel/dsp/cid.h"
#include "tests/unit/audio.h"
#include "tests/unit/cmdline.h"
#include "tests/unit/ktap.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"

#ifndef SAFELINE_BUILD_DIR
#define SAFELINE_BUILD_DIR "build"
#endif

#define DEFAULT_SEED 20260303ULL
#define ASTERISK_SOUNDS "/usr/share/asterisk/sounds"
#define MUTE_EVENT_SAMPLES 80	/* 10 ms altered makes a mute event (issue 3) */
#define CONTROL_SPILLS 40

struct corpus {
	int16_t *amp;
	size_t n, cap;
	int files;
};

/* espeak-ng voices and texts: male/female, low to high pitch, several accents */
static const struct voice {
	const char *name, *voice, *text;
	int pitch, speed;
} voices[] = {
	{ "en-us-m", "en-us", "/usr/share/common-licenses/GPL-3", 50, 175 },
	{ "en-us-f3", "en-us+f3", "/usr/share/common-licenses/GPL-2", 70, 165 },
	{ "en-rp-m3", "en-gb-x-rp+m3", "/usr/share/common-licenses/Apache-2.0", 35, 155 },
	{ "en-scot-f2", "en-gb-scotland+f2", "/usr/share/common-licenses/LGPL-2.1", 85, 185 },
	{ "en-029-m1", "en-029+m1", "/usr/share/common-licenses/MPL-2.0", 25, 160 },
	{ "en-us-klatt", "en-us+klatt", "/usr/share/common-licenses/Artistic", 60, 170 },
};

static void corpus_add(struct corpus *c, const int16_t *amp, size_t n)
{
	size_t gap = 800;	/* 100 ms between files, as between prompts */

	if (c->n + n + gap > c->cap) {
		c->cap = (c->n + n + gap) * 2;
		c->amp = realloc(c->amp, c->cap * sizeof(*c->amp));
		if (!c->amp)
			abort();
	}
	memcpy(c->amp + c->n, amp, n * sizeof(*amp));
	memset(c->amp + c->n + n, 0, gap * sizeof(*amp));
	c->n += n + gap;
	c->files++;
}

static void corpus_add_file(struct corpus *c, const char *path)
{
	size_t n;
	int16_t *a = audio_read_wav(path, &n);

	if (a)
		corpus_add(c, a, n);
	free(a);
}

static struct corpus load_asterisk(void)
{
	struct corpus c = { 0 };
	int count, i;
	char **files = audio_list_wavs(ASTERISK_SOUNDS, &count);

	for (i = 0; i < count; i++)
		if (strstr(files[i], "/en"))
			corpus_add_file(&c, files[i]);
	audio_free_list(files);
	return c;
}

/* Synthesises each voice once into BUILD/tests/espeak/ and loads them all. */
static struct corpus load_espeak(int *voices_ok)
{
	struct corpus c = { 0 };
	char dir[1024], path[1200], cmd[4096];
	size_t i;
	struct stat st;

	*voices_ok = 0;
	snprintf(dir, sizeof(dir), "%s/tests/espeak", SAFELINE_BUILD_DIR);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	if (system(cmd))
		return c;
	for (i = 0; i < sizeof(voices) / sizeof(voices[0]); i++) {
		const struct voice *v = &voices[i];

		snprintf(path, sizeof(path), "%s/%s.wav", dir, v->name);
		if (stat(path, &st)) {
			snprintf(cmd, sizeof(cmd),
				 "espeak-ng -v %s -p %d -s %d -f %s --stdout 2>/dev/null | "
				 "sox -q -t wav - -r 8000 -b 16 -c 1 -e signed-integer '%s.tmp.wav' && "
				 "mv '%s.tmp.wav' '%s'",
				 v->voice, v->pitch, v->speed, v->text, path, path, path);
			if (system(cmd))
				continue;
		}
		corpus_add_file(&c, path);
		(*voices_ok)++;
	}
	return c;
}

struct run {
	int starts;		/* spill-start events */
	int mute_events;	/* runs of >= 10 ms altered */
	double muted_ms;
	uint8_t *muted;		/* optional per-sample mask */
	int kinds[8];		/* starts per safeline_cid_kind */
};

static void count_start(void *user, const struct safeline_cid_event *ev)
{
	struct run *r = user;

	if (ev->type != SAFELINE_CID_SPILL_START)
		return;
	r->starts++;
	if (ev->kind < 8)
		r->kinds[ev->kind]++;
	if (getenv("SAFELINE_VERBOSE"))
		printf("# start kind %d at %.3f s\n", ev->kind, ev->sample / 8000.0);
}

/* Encode, suppress (off-hook, 8-sample chunks), and count what was altered. */
static void run_filter(const int16_t *amp, size_t n, int law, struct run *r)
{
	struct safeline_cid_params params = {
		.law = law ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW,
		.mode = SAFELINE_CID_SUPPRESS,
		.hook = SAFELINE_HOOK_OFF,
		.report = count_start,
		.user = r,
	};
	uint8_t *in = malloc(n), *out = malloc(n);
	uint8_t silence = law ? SAFELINE_G711_ALAW_SILENCE : SAFELINE_G711_ULAW_SILENCE;
	struct safeline_cid cid;
	size_t i, run = 0, altered = 0;

	if (!in || !out)
		abort();
	for (i = 0; i < n; i++)
		in[i] = law ? linear_to_alaw(amp[i]) : linear_to_ulaw(amp[i]);
	memcpy(out, in, n);
	safeline_cid_init(&cid, &params);
	for (i = 0; i < n; i += 8)
		safeline_cid_rx(&cid, out + i, (int)(n - i < 8 ? n - i : 8));
	/* muted: silence out, and either changed or inside a muted run */
	for (i = 0; i <= n; i++) {
		int muted = i < n && out[i] == silence &&
			    (in[i] != out[i] || (run && in[i] == silence));

		if (r->muted && i < n)
			r->muted[i] = (uint8_t)muted;
		if (muted) {
			run++;
			altered += in[i] != out[i];
			continue;
		}
		if (run >= MUTE_EVENT_SAMPLES) {
			r->mute_events++;
			if (getenv("SAFELINE_VERBOSE"))
				printf("# mute %.3f s .. %.3f s\n", (i - run) / 8000.0, i / 8000.0);
		}
		run = 0;
	}
	r->muted_ms = altered / 8.0;
	free(in);
	free(out);
}

/* The corpus at gain_db (saturating), through the filter in one law. */
static void talkoff(struct ktap *k, const char *name, const struct corpus *c, int law, int gain_db)
{
	int16_t *amp = c->amp;
	struct run r = { 0 };
	size_t i;

	if (gain_db) {
		double g = pow(10.0, gain_db / 20.0);

		amp = malloc(c->n * sizeof(*amp));
		for (i = 0; i < c->n; i++) {
			double v = c->amp[i] * g;

			amp[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
	}
	run_filter(amp, c->n, law, &r);
	if (amp != c->amp)
		free(amp);
	ktap_ok(k, r.mute_events == 0 && r.starts == 0,
		"talk-off: %s %+d dB, %s, %.2f h: %d mute events, %d spill starts, %.0f ms altered",
		name, gain_db, law ? "A-law" : "u-law", c->n / 8000.0 / 3600.0, r.mute_events,
		r.starts, r.muted_ms);
	if (r.starts)
		printf("# starts by kind: seizure %d, mark+type %d, jclip %d, alert %d, dtmf %d\n",
		       r.kinds[SAFELINE_CID_KIND_FSK_SEIZURE], r.kinds[SAFELINE_CID_KIND_FSK_MESSAGE],
		       r.kinds[SAFELINE_CID_KIND_FSK_JCLIP], r.kinds[SAFELINE_CID_KIND_ALERT],
		       r.kinds[SAFELINE_CID_KIND_DTMF]);
}

/*
 * Control: the same speech with spills spliced in at random points; every
 * spill must be muted from before its first digit, and nothing else.
 */
static void control(struct ktap *k, const struct corpus *speech, struct rng *rng)
{
	struct corpus c = { 0 };
	static int16_t buf[8000 * 4];
	size_t digit_at[CONTROL_SPILLS], from = 0, to, n;
	size_t limit = speech->n < 8000 * 600 ? speech->n : 8000 * 600;
	struct run r = { 0 };
	int i, covered = 0;

	for (i = 0; i < CONTROL_SPILLS; i++) {
		struct spill sp = { .std = i % SPILL_STD_COUNT };

		to = from + (size_t)rng_int(rng, 8000, 8000 * 14);
		if (to > limit)
			to = limit;
		corpus_add(&c, speech->amp + from, to - from);
		from = to;
		n = spill_make(&sp, rng, buf, sizeof(buf) / sizeof(buf[0]));
		digit_at[i] = c.n + sp.digit;
		if (getenv("SAFELINE_VERBOSE"))
			printf("# spill %s at %.3f s, digit %.3f s, end %.3f s\n", spill_std_name(sp.std),
			       c.n / 8000.0, digit_at[i] / 8000.0, (c.n + n) / 8000.0);
		corpus_add(&c, buf, n);
		memset(sp.number, 0, sizeof(sp.number));
	}
	corpus_add(&c, speech->amp + from, limit - from);
	r.muted = malloc(c.n);
	run_filter(c.amp, c.n, 0, &r);
	for (i = 0; i < CONTROL_SPILLS; i++)
		covered += r.muted[digit_at[i]];
	ktap_ok(k, covered == CONTROL_SPILLS && r.mute_events == CONTROL_SPILLS,
		"control: %d spills spliced into speech: %d muted at their first digit, %d mute events",
		CONTROL_SPILLS, covered, r.mute_events);
	free(r.muted);
	free(c.amp);
}

int main(int argc, char **argv)
{
	uint64_t seed = DEFAULT_SEED;
	struct corpus ast, esp;
	static const int gains[] = { 0, 6, -10 };	/* as recorded, louder (clipping), quieter */
	int law, nvoices, g;
	double hours;
	struct rng rng;
	struct ktap k;

	if (cmdline_parse(argc, argv, &seed, NULL, NULL))
		return 2;
	rng_seed(&rng, seed);
	ast = load_asterisk();
	esp = load_espeak(&nvoices);

	ktap_plan(&k, 13);
	hours = (ast.n + esp.n) / 8000.0 / 3600.0;
	printf("# seed %llu; speech: %d asterisk prompts (%.2f h), %d espeak-ng voices (%.2f h); "
	       "%.2f h of distinct speech, run 6 ways (2 laws x 3 levels): %.2f h processed\n",
	       (unsigned long long)seed, ast.files, ast.n / 8000.0 / 3600.0, nvoices,
	       esp.n / 8000.0 / 3600.0, hours, 6 * hours);
	for (g = 0; g < (int)(sizeof(gains) / sizeof(gains[0])); g++) {
		for (law = 0; law < 2; law++) {
			if (ast.files)
				talkoff(&k, "asterisk prompts", &ast, law, gains[g]);
			else
				ktap_skip(&k, "asterisk-core-sounds-en-wav not installed",
					  "talk-off: asterisk prompts");
			if (nvoices)
				talkoff(&k, "espeak-ng", &esp, law, gains[g]);
			else
				ktap_skip(&k, "espeak-ng or sox missing", "talk-off: espeak-ng");
		}
	}
	if (ast.files)
		control(&k, &ast, &rng);
	else
		ktap_skip(&k, "no speech corpus", "control: spills spliced into speech");
	free(ast.amp);
	free(esp.amp);
	return ktap_exit(&k);
}
