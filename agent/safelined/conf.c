// SPDX-License-Identifier: GPL-2.0
/*
 * safeline.conf with libconfig. Every value is checked here, and every error
 * names the file and line of the setting at fault, because an operator
 * fixing a policy file at 3 a.m. needs to know where to look. Unknown
 * settings are errors too: a misspelt "on_stop" must not silently keep
 * call records longer than intended. Library-like: never logs.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>
#include <linux/safeline.h>

#include "agent/safelined/conf.h"
#include "agent/safelined/conf-parse.h"
#include "agent/shared/util.h"

static const char *const policy_names[] = {
	[SAFELINE_POLICY_PASS] = "pass",
	[SAFELINE_POLICY_DETECT] = "detect",
	[SAFELINE_POLICY_SUPPRESS] = "suppress",
	[SAFELINE_POLICY_STRICT] = "strict",
};

static const char *const role_names[] = {
	[CONF_ROLE_AUTO] = "auto",
	[CONF_ROLE_FXO_PORT] = "fxo_port",
	[CONF_ROLE_FXS_PORT] = "fxs_port",
};

__attribute__((format(printf, 3, 4)))
int conf_fail(struct parser *p, const config_setting_t *s, const char *fmt, ...)
{
	const char *file = s ? config_setting_source_file(s) : NULL;
	int n = 0, line = s ? (int)config_setting_source_line(s) : 0;
	va_list ap;

	if (line > 0)
		n = snprintf(p->err, p->errsize, "%s:%d: ", file ? file : p->path, line);
	else
		n = snprintf(p->err, p->errsize, "%s: ", p->path);
	if (n < 0 || (size_t)n >= p->errsize)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errsize - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void conf_init(struct safeline_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->default_policy = SAFELINE_POLICY_SUPPRESS;
	c->resolution = CONF_RESOLUTION_MINUTE;
	c->aggregate_days = 31;
	c->max_age_s = 24 * 3600;
	strcpy(c->store_path, "/run/safeline");
	strcpy(c->socket_path, "/run/safeline.sock");
}

static int lookup_name(const char *const *names, size_t n, const char *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && streq(names[i], v))
			return (int)i;
	return -1;
}

/* the string value of s, or an error naming what was expected */
int conf_get_string(struct parser *p, const config_setting_t *s, const char **v)
{
	*v = config_setting_get_string(s);
	if (!*v)
		return conf_fail(p, s, "%s: expected a string", config_setting_name(s));
	return 0;
}

static int get_bool(struct parser *p, const config_setting_t *s, bool *v)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return conf_fail(p, s, "%s: expected true or false", config_setting_name(s));
	*v = config_setting_get_bool(s);
	return 0;
}

/* "90s", "30m", "12h", "7d": a positive duration, at most a year */
int conf_get_duration(struct parser *p, const config_setting_t *s, uint32_t *seconds)
{
	unsigned long long n, unit;
	const char *v;
	char *end;
	int r = conf_get_string(p, s, &v);

	if (r < 0)
		return r;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (end == v || errno || strlen(end) != 1)
		goto bad;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: goto bad;
	}
	if (n == 0 || n > 366ULL * 86400 / unit)
		return conf_fail(p, s, "%s: duration must be between 1s and 366d", config_setting_name(s));
	*seconds = (uint32_t)(n * unit);
	return 0;
bad:
	return conf_fail(p, s, "%s: '%s' is not a duration like 30m, 12h or 7d",
		    config_setting_name(s), v);
}

/* "HH:MM" in local time */
static int get_time_of_day(struct parser *p, const config_setting_t *s, uint16_t *minutes)
{
	const char *v = config_setting_get_string(s);
	unsigned int h, m;
	int used = 0;

	if (!v || sscanf(v, "%2u:%2u%n", &h, &m, &used) != 2 || v[used] || used != 5 ||
	    h > 23 || m > 59)
		return conf_fail(p, s, "wipe.at: expected a time of day \"HH:MM\" (00:00 to 23:59)");
	*minutes = (uint16_t)(h * 60 + m);
	return 0;
}

