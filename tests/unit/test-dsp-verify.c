// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the caller-ID verifier (kernel/dsp/verify.c): spandsp-made calls
 * of every standard it claims (Bell 202 SDMF and MDMF with and without a
 * seizure, V.23 MDMF with and without DT-AS, DTMF CLIP), both laws, levels
 * -20..+3 dB, white noise 20-45 dB SNR, FSK carrier and bit rate anywhere in
 * the standards' tolerances, presenting one of our numbers (national or
 * international form), another number (a quarter of them one digit away from
 * ours), or none. The
 * verifier must say OURS, NOT_OURS, WITHHELD respectively, and nothing for
 * speech, noise, broken checksums and unframed DTMF. Beside it run two
 * controls on the same audio: no suffix rule (international forms of our
 * numbers must stop matching) and a wrong key (nothing may match). After
 * every call the state is scanned for the number's digits; the same scan run
 * while the number is still being received must find them (the scan's
 * control). Numbers live only in memory; only counts are printed, and every
 * printed line is checked for the key and our numbers before it goes out.
 *
 * Usage: test-dsp-verify [-s SEED] [-n CALLS_PER_CELL]   (SAFELINE_SEED works too)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <spandsp.h>

#include "kernel/dsp/verify.h"
#include "tests/unit/cmdline.h"
#include "tests/unit/ktap.h"
#include "tests/unit/rng.h"
#include "tests/unit/spill.h"
#include "tests/unit/stream.h"

#define DEFAULT_SEED 20261122ULL
#define DEFAULT_CELL 100	/* calls per standard x outcome x law */
#define NOMINAL_DBM0 -14.0	/* spandsp's FSK level, the reference for SNR */
#define SPEECH_DIR "/usr/share/asterisk/sounds"
#define MAX_CALL (8000 * 4)
#define TAIL (8 * 150)		/* a report may come up to 150 ms after the call's audio */
/* State scans: after the report, and after an unfinished DTMF sequence timed out (500 ms) */
#define SCAN_AFTER (8 * 600)
#define OWN 5			/* own numbers: 4 national (10 digits), 1 short (7) */
#define SUFFIX 10

enum std { STD_BELL_SDMF, STD_BELL_MDMF, STD_V23, STD_V23_DTAS, STD_DTMF, STD_COUNT };
enum cls { CLS_OURS, CLS_NOT_OURS, CLS_WITHHELD, CLS_GARBAGE, CLS_COUNT };
enum garbage { G_SPEECH, G_NOISE, G_BAD_CHECKSUM, G_UNFRAMED_DTMF, G_COUNT };

static const char *const std_names[STD_COUNT] = {
	"bell202-sdmf", "bell202-mdmf", "v23-mdmf", "v23-dtas", "dtmf-clip",
};
static const char *const cls_names[CLS_COUNT] = { "ours", "not-ours", "withheld", "garbage" };
static const int expect_outcome[CLS_COUNT] = {
	SAFELINE_VERIFY_OURS, SAFELINE_VERIFY_NOT_OURS, SAFELINE_VERIFY_WITHHELD, 0,
};

struct call {
	struct spill sp;	/* the number presented (never printed), where, level, SNR */
	int std, cls;
	int intl;		/* presented in international form (country code + national) */
	int near;		/* not ours by one digit */
	size_t probe;		/* while the number is complete in the verifier, or 0 */
};

struct own {
	char national[16];
	int n;
	char cc[4];		/* country code for the international form */
};

struct reports {
	struct safeline_verify_report *r;
	int n, cap;
};

static uint8_t key[SAFELINE_SIPHASH_KEY_BYTES];
static struct own own[OWN];
static int printed_lines, printed_bad;

/*
 * Every line printed by this test goes through here: it must hold no byte run
 * of the key (raw or hex) and none of our numbers, else it is withheld.
 */
