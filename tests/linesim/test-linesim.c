/* SPDX-License-Identifier: GPL-2.0 */
/* Host test of linesim's audio path, no DAHDI: spill -> G.711 (both laws) -> decoder.
 * Every standard must decode to the number sent; controls with the number's samples
 * silenced must not, and a half-silenced number must still show up in the raw scan. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decoder.h"
#include "ktap.h"
#include "law.h"
#include "number.h"
#include "spill.h"
#include "std.h"

#define CHUNK	160	/* what a DAHDI read returns: 20 ms */
#define GUARD	1600	/* 200 ms of line silence around the spill */
#define CHANCE_RUN 2	/* longest run of digits a damaged spill yields by chance */

enum damage { INTACT, SILENCE_NUMBER, SILENCE_HALF };

static struct spill sp;

/* Send sp through law and decode it as the far end would, 160 samples at a time. */
static void run(const struct std *std, enum law law, const char *expect,
		struct decoder_result *res)
{
	static int16_t line[SPILL_MAX + 2 * GUARD], back[CHUNK];
	static uint8_t coded[SPILL_MAX + 2 * GUARD];
	struct decoder *d = decoder_new(std, expect, sp.date);
	int total = sp.len + 2 * GUARD;

	memset(line, 0, sizeof(line));
	memcpy(line + GUARD, sp.amp, sp.len * sizeof(sp.amp[0]));
	law_encode(law, line, coded, total);
	for (int at = 0; at < total; at += CHUNK) {
		int n = total - at < CHUNK ? total - at : CHUNK;

		law_decode(law, coded + at, back, n);
		decoder_feed(d, back, n);
	}
	decoder_result(d, res);
	decoder_free(d);
}

static void damage(enum damage how, int ndigits, int per_digit)
{
	int from = how == SILENCE_HALF ? sp.number_start + ndigits / 2 * per_digit : sp.number_start;

	if (how != INTACT)
		memset(sp.amp + from, 0, (sp.number_end - from) * sizeof(sp.amp[0]));
}

static void check_standard(const struct std *std, enum law law)
{
	char number[NUMBER_MAX + 1], other[NUMBER_MAX + 1];
	const char *tag = law_name(law);
	struct decoder_result r;
	int n, per_digit;

	/* a number sharing digit pairs with the date would blur the raw-scan controls */
	do {
		if (number_make(number, sizeof(number), std->number_min, std->number_max) ||
		    number_make(other, sizeof(other), std->number_max + 1, NUMBER_MAX) ||
		    spill_build(&sp, std, number, time(NULL))) {
			ktap_result(false, "%s %s: random number and spill", std->name, tag);
			return;
		}
	} while (number_longest_run(number, sp.date, strlen(sp.date), NULL) > 1);
	n = (int)strlen(number);

	per_digit = (sp.number_end - sp.number_start) / n;
	run(std, law, number, &r);
	ktap_result(r.matched && r.messages == 1 && r.digits == n && r.leak == n,
		    "%s %s: spill decodes to the number sent (messages=%d digits=%d/%d leak=%d)",
		    std->name, tag, r.messages, r.digits, n, r.leak);

	run(std, law, other, &r);
	ktap_result(!r.matched && r.digits == n,
		    "%s %s: control: a different number does not match", std->name, tag);

	damage(SILENCE_NUMBER, n, per_digit);
	run(std, law, number, &r);
	/* stray bytes at the gap's edges may match a digit or two by chance (~1e-3) */
	ktap_result(!r.matched && r.digits == 0 && r.leak <= CHANCE_RUN,
		    "%s %s: control: number's samples silenced, nothing decoded (digits=%d leak=%d)",
		    std->name, tag, r.digits, r.leak);

	spill_build(&sp, std, number, time(NULL));
	damage(SILENCE_HALF, n, per_digit);
	run(std, law, number, &r);
	/* FSK fails its checksum; DTMF still ends in C, so a truncated number arrives */
	ktap_result(!r.matched && r.digits == (std->msg == STD_MSG_DTMF ? r.leak : 0) &&
		    r.leak > CHANCE_RUN && r.leak >= n / 2 - 1 && r.leak <= n / 2,
		    "%s %s: control: half the number silenced, raw scan sees %d of %d digits "
		    "(decoder: %d)", std->name, tag, r.leak, n, r.digits);
	explicit_bzero(number, sizeof(number));
	explicit_bzero(other, sizeof(other));
}

/* The spill must fit where the standard places it (cid-facts §2.1, §2.3, §2.5). */
static void check_timing(const struct std *std)
{
	char number[NUMBER_MAX + 1];
	int signal_ms, number_ms;
	bool ok;

	memset(number, '0', std->number_max);
	number[std->number_max] = '\0';
	spill_build(&sp, std, number, time(NULL));
	signal_ms = spill_ms(sp.len - sp.signal_start);
	number_ms = spill_ms(sp.number_start - sp.signal_start);
	if (std->place == STD_AFTER_RING)	/* >= 500 ms after ring 1, >= 200 ms before ring 2 */
		ok = std->lead_silence_ms >= 500 && spill_ms(sp.len) + 200 <= std->ring_off_ms;
	else					/* whole spill, then ring 200..500 ms later */
		ok = std->ring_gap_ms >= 200 && std->ring_gap_ms <= 500 &&
		     signal_ms + std->ring_gap_ms < std->ring_off_ms;
	ktap_result(ok, "%s: longest spill %d ms (%d ms silence first), number from +%d ms, "
		    "fits its place %s the first ring", std->name, signal_ms, std->lead_silence_ms,
		    number_ms, std->place == STD_AFTER_RING ? "after" : "before");
}

static void check_numbers(void)
{
	char a[NUMBER_MAX + 1], b[NUMBER_MAX + 1];
	bool ok = !number_make(a, sizeof(a), 8, 12) && !number_make(b, sizeof(b), 8, 12);

	ok = ok && strlen(a) >= 8 && strlen(a) <= 12 && number_count_digits(a, strlen(a)) ==
	     (int)strlen(a) && strcmp(a, b);
	ktap_result(ok, "numbers: random, all digits, length in range, two draws differ");
	ok = number_make(a, 4, 8, 12) < 0;
	ktap_result(ok, "numbers: refuses a buffer too small");
	ok = number_longest_run("1234567890", "xx4567yy", 8, NULL) == 4 &&
	     number_longest_run("1234567890", "xx4567yy", 8, "04567123") == 0;
	ktap_result(ok, "numbers: longest run counts, and ignores runs the date explains");
}

int main(void)
{
	int nstd = 0;

	for (const struct std *s = std_table; s->name; s++)
		nstd++;
	ktap_header(3 + nstd * (1 + 2 * 4));
	check_numbers();
	for (const struct std *s = std_table; s->name; s++) {
		check_timing(s);
		check_standard(s, LAW_ULAW);
		check_standard(s, LAW_ALAW);
	}
	return ktap_failed() ? 1 : 0;
}