static int get_policy(struct parser *p, const config_setting_t *s, uint8_t *policy)
{
	const char *v;
	int i, r = conf_get_string(p, s, &v);

	if (r < 0)
		return r;
	i = lookup_name(policy_names, ELEMENTSOF(policy_names), v);
	if (i < 0)
		return conf_fail(p, s, "policy: unknown policy '%s' (pass, detect, suppress, strict)", v);
	*policy = (uint8_t)i;
	return 0;
}

/* a group name, or a numeric gid */
static int get_group(struct parser *p, const config_setting_t *s, struct conf_group *g)
{
	struct group *gr;
	const char *v;
	char *end;
	unsigned long n;
	int r;

	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		if (config_setting_get_int(s) < 0)
			return conf_fail(p, s, "%s: a gid cannot be negative", config_setting_name(s));
		g->gid = (gid_t)config_setting_get_int(s);
		g->set = true;
		return 0;
	}
	r = conf_get_string(p, s, &v);
	if (r < 0)
		return r;
	gr = getgrnam(v);
	if (gr) {
		g->gid = gr->gr_gid;
	} else {
		errno = 0;
		n = strtoul(v, &end, 10);
		if (!*v || *end || errno || n > (gid_t)-2)
			return conf_fail(p, s, "%s: no such group '%s'", config_setting_name(s), v);
		g->gid = (gid_t)n;
	}
	g->set = true;
	return 0;
}

static int get_path(struct parser *p, const config_setting_t *s, char *dst, size_t size)
{
	const char *v;
	int r = conf_get_string(p, s, &v);

	if (r < 0)
		return r;
	if (v[0] != '/')
		return conf_fail(p, s, "%s: '%s' is not an absolute path", config_setting_name(s), v);
	if (strlen(v) >= size)
		return conf_fail(p, s, "%s: path too long", config_setting_name(s));
	strcpy(dst, v);
	return 0;
}

/* refuses members of group s that are not in allowed[] (NULL-terminated) */
int conf_check_members(struct parser *p, const config_setting_t *s,
			 const char *const *allowed)
{
	const char *const *a;
	config_setting_t *m;
	int i;

	if (!config_setting_is_group(s))
		return conf_fail(p, s, "%s: expected a group { ... }", config_setting_name(s));
	for (i = 0; (m = config_setting_get_elem(s, i)); i++) {
		for (a = allowed; *a; a++)
			if (streq(*a, config_setting_name(m)))
				break;
		if (!*a)
			return conf_fail(p, m, "unknown setting '%s' in %s", config_setting_name(m),
				    config_setting_name(s));
	}
	return 0;
}

/* "3", "1-24", or an integer setting */
int conf_get_channels(struct parser *p, const config_setting_t *s, struct conf_rule *rule)
{
	unsigned long a, b;
	const char *v;
	char *end;

	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		if (config_setting_get_int(s) < 1)
			goto bad_number;
		rule->first = rule->last = (uint32_t)config_setting_get_int(s);
		return 0;
	}
	v = config_setting_get_string(s);
	if (!v)
		return conf_fail(p, s, "channels: expected a channel number or a range \"1-24\"");
	errno = 0;
	a = strtoul(v, &end, 10);
	b = a;
	if (*end == '-')
		b = strtoul(end + 1, &end, 10);
	if (end == v || *end || errno || a < 1 || b > UINT32_MAX)
		return conf_fail(p, s, "channels: '%s' is not a channel number or range", v);
	if (b < a)
		return conf_fail(p, s, "channels: range '%s' ends before it starts", v);
	rule->first = (uint32_t)a;
	rule->last = (uint32_t)b;
	return 0;
bad_number:
	return conf_fail(p, s, "channels: channel numbers start at 1");
}