static int line_leaks(const char *line)
{
	char hex[2 * SAFELINE_SIPHASH_KEY_BYTES + 1];
	size_t i, len = strlen(line);
	int o;

	for (i = 0; i < SAFELINE_SIPHASH_KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	for (i = 0; i + 8 <= 2 * SAFELINE_SIPHASH_KEY_BYTES; i += 2)
		if (strcasestr(line, (char[9]){ hex[i], hex[i + 1], hex[i + 2], hex[i + 3], hex[i + 4],
					      hex[i + 5], hex[i + 6], hex[i + 7], 0 }))
			return 1;
	for (i = 0; i + 4 <= SAFELINE_SIPHASH_KEY_BYTES; i++)
		if (memmem(line, len, key + i, 4))
			return 1;
	for (o = 0; o < OWN; o++)
		if (strstr(line, own[o].national))
			return 1;
	return 0;
}

/* Formats one line to print; 0 (and counted) when it holds key or number bytes. */
__attribute__((format(printf, 3, 0)))
static int vet(char *line, size_t size, const char *fmt, va_list ap)
{
	vsnprintf(line, size, fmt, ap);
	printed_lines++;
	if (!line_leaks(line))
		return 1;
	printed_bad++;
	return 0;
}

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int ok;

	va_start(ap, fmt);
	ok = vet(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ok)
		printf("%s", line);
	else
		printf("# (a diagnostic line was withheld: it held key or number bytes)\n");
}

/* A KTAP result whose description is checked like any other line. */
__attribute__((format(printf, 3, 4)))
static int check(struct ktap *k, int ok, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int clean;

	va_start(ap, fmt);
	clean = vet(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!clean)
		return ktap_ok(k, 0, "(description withheld: it held key or number bytes)");
	return ktap_ok(k, ok, "%s", line);
}

static uint64_t hash_str(const uint8_t *k, const char *digits)
{
	return safeline_siphash24(k, (const uint8_t *)digits, strlen(digits));
}

/* The hashes the agent would load: each own number's last SUFFIX digits (all of a shorter one). */
static void make_table(struct safeline_verify_params *p)
{
	int o;

	for (o = 0; o < OWN; o++) {
		const char *d = own[o].national;
		size_t n = strlen(d);

		p->hashes[o] = hash_str(key, n > SUFFIX ? d + n - SUFFIX : d);
	}
	p->nhashes = OWN;
	p->suffix_digits = SUFFIX;
}

/* Would this digit string be ours under the suffix rule? (generator side, plain compare) */
static int is_ours(const char *d)
{
	size_t n = strlen(d);
	int o;

	for (o = 0; o < OWN; o++) {
		const char *w = own[o].national;
		size_t m = strlen(w);

		if (!strcmp(d, w) || (n > SUFFIX && m == SUFFIX && !strcmp(d + n - SUFFIX, w)))
			return 1;
	}
	return 0;
}

/* Chooses the number a call presents for its class. */
static void pick_number(struct rng *r, struct call *c)
{
	const struct own *w = &own[rng_int(r, 0, OWN - 1)];
	int pos;

	if (c->cls == CLS_WITHHELD || c->cls == CLS_GARBAGE) {
		spill_random_digits(r, c->sp.number, rng_int(r, 7, 12));
	} else if (c->cls == CLS_OURS || rng_int(r, 0, 3) == 0) {
		/* ours, or (a quarter of not-ours) ours with one significant digit changed */
		c->intl = w->n == SUFFIX && rng_int(r, 0, 1);
		snprintf(c->sp.number, sizeof(c->sp.number), "%s%s", c->intl ? w->cc : "", w->national);
		while (c->cls == CLS_NOT_OURS && is_ours(c->sp.number)) {
			c->near = 1;
			pos = (int)strlen(c->sp.number) - rng_int(r, 1, w->n);
			c->sp.number[pos] = (char)('0' + (c->sp.number[pos] - '0' + rng_int(r, 1, 9)) % 10);
		}
	} else {
		do
			spill_random_digits(r, c->sp.number, rng_int(r, 6, 15));
		while (is_ours(c->sp.number));
	}
	c->sp.ndigits = (int)strlen(c->sp.number);
}

/* The spill.c standard a call of std sends (Bell 202 MDMF and V.23 DT-AS: either form). */
static int spill_std(struct rng *r, int std)
{
	switch (std) {
	case STD_BELL_SDMF:
		return SPILL_CLASS_SDMF;
	case STD_BELL_MDMF:	/* type II: CAS, ACK time, mark, no seizure (TR-NWT-000575) */
		return rng_int(r, 0, 1) ? SPILL_CLASS_TYPE2 : SPILL_CLASS_MDMF;
	case STD_V23:
		return SPILL_CLIP_ONHOOK;
	case STD_V23_DTAS:	/* before ring (SIN 227, EN 300 659-1) or off-hook (-2) */
		return rng_int(r, 0, 1) ? SPILL_CLIP_DTAS : SPILL_CLIP_OFFHOOK;
	}
	return SPILL_DTMF;
}

