// SPDX-License-Identifier: GPL-2.0
/*
 * safelined's side of caller-ID verification (docs/verify.md): the hash is
 * the kernel's SipHash-2-4 (the paper's test vector), own numbers are
 * normalised and cut to the suffix exactly as the kernel's verifier compares
 * received numbers, the verify section refuses each mistake at its file:line
 * without echoing a number, and the verification record survives a restart
 * and says failed / overdue / pending / ok at the right times.
 * Numbers here are fictitious (555-01xx).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/safeline.h>

#include "agent/safelined/conf.h"
#include "agent/safelined/verify.h"
#include "kernel/dsp/siphash.h"
#include "tests/unit/conf-file.h"
#include "tests/unit/ktap.h"

static struct ktap k;
static struct conf_file cf;

static uint64_t sip(const uint8_t *key, const char *s)
{
	return safeline_siphash24(key, (const uint8_t *)s, strlen(s));
}

static void hashing(void)
{
	uint8_t key[16], msg[15], other[16];
	uint64_t h[CONF_VERIFY_MAX_NUMBERS];
	struct conf_verify v = { .enabled = true, .suffix_digits = 10 };
	size_t i, n;

	for (i = 0; i < 16; i++)
		key[i] = other[i] = (uint8_t)i;
	other[7] ^= 1;
	for (i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	ktap_ok(&k, safeline_siphash24(key, msg, 15) == 0xa129ca6149be45e5ULL,
		"SipHash-2-4: the paper's test vector (key 00..0f, 15 bytes 00..0e)");

	/* international form, suffix 10: the national significant number is hashed */
	ktap_ok(&k, verify_hash_number(key, "15550100100", 10) == sip(key, "5550100100"),
		"suffix 10: an 11-digit number hashes as its last 10 digits");
	ktap_ok(&k, verify_hash_number(key, "15550100100", 0) == sip(key, "15550100100"),
		"suffix 0: the whole number is hashed");
	ktap_ok(&k, verify_hash_number(key, "5550100", 10) == sip(key, "5550100"),
		"a number shorter than the suffix hashes whole");
	ktap_ok(&k, verify_hash_number(key, "5550100100", 10) != sip(key, "5550100101"),
		"control: one digit off hashes differently");
	ktap_ok(&k, verify_hash_number(other, "5550100100", 10) != sip(key, "5550100100"),
		"control: one key bit off hashes differently");

	strcpy(v.numbers[0], "15550100100");
	strcpy(v.numbers[1], "5550100100");	/* the same number, national form */
	strcpy(v.numbers[2], "5550100199");
	v.n_numbers = 3;
	n = verify_hashes(&v, key, h);
	ktap_ok(&k, n == 2 && h[0] == sip(key, "5550100100") && h[1] == sip(key, "5550100199"),
		"the table: two forms of one number give one hash, %zu in all", n);
}

static void normalising(void)
{
	static const struct {
		const char *text;
		int ret;
		const char *digits;
	} cases[] = {
		{ "+1 (555) 010-0100", 0, "15550100100" },
		{ "555.010.0100", 0, "5550100100" },
		{ "\t555 0100 ", 0, "5550100" },
		{ "555-01OO", -EINVAL, NULL },		/* letters O, not zeros */
		{ "555/0100", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
		{ "+ - ()", -EINVAL, NULL },
		{ "12345678901234567890123456789012", 0, "12345678901234567890123456789012" },
		{ "123456789012345678901234567890123", -ERANGE, NULL },
	};
	char out[CONF_VERIFY_MAX_DIGITS + 1];
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		r = verify_normalise(cases[i].text, out, sizeof(out));
		ktap_ok(&k, r == cases[i].ret &&
			(cases[i].digits ? strcmp(out, cases[i].digits) == 0 : out[0] == '\0'),
			"normalise case %zu: %s (%d)", i + 1,
			cases[i].ret == 0 ? "digits kept, the rest dropped" :
			cases[i].ret == -ERANGE ? "more than 32 digits refused, output wiped" :
			"refused, output wiped", r);
	}
}

#define GOOD "verify = {\n channels = 47;\n own_numbers = ( \"+1 555 010 0100\", \"555-0101\" );\n" \
	     " suffix_digits = 10;\n interval = \"35d\";\n};\n"

static const struct {
	const char *desc, *text;
	int line;
} bad[] = {
	{ "no own_numbers", "verify = {\n channels = 47;\n};\n", 1 },
	{ "no channels", "verify = {\n own_numbers = ( \"5550100\" );\n};\n", 1 },
	{ "a letter in a number", "verify = {\n channels = 47;\n own_numbers = (\n \"5550100\",\n"
	  " \"555010O\" );\n};\n", 5 },
	{ "an empty list", "verify = {\n channels = 47;\n own_numbers = ( );\n};\n", 3 },
	{ "a number that is no string", "verify = {\n channels = 47;\n own_numbers = ( 5550100 );\n};\n", 3 },
	{ "too many digits", "verify = {\n channels = 47;\n own_numbers = ( \"5550100555010055501005550100555010055\" );\n};\n", 3 },
	{ "suffix out of range", "verify = {\n channels = 47;\n own_numbers = ( \"5550100\" );\n"
	  " suffix_digits = 40;\n};\n", 4 },
	{ "a bad interval", "verify = {\n channels = 47;\n own_numbers = ( \"5550100\" );\n"
	  " interval = \"35x\";\n};\n", 4 },
	{ "an unknown key", "verify = {\n channels = 47;\n own_numbers = ( \"5550100\" );\n"
	  " numbers = ( );\n};\n", 4 },
	{ "channel 0", "verify = {\n channels = 0;\n own_numbers = ( \"5550100\" );\n};\n", 2 },
	{ "17 numbers", "verify = {\n channels = 47;\n own_numbers = ( \"5550101\", \"5550102\",\n"
	  "\"5550103\", \"5550104\", \"5550105\", \"5550106\", \"5550107\", \"5550108\", \"5550109\",\n"
	  "\"5550110\", \"5550111\", \"5550112\", \"5550113\", \"5550114\", \"5550115\", \"5550116\",\n"
	  "\"5550117\" );\n};\n", 6 },
};

