// SPDX-License-Identifier: GPL-2.0
/*
 * The verify = { ... } section of safeline.conf: which FXO port is the
 * verification line, the agency's own numbers, the suffix rule and how
 * often a verification must succeed. Errors name file and line, never a
 * number: an operator sees "own_numbers: entry 2 ...", not the digits.
 */
#include <errno.h>
#include <string.h>

#include "agent/safelined/conf-parse.h"
#include "agent/safelined/verify.h"

#define DEFAULT_SUFFIX_DIGITS 10	/* NANP national significant number */
#define DEFAULT_INTERVAL_S (35 * 86400)	/* a monthly check, a few days' grace */

static int get_numbers(struct parser *p, const config_setting_t *s, struct conf_verify *v)
{
	config_setting_t *e;
	const char *text;
	int i, r;

	if (!config_setting_is_list(s) && !config_setting_is_array(s))
		return conf_fail(p, s, "verify.own_numbers: expected a list ( \"...\", ... )");
	for (i = 0; (e = config_setting_get_elem(s, i)); i++) {
		if (v->n_numbers == CONF_VERIFY_MAX_NUMBERS)
			return conf_fail(p, e, "verify.own_numbers: more than %d numbers",
					 CONF_VERIFY_MAX_NUMBERS);
		text = config_setting_get_string(e);
		if (!text)
			return conf_fail(p, e, "verify.own_numbers: entry %d is not a string", i + 1);
		r = verify_normalise(text, v->numbers[v->n_numbers], sizeof(v->numbers[0]));
		if (r == -ERANGE)
			return conf_fail(p, e, "verify.own_numbers: entry %d has more than %d digits",
					 i + 1, CONF_VERIFY_MAX_DIGITS);
		if (r < 0)
			return conf_fail(p, e, "verify.own_numbers: entry %d is not a phone number "
					 "(digits, with '+', '-', '.', '(', ')' and spaces allowed)",
					 i + 1);
		v->n_numbers++;
	}
	if (!v->n_numbers)
		return conf_fail(p, s, "verify.own_numbers: at least one number is needed");
	return 0;
}

int parse_verify(struct parser *p, const config_setting_t *s, struct safeline_conf *c)
{
	static const char *const keys[] = {
		"channels", "own_numbers", "suffix_digits", "interval", NULL
	};
	struct conf_verify *v = &c->verify;
	struct conf_rule chans;
	config_setting_t *m;
	int r, n;

	memset(v, 0, sizeof(*v));
	v->suffix_digits = DEFAULT_SUFFIX_DIGITS;
	v->interval_s = DEFAULT_INTERVAL_S;
	r = conf_check_members(p, s, keys);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "channels");
	if (!m)
		return conf_fail(p, s, "verify: needs 'channels' (the verification line's FXO port)");
	r = conf_get_channels(p, m, &chans);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "own_numbers");
	if (!m)
		return conf_fail(p, s, "verify: needs 'own_numbers'");
	r = get_numbers(p, m, v);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "suffix_digits");
	if (m) {
		n = config_setting_get_int(m);
		if (config_setting_type(m) != CONFIG_TYPE_INT || n < 0 || n > CONF_VERIFY_MAX_DIGITS)
			return conf_fail(p, m, "verify.suffix_digits: expected 0..%d",
					 CONF_VERIFY_MAX_DIGITS);
		v->suffix_digits = (uint8_t)n;
	}
	m = config_setting_get_member(s, "interval");
	if (m && (r = conf_get_duration(p, m, &v->interval_s)) < 0)
		return r;
	v->first = chans.first;
	v->last = chans.last;
	v->enabled = true;
	return 0;
}