/*
 * One call's audio at nominal level, FSK always off-frequency and off-rate;
 * sets c->probe relative to out[0]. Garbage: a broken checksum (DTMF: no end
 * symbol, so it must time out), or DTMF digits with no start and no end.
 */
static size_t make_call(struct rng *r, struct call *c, int16_t *out, size_t max, int garbage)
{
	struct spill *sp = &c->sp;
	size_t n;

	sp->std = spill_std(r, c->std);
	sp->given = 1;
	sp->withheld = c->cls == CLS_WITHHELD;
	sp->off_nominal = 1;
	if (garbage == G_UNFRAMED_DTMF) {
		sp->std = SPILL_DTMF;
		sp->fault = SPILL_UNFRAMED;
	} else if (garbage == G_BAD_CHECKSUM) {
		sp->fault = sp->std == SPILL_DTMF ? SPILL_UNTERMINATED : SPILL_BAD_CHECKSUM;
	}
	n = spill_make(sp, r, out, max);
	c->probe = sp->complete;
	return n;
}

/* One law's line: the stream and the calls in it. */
struct line {
	struct stream a;
	struct call *calls;
	int ncalls;
};

/* gap (silence or speech), then the call at a random level, noise over both */
static void line_add(struct line *l, struct rng *r, const struct speech *sp, int std, int cls)
{
	struct call *c = &l->calls[l->ncalls++];
	size_t gap = (size_t)rng_int(r, 700, 1200) * 8, base = l->a.n, n;
	static int16_t buf[MAX_CALL];
	double gain = rng_real(r, -20.0, 3.0), snr = rng_real(r, 20.0, 45.0);
	int garbage = cls == CLS_GARBAGE ? rng_int(r, 0, G_COUNT - 1) : -1;

	*c = (struct call){ .std = std, .cls = cls, .sp = { .gain_db = gain, .snr_db = snr } };
	pick_number(r, c);
	stream_gap(&l->a, r, sp, gap, 4);
	memset(buf, 0, sizeof(buf));
	if (garbage == G_SPEECH && sp->n) {
		n = (size_t)rng_int(r, 4000, 16000);
		speech_fill(r, sp, buf, n);
	} else if (garbage == G_NOISE || (garbage == G_SPEECH && !sp->n)) {
		n = (size_t)rng_int(r, 4000, 16000);
	} else {
		n = make_call(r, c, buf, MAX_CALL, garbage);
	}
	c->sp.start = stream_put(&l->a, buf, n, gain);
	c->sp.end = l->a.n;
	if (c->probe)
		c->probe += c->sp.start;
	stream_noise(&l->a, r, base, NOMINAL_DBM0 + gain - snr);
}

static int zeros(const char *d, int n)
{
	int z = 0;

	while (n--)
		z += *d++ == '0';
	return z;
}

/*
 * Whether mem holds the number's digits: a run of >= 4 consecutive ones as
 * ASCII (how the verifier keeps them), >= 6 as one digit value per byte, or
 * >= 8 as packed BCD in either nibble order. The binary forms need longer
 * runs with few zeros, because small integers and padding in the state look
 * like "000500": 4-digit windows hit 2 % of scans for numbers never sent,
 * 6-digit ones with any zeros still 1 in 3,500.
 */
static int holds_digits(const uint8_t *mem, size_t len, const char *num, int n)
{
	uint8_t w[6];
	int i, j;

	for (i = 0; i + 4 <= n; i++)
		if (memmem(mem, len, num + i, 4))
			return 1;
	for (i = 0; i + 6 <= n; i++) {
		for (j = 0; j < 6; j++)
			w[j] = (uint8_t)(num[i + j] - '0');
		if (zeros(num + i, 6) <= 2 && memmem(mem, len, w, 6))
			return 1;
	}
	for (i = 0; i + 8 <= n; i++) {
		if (zeros(num + i, 8) > 3)
			continue;
		for (j = 0; j < 4; j++)
			w[j] = (uint8_t)((num[i + 2 * j] - '0') << 4 | (num[i + 2 * j + 1] - '0'));
		if (memmem(mem, len, w, 4))
			return 1;
		for (j = 0; j < 4; j++)
			w[j] = (uint8_t)((num[i + 2 * j + 1] - '0') << 4 | (num[i + 2 * j] - '0'));
		if (memmem(mem, len, w, 4))
			return 1;
	}
	return 0;
}