static void config(void)
{
	struct safeline_conf c;
	char err[512] = "";
	size_t i;
	int r;

	conf_file_write(&cf, GOOD);
	r = conf_load(cf.path, &c, err, sizeof(err));
	if (r < 0)
		printf("# %s\n", err);
	ktap_ok(&k, r == 0 && c.verify.enabled && c.verify.first == 47 && c.verify.last == 47 &&
		c.verify.n_numbers == 2 && strcmp(c.verify.numbers[0], "15550100100") == 0 &&
		strcmp(c.verify.numbers[1], "5550101") == 0 && c.verify.suffix_digits == 10 &&
		c.verify.interval_s == 35 * 86400, "a verify section loads, numbers normalised");
	ktap_ok(&k, r == 0 && conf_policy_for(&c, 47) == SAFELINE_POLICY_VERIFY &&
		conf_policy_for(&c, 46) == SAFELINE_POLICY_SUPPRESS,
		"the verification line's policy is verify, its neighbour's the default");
	conf_file_write(&cf, "verify = {\n channels = \"46-47\";\n own_numbers = ( \"5550100\" );\n};\n");
	r = conf_load(cf.path, &c, err, sizeof(err));
	ktap_ok(&k, r == 0 && c.verify.suffix_digits == 10 && c.verify.interval_s == 35 * 86400 &&
		c.verify.first == 46 && c.verify.last == 47,
		"defaults: suffix 10, interval 35 days; a channel range");
	conf_file_write(&cf, "policy = { default = \"suppress\"; };\n");
	r = conf_load(cf.path, &c, err, sizeof(err));
	ktap_ok(&k, r == 0 && !c.verify.enabled && conf_policy_for(&c, 47) == SAFELINE_POLICY_SUPPRESS,
		"no verify section: verification off");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ktap_ok(&k, conf_file_refused(&cf, bad[i].text, bad[i].line, err, sizeof(err)) &&
			!strstr(err, "0100") && !strstr(err, "555"),
			"%s: refused at file:%d, no number in the message, config untouched",
			bad[i].desc, bad[i].line);
	}
}

static void state(void)
{
	struct conf_verify v = { .enabled = true, .interval_s = 86400 };
	struct verify_state st = { .since = 1000, .last_ok = 5000, .last_time = 6000,
				   .last_result = VERIFY_RESULT_NOT_OURS }, back;
	char record[4200];
	int r;

	r = verify_state_load(cf.dir, &back);
	ktap_ok(&k, r == -ENOENT && back.since == 0, "no record yet: -ENOENT, zeroed");
	r = verify_state_save(cf.dir, &st);
	ktap_ok(&k, r == 0 && verify_state_load(cf.dir, &back) == 0 && back.since == 1000 &&
		back.last_ok == 5000 && back.last_time == 6000 &&
		back.last_result == VERIFY_RESULT_NOT_OURS && !back.failed,
		"the record reads back as written (a restart keeps it)");
	ktap_ok(&k, verify_health(&v, &st, 5000 + 86400) == VERIFY_HEALTH_OK &&
		verify_health(&v, &st, 5000 + 86401) == VERIFY_HEALTH_OVERDUE,
		"ok within the interval after the last success, overdue one second past it");
	st.last_ok = 0;
	ktap_ok(&k, verify_health(&v, &st, 1000 + 86400) == VERIFY_HEALTH_PENDING &&
		verify_health(&v, &st, 1000 + 86401) == VERIFY_HEALTH_OVERDUE,
		"never verified: pending for one interval from configuration, then overdue");
	st.failed = true;
	st.last_ok = 5000;
	ktap_ok(&k, verify_health(&v, &st, 5001) == VERIFY_HEALTH_FAILED &&
		verify_state_save(cf.dir, &st) == 0 && verify_state_load(cf.dir, &back) == 0 &&
		back.failed, "a failure outranks a recent success and survives a restart");
	v.enabled = false;
	ktap_ok(&k, verify_health(&v, &st, 5001) == VERIFY_HEALTH_OFF, "no section: off");
	snprintf(record, sizeof(record), "%s/verify", cf.dir);
	unlink(record);
}

int main(void)
{
	conf_file_init(&cf, "verify");
	ktap_plan(&k, 7 + 9 + 4 + (int)(sizeof(bad) / sizeof(bad[0])) + 6);
	hashing();
	normalising();
	config();
	state();
	conf_file_remove(&cf);
	return ktap_exit(&k);
}