static int parse_rule(struct parser *p, const config_setting_t *s, struct conf_rule *rule)
{
	static const char *const keys[] = { "channels", "policy", "role", NULL };
	config_setting_t *m;
	const char *v;
	int i, r;

	r = conf_check_members(p, s, keys);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "channels");
	if (!m)
		return conf_fail(p, s, "policy.channels: each entry needs 'channels'");
	r = conf_get_channels(p, m, rule);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "policy");
	if (!m)
		return conf_fail(p, s, "policy.channels: each entry needs 'policy'");
	r = get_policy(p, m, &rule->policy);
	if (r < 0)
		return r;
	rule->role = CONF_ROLE_AUTO;
	m = config_setting_get_member(s, "role");
	if (m) {
		r = conf_get_string(p, m, &v);
		if (r < 0)
			return r;
		i = lookup_name(role_names, ELEMENTSOF(role_names), v);
		if (i < 0)
			return conf_fail(p, m, "role: unknown role '%s' (auto, fxo_port, fxs_port)", v);
		rule->role = (enum conf_role)i;
	}
	return 0;
}

static int parse_policy(struct parser *p, const config_setting_t *s, struct safeline_conf *c)
{
	static const char *const keys[] = { "default", "channels", NULL };
	config_setting_t *m, *e;
	int i, r;

	r = conf_check_members(p, s, keys);
	if (r < 0)
		return r;
	m = config_setting_get_member(s, "default");
	if (m && (r = get_policy(p, m, &c->default_policy)) < 0)
		return r;
	m = config_setting_get_member(s, "channels");
	if (!m)
		return 0;
	if (!config_setting_is_list(m))
		return conf_fail(p, m, "policy.channels: expected a list ( { ... }, ... )");
	for (i = 0; (e = config_setting_get_elem(m, i)); i++) {
		if (c->n_rules == CONF_MAX_RULES)
			return conf_fail(p, e, "policy.channels: more than %d entries", CONF_MAX_RULES);
		if (!config_setting_is_group(e))
			return conf_fail(p, e, "policy.channels: each entry is a group { ... }");
		r = parse_rule(p, e, &c->rules[c->n_rules++]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_store(struct parser *p, const config_setting_t *s, struct safeline_conf *c)
{
	static const char *const keys[] = { "path", "resolution", "refuse_unencrypted_swap", NULL };
	config_setting_t *m;
	const char *v;
	int r;

	r = conf_check_members(p, s, keys);
	if (r < 0)
		return r;
	if ((m = config_setting_get_member(s, "path")) &&
	    (r = get_path(p, m, c->store_path, sizeof(c->store_path))) < 0)
		return r;
	if ((m = config_setting_get_member(s, "refuse_unencrypted_swap")) &&
	    (r = get_bool(p, m, &c->refuse_unencrypted_swap)) < 0)
		return r;
	m = config_setting_get_member(s, "resolution");
	if (m) {
		r = conf_get_string(p, m, &v);
		if (r < 0)
			return r;
		if (streq(v, "minute"))
			c->resolution = CONF_RESOLUTION_MINUTE;
		else if (streq(v, "hour"))
			c->resolution = CONF_RESOLUTION_HOUR;
		else
			return conf_fail(p, m, "resolution: '%s' is neither \"minute\" nor \"hour\"", v);
	}
	return 0;
}

static int parse_wipe(struct parser *p, const config_setting_t *s, struct safeline_conf *c)
{
	static const char *const keys[] = { "at", "max_age", "on_stop", NULL };
	config_setting_t *m, *e;
	int i, r;

	r = conf_check_members(p, s, keys);
	if (r < 0)
		return r;
	if ((m = config_setting_get_member(s, "max_age")) &&
	    (r = conf_get_duration(p, m, &c->max_age_s)) < 0)
		return r;
	if ((m = config_setting_get_member(s, "on_stop")) &&
	    (r = get_bool(p, m, &c->wipe_on_stop)) < 0)
		return r;
	m = config_setting_get_member(s, "at");
	if (!m)
		return 0;
	if (!config_setting_is_array(m) && !config_setting_is_list(m))
		return conf_fail(p, m, "wipe.at: expected an array [ \"HH:MM\", ... ]");
	for (i = 0; (e = config_setting_get_elem(m, i)); i++) {
		if (c->n_wipe_times == CONF_MAX_WIPE_TIMES)
			return conf_fail(p, e, "wipe.at: more than %d times", CONF_MAX_WIPE_TIMES);
		r = get_time_of_day(p, e, &c->wipe_minutes[c->n_wipe_times++]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_root(struct parser *p, config_t *cfg, struct safeline_conf *c)
{
	static const char *const top[] = {
		"policy", "store", "retention", "wipe", "access", "control", "verify", NULL
	};
	static const char *const retention_keys[] = { "aggregates", NULL };
	static const char *const access_keys[] = { "admin", "view", NULL };
	static const char *const control_keys[] = { "socket", NULL };
	config_setting_t *root = config_root_setting(cfg), *s, *m;
	uint32_t seconds;
	int r;

	r = conf_check_members(p, root, top);
	if (r < 0)
		return r;
	if ((s = config_setting_get_member(root, "policy")) && (r = parse_policy(p, s, c)) < 0)
		return r;
	if ((s = config_setting_get_member(root, "store")) && (r = parse_store(p, s, c)) < 0)
		return r;
	if ((s = config_setting_get_member(root, "wipe")) && (r = parse_wipe(p, s, c)) < 0)
		return r;
	if ((s = config_setting_get_member(root, "retention"))) {
		if ((r = conf_check_members(p, s, retention_keys)) < 0)
			return r;
		if ((m = config_setting_get_member(s, "aggregates"))) {
			if ((r = conf_get_duration(p, m, &seconds)) < 0)
				return r;
			if (seconds % 86400)
				return conf_fail(p, m, "aggregates: daily aggregates are kept whole days (\"31d\")");
			c->aggregate_days = seconds / 86400;
		}
	}
	if ((s = config_setting_get_member(root, "access"))) {
		if ((r = conf_check_members(p, s, access_keys)) < 0)
			return r;
		if ((m = config_setting_get_member(s, "admin")) && (r = get_group(p, m, &c->admin)) < 0)
			return r;
		if ((m = config_setting_get_member(s, "view")) && (r = get_group(p, m, &c->view)) < 0)
			return r;
	}
	if ((s = config_setting_get_member(root, "verify")) && (r = parse_verify(p, s, c)) < 0)
		return r;
	if ((s = config_setting_get_member(root, "control"))) {
		if ((r = conf_check_members(p, s, control_keys)) < 0)
			return r;
		if ((m = config_setting_get_member(s, "socket")) &&
		    (r = get_path(p, m, c->socket_path, sizeof(c->socket_path))) < 0)
			return r;
	}
	return 0;
}

int conf_load(const char *path, struct safeline_conf *c, char *err, size_t errsize)
{
	struct parser p = { .path = path, .err = err, .errsize = errsize };
	struct safeline_conf *next;
	config_t cfg;
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(-r));
		return r;
	}
	next = malloc(sizeof(*next));
	if (!next) {
		fclose(f);
		snprintf(err, errsize, "%s: out of memory", path);
		return -ENOMEM;
	}
	conf_init(next);
	fclose(f);	/* opened only to tell "missing" from "wrong" */
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		snprintf(err, errsize, "%s:%d: %s",
			 config_error_file(&cfg) ? config_error_file(&cfg) : path,
			 config_error_line(&cfg), config_error_text(&cfg));
		r = -EINVAL;
	} else {
		r = parse_root(&p, &cfg, next);
	}
	config_destroy(&cfg);
	if (r == 0)
		*c = *next;
	explicit_bzero(next, sizeof(*next));	/* own numbers */
	free(next);
	return r;
}

uint8_t conf_policy_for(const struct safeline_conf *c, uint32_t chan)
{
	size_t i = c->n_rules;

	if (c->verify.enabled && chan >= c->verify.first && chan <= c->verify.last)
		return SAFELINE_POLICY_VERIFY;
	while (i--)
		if (chan >= c->rules[i].first && chan <= c->rules[i].last)
			return c->rules[i].policy;
	return c->default_policy;
}