/* Whether mem holds 4 consecutive bytes of the key. */
static int holds_key(const void *mem, size_t len)
{
	int i;

	for (i = 0; i + 4 <= SAFELINE_SIPHASH_KEY_BYTES; i++)
		if (memmem(mem, len, key + i, 4))
			return 1;
	return 0;
}

static void on_report(void *user, const struct safeline_verify_report *r)
{
	struct reports *rs = user;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->r = realloc(rs->r, (size_t)rs->cap * sizeof(*rs->r));
		if (!rs->r)
			abort();
	}
	rs->r[rs->n++] = *r;
}

/* What one verifier said about each call. */
struct verdicts {
	int *outcome;		/* per call: first report's outcome, 0 none */
	int *kind;
	int *count;		/* reports inside the call's window */
	int stray;		/* reports outside every window */
	int report_key;		/* reports whose bytes held key bytes */
};

static void attribute(const struct reports *rs, const struct line *s, struct verdicts *v)
{
	int i, c = 0;

	for (i = 0; i < rs->n; i++) {
		size_t at = (size_t)rs->r[i].sample;

		v->report_key += holds_key(&rs->r[i], sizeof(rs->r[i]));
		while (c < s->ncalls && s->calls[c].sp.end + TAIL <= at)
			c++;
		if (c == s->ncalls || at < s->calls[c].sp.start) {
			v->stray++;
			continue;
		}
		if (!v->count[c]++) {
			v->outcome[c] = rs->r[i].outcome;
			v->kind[c] = rs->r[i].kind;
		}
	}
}

static int expect_kind(int std)
{
	static const int kinds[STD_COUNT] = {
		SAFELINE_VERIFY_BELL202_SDMF, SAFELINE_VERIFY_BELL202_MDMF, SAFELINE_VERIFY_V23_MDMF,
		SAFELINE_VERIFY_V23_MDMF, SAFELINE_VERIFY_DTMF,
	};

	return kinds[std];
}

/* Three verifiers on the same audio: the real one and two controls. */
enum { V_MAIN, V_NO_SUFFIX, V_WRONG_KEY, V_COUNT };

struct tally {
	int total[STD_COUNT][CLS_COUNT];
	int right[STD_COUNT][CLS_COUNT];	/* expected outcome (garbage: no report) */
	int wrong[CLS_COUNT][4];		/* by class: reported outcome (0 none) */
	int kind_ok, kind_total, multi, stray, report_key;
	int intl_total, intl_reported, intl_ours[V_COUNT], nat_total, nat_ours[V_COUNT];
	int presented, wrong_key_ours, wrong_key_not_ours, near_total, near_ours;
	int probes, probe_found, scans, scan_hits, decoy_hits;
};

static void feed_to(struct safeline_verify *v, const uint8_t *g711, size_t *pos, size_t to)
{
	int i;
	size_t n;

	while (*pos < to) {
		n = to - *pos < 8 ? to - *pos : 8;
		for (i = 0; i < V_COUNT; i++)
			safeline_verify_rx(&v[i], g711 + *pos, (int)n);
		*pos += n;
	}
}

static void run_law(struct line *s, int law, struct rng *r, struct tally *t)
{
	struct safeline_verify v[V_COUNT];
	struct reports rs[V_COUNT] = { 0 };
	struct verdicts vd[V_COUNT];
	uint8_t *g711 = malloc(s->a.n);
	size_t pos = 0, i;
	char decoy[16];
	int c, k;

	for (i = 0; i < s->a.n; i++)
		g711[i] = law ? linear_to_alaw(s->a.lin[i]) : linear_to_ulaw(s->a.lin[i]);
	for (k = 0; k < V_COUNT; k++) {
		struct safeline_verify_params p = {
			.law = law ? SAFELINE_LAW_ALAW : SAFELINE_LAW_ULAW,
			.report = on_report,
			.user = &rs[k],
		};

		memcpy(p.key, key, sizeof(key));
		make_table(&p);
		if (k == V_NO_SUFFIX)
			p.suffix_digits = 0;
		if (k == V_WRONG_KEY)
			p.key[rng_int(r, 0, 15)] ^= (uint8_t)(1 << rng_int(r, 0, 7));
		safeline_verify_init(&v[k], &p);
		memset(&p, 0, sizeof(p));
	}
	for (c = 0; c < s->ncalls; c++) {
		struct call *cl = &s->calls[c];

		if (cl->probe) {
			feed_to(v, g711, &pos, cl->probe);
			t->probes++;
			t->probe_found += holds_digits((const uint8_t *)&v[V_MAIN], sizeof(v[V_MAIN]),
						       cl->sp.number, cl->sp.ndigits);
		}
		feed_to(v, g711, &pos, cl->sp.end + SCAN_AFTER);
		spill_random_digits(r, decoy, 10);
		for (k = 0; k < V_COUNT; k++) {
			t->scans++;
			t->scan_hits += holds_digits((const uint8_t *)&v[k], sizeof(v[k]), cl->sp.number,
						     cl->sp.ndigits);
			t->decoy_hits += holds_digits((const uint8_t *)&v[k], sizeof(v[k]), decoy, 10);
		}
	}
	feed_to(v, g711, &pos, s->a.n);

	for (k = 0; k < V_COUNT; k++) {
		vd[k] = (struct verdicts){
			.outcome = calloc((size_t)s->ncalls, sizeof(int)),
			.kind = calloc((size_t)s->ncalls, sizeof(int)),
			.count = calloc((size_t)s->ncalls, sizeof(int)),
		};
		attribute(&rs[k], s, &vd[k]);
		t->report_key += vd[k].report_key;
	}
	t->stray += vd[V_MAIN].stray;
	for (c = 0; c < s->ncalls; c++) {
		const struct call *cl = &s->calls[c];
		int out = vd[V_MAIN].outcome[c];

		t->total[cl->std][cl->cls]++;
		t->right[cl->std][cl->cls] += out == expect_outcome[cl->cls];
		if (getenv("SAFELINE_VERBOSE") && out != expect_outcome[cl->cls])
			say("# miss %zu-%zu: %s %s law %d level %+.1f dB SNR %.1f dB reported %d\n",
			    cl->sp.start, cl->sp.end, std_names[cl->std], cls_names[cl->cls], law, cl->sp.gain_db, cl->sp.snr_db, out);
		t->wrong[cl->cls][out]++;
		t->multi += vd[V_MAIN].count[c] > 1;
		if (out) {
			t->kind_total++;
			t->kind_ok += vd[V_MAIN].kind[c] == expect_kind(cl->std);
		}
		if (cl->cls == CLS_OURS) {
			int *tot = cl->intl ? &t->intl_total : &t->nat_total;
			int *ours = cl->intl ? t->intl_ours : t->nat_ours;

			(*tot)++;
			t->intl_reported += cl->intl && out;
			for (k = 0; k < V_COUNT; k++)
				ours[k] += vd[k].outcome[c] == SAFELINE_VERIFY_OURS;
		}
		if (cl->near) {
			t->near_total++;
			t->near_ours += out == SAFELINE_VERIFY_OURS;
		}
		if (cl->cls == CLS_OURS || cl->cls == CLS_NOT_OURS) {
			t->presented++;
			t->wrong_key_ours += vd[V_WRONG_KEY].outcome[c] == SAFELINE_VERIFY_OURS;
			t->wrong_key_not_ours += vd[V_WRONG_KEY].outcome[c] == SAFELINE_VERIFY_NOT_OURS;
		}
	}
	for (k = 0; k < V_COUNT; k++) {
		safeline_verify_forget(&v[k]);
		free(rs[k].r);
		free(vd[k].outcome);
		free(vd[k].kind);
		free(vd[k].count);
	}
	free(g711);
}

static int test_siphash(struct ktap *k)
{
	uint8_t kk[16], m[15];
	int i;

	for (i = 0; i < 16; i++)
		kk[i] = (uint8_t)i;
	for (i = 0; i < 15; i++)
		m[i] = (uint8_t)i;
	/* SipHash paper, appendix A: key 00..0f, message 00..0e */
	return check(k, safeline_siphash24(kk, m, 15) == 0xa129ca6149be45e5ULL &&
		     safeline_siphash24(kk, m, 0) == 0x726fdb47dd0e0e31ULL &&
		     safeline_siphash24(kk, m, 8) != safeline_siphash24(kk, m, 7),
		     "siphash: SipHash-2-4 test vectors (paper appendix A; empty message)");
}

/* After forget(), neither key bytes nor table remain. */
static int test_forget(struct ktap *k)
{
	struct safeline_verify v;
	struct safeline_verify_params p = { .law = SAFELINE_LAW_ULAW };
	int before, after;

	memcpy(p.key, key, sizeof(key));
	make_table(&p);
	safeline_verify_init(&v, &p);
	before = holds_key(&v, sizeof(v));
	safeline_verify_forget(&v);
	after = holds_key(&v, sizeof(v));
	memset(&p, 0, sizeof(p));
	return check(k, before && !after, "forget: key in state after init %s, after forget %s",
		     before ? "yes" : "no", after ? "yes" : "no");
}

static double pct(int a, int b)
{
	return b ? 100.0 * a / b : 0.0;
}

int main(int argc, char **argv)
{
	uint64_t seed = DEFAULT_SEED;
	int cell = DEFAULT_CELL, law, std, cls, i, o;
	struct tally t = { 0 };
	struct speech sp;
	struct rng r;
	struct ktap k;
	int cls_total[CLS_COUNT] = { 0 }, cls_right[CLS_COUNT] = { 0 };
	char planted[80];

	if (cmdline_parse(argc, argv, &seed, &cell, "CALLS_PER_CELL"))
		return 2;
	rng_seed(&r, seed);
	for (i = 0; i < SAFELINE_SIPHASH_KEY_BYTES; i++)
		key[i] = (uint8_t)rng_next(&r);
	for (o = 0; o < OWN; o++) {
		own[o].n = o < OWN - 1 ? SUFFIX : 7;
		do
			spill_random_digits(&r, own[o].national, own[o].n);
		while (own[o].national[0] == '0');
		spill_random_digits(&r, own[o].cc, rng_int(&r, 1, 3));
		own[o].cc[0] = (char)('1' + rng_int(&r, 0, 8));
	}
	sp = speech_load(SPEECH_DIR, 9);

	ktap_plan(&k, 12);
	say("# seed %llu (override: -s SEED or SAFELINE_SEED), %d calls per standard, outcome "
	    "and law; speech %s\n", (unsigned long long)seed, cell,
	    sp.n ? "from the Asterisk prompts" : "missing (garbage uses noise)");
	say("# state: %zu bytes per verification channel\n", sizeof(struct safeline_verify));
	test_siphash(&k);

	for (law = 0; law < 2; law++) {
		struct line s = { 0 };
		int ncalls = STD_COUNT * (CLS_COUNT - 1) * cell + STD_COUNT * cell / 2;

		s.calls = calloc((size_t)ncalls, sizeof(*s.calls));
		for (i = 0; i < cell; i++)
			for (std = 0; std < STD_COUNT; std++)
				for (cls = 0; cls < CLS_COUNT; cls++)
					if (cls != CLS_GARBAGE || i < cell / 2)
						line_add(&s, &r, &sp, std, cls);
		stream_reserve(&s.a, 8000);
		memset(s.a.lin + s.a.n, 0, 8000 * sizeof(*s.a.lin));
		s.a.n += 8000;
		say("# %s: %d calls in %.1f min of audio\n", law ? "A-law" : "u-law", s.ncalls,
		    (double)s.a.n / 8000 / 60);
		run_law(&s, law, &r, &t);
		for (i = 0; i < s.ncalls; i++)
			memset(s.calls[i].sp.number, 0, sizeof(s.calls[i].sp.number));
		free(s.calls);
		free(s.a.lin);
	}

	for (std = 0; std < STD_COUNT; std++) {
		say("# %-13s", std_names[std]);
		for (cls = 0; cls < CLS_COUNT; cls++) {
			cls_total[cls] += t.total[std][cls];
			cls_right[cls] += t.right[std][cls];
			say(" %s %d/%d", cls_names[cls], t.right[std][cls], t.total[std][cls]);
		}
		say("\n");
	}
	for (cls = 0; cls < CLS_COUNT; cls++)
		say("# %-9s %5.2f %% right; reported: none %d, withheld %d, not-ours %d, ours %d\n",
		    cls_names[cls], pct(cls_right[cls], cls_total[cls]), t.wrong[cls][0],
		    t.wrong[cls][SAFELINE_VERIFY_WITHHELD], t.wrong[cls][SAFELINE_VERIFY_NOT_OURS],
		    t.wrong[cls][SAFELINE_VERIFY_OURS]);

	/* a missed OURS may only be silence (the agent warns when no check arrives), never a wrong verdict */
	check(&k, cls_right[CLS_OURS] * 100 >= 99 * cls_total[CLS_OURS] &&
	      !t.wrong[CLS_OURS][SAFELINE_VERIFY_WITHHELD] &&
	      !t.wrong[CLS_OURS][SAFELINE_VERIFY_NOT_OURS],
	      "ours: %d/%d reported OURS (>= 99 %%), none as withheld or not-ours",
	      cls_right[CLS_OURS], cls_total[CLS_OURS]);
	check(&k, !t.wrong[CLS_NOT_OURS][SAFELINE_VERIFY_OURS] && t.near_total &&
	      cls_right[CLS_NOT_OURS] * 100 >= 99 * cls_total[CLS_NOT_OURS],
	      "not-ours: no false OURS (%d, of them one digit off ours: %d/%d), %d/%d reported "
	      "NOT_OURS (>= 99 %%)", t.wrong[CLS_NOT_OURS][SAFELINE_VERIFY_OURS], t.near_ours,
	      t.near_total, cls_right[CLS_NOT_OURS], cls_total[CLS_NOT_OURS]);
	check(&k, cls_right[CLS_WITHHELD] * 100 >= 99 * cls_total[CLS_WITHHELD] &&
	      !t.wrong[CLS_WITHHELD][SAFELINE_VERIFY_OURS] &&
	      !t.wrong[CLS_WITHHELD][SAFELINE_VERIFY_NOT_OURS],
	      "withheld: %d/%d reported WITHHELD (>= 99 %%), none as a number",
	      cls_right[CLS_WITHHELD], cls_total[CLS_WITHHELD]);
	check(&k, cls_right[CLS_GARBAGE] == cls_total[CLS_GARBAGE] && !t.stray,
	      "garbage: %d/%d speech/noise/bad-checksum/unframed-DTMF calls silent, %d reports in gaps",
	      cls_right[CLS_GARBAGE], cls_total[CLS_GARBAGE], t.stray);
	check(&k, t.kind_ok * 100 >= 99 * t.kind_total && !t.multi,
	      "kind: %d/%d reports name the right standard, %d calls reported twice",
	      t.kind_ok, t.kind_total, t.multi);
	/* judged on the calls the main verifier decoded: its decode rate is test 2's business */
	check(&k, t.intl_ours[V_MAIN] && t.nat_ours[V_MAIN] &&
	      t.intl_ours[V_MAIN] == t.intl_reported && !t.intl_ours[V_NO_SUFFIX] &&
	      t.nat_ours[V_NO_SUFFIX] == t.nat_ours[V_MAIN],
	      "suffix rule: international forms OURS %d/%d decoded with it, %d without; "
	      "national OURS %d with it, %d without", t.intl_ours[V_MAIN], t.intl_reported,
	      t.intl_ours[V_NO_SUFFIX], t.nat_ours[V_MAIN], t.nat_ours[V_NO_SUFFIX]);
	check(&k, !t.wrong_key_ours && t.wrong_key_not_ours * 100 >= 98 * t.presented,
	      "wrong key: %d OURS, %d/%d presented numbers still decoded (as NOT_OURS)",
	      t.wrong_key_ours, t.wrong_key_not_ours, t.presented);
	check(&k, t.probes && t.probe_found * 100 >= 95 * t.probes,
	      "scan control: digits found in the state mid-message in %d/%d calls", t.probe_found,
	      t.probes);
	check(&k, !t.scan_hits,
	      "wipe: digit runs of the call's number in %d of %d state scans after the call "
	      "(decoy numbers never sent, matched by chance: %d)", t.scan_hits, t.scans,
	      t.decoy_hits);
	test_forget(&k);
	snprintf(planted, sizeof(planted), "# %02x%02x%02x%02x", key[4], key[5], key[6], key[7]);
	i = line_leaks(planted);
	snprintf(planted, sizeof(planted), "# %s", own[1].national);
	i += line_leaks(planted);
	memset(planted, 0, sizeof(planted));
	check(&k, i == 2 && !printed_bad && !t.report_key,
	      "output: %d printed lines free of key and own numbers (filter catches %d/2 planted), "
	      "%d reports held key bytes", printed_lines, i, t.report_key);
	memset(key, 0, sizeof(key));
	memset(own, 0, sizeof(own));
	free(sp.amp);
	return ktap_exit(&k);
}
