/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/safeline/safeline.conf, read with libconfig into a plain struct.
 * conf_load() either fills the whole struct or leaves it untouched and
 * writes "file:line: what is wrong" to err: a caller swaps configs only
 * after a load succeeded, so a bad file never half-applies.
 */
#ifndef SAFELINED_CONF_H
#define SAFELINED_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONF_DEFAULT_PATH "/etc/safeline/safeline.conf"
#define CONF_MAX_RULES 64
#define CONF_MAX_WIPE_TIMES 24

/* how finely stored call times are kept */
enum conf_resolution {
	CONF_RESOLUTION_MINUTE,
	CONF_RESOLUTION_HOUR,
};

/* role override; AUTO keeps what the module derives from DAHDI signalling */
enum conf_role {
	CONF_ROLE_AUTO,
	CONF_ROLE_FXO_PORT,
	CONF_ROLE_FXS_PORT,
};

/* channels first..last (inclusive) get policy (enum safeline_policy) and role */
struct conf_rule {
	uint32_t first, last;
	uint8_t policy;
	enum conf_role role;
};

/* the verification line (verify-conf.c; docs/verify.md) */
#define CONF_VERIFY_MAX_NUMBERS 16	/* SAFELINE_VERIFY_MAX_HASHES: one hash each */
#define CONF_VERIFY_MAX_DIGITS 32	/* SAFELINE_VERIFY_MAX_DIGITS */

struct conf_verify {
	bool enabled;			/* a verify section is present */
	uint32_t first, last;		/* its FXO-port channels */
	/* own numbers, normalised to their ASCII digits; never logged */
	char numbers[CONF_VERIFY_MAX_NUMBERS][CONF_VERIFY_MAX_DIGITS + 1];
	size_t n_numbers;
	uint8_t suffix_digits;		/* compare the last N digits; 0: whole numbers */
	uint32_t interval_s;		/* warn when no verification succeeded within it */
};

struct conf_group {
	bool set;
	gid_t gid;
};

struct safeline_conf {
	uint8_t default_policy;			/* enum safeline_policy */
	struct conf_rule rules[CONF_MAX_RULES];	/* later rules win */
	size_t n_rules;

	enum conf_resolution resolution;
	uint32_t aggregate_days;		/* daily aggregates kept this many days */

	uint16_t wipe_minutes[CONF_MAX_WIPE_TIMES];	/* local times of day, minutes */
	size_t n_wipe_times;
	uint32_t max_age_s;			/* call rows older than this are wiped */
	bool wipe_on_stop;

	struct conf_group admin, view;		/* access groups for the control socket */

	char store_path[PATH_MAX];
	char socket_path[PATH_MAX];
	bool refuse_unencrypted_swap;

	struct conf_verify verify;
};

/* The defaults a file may override (and what an empty file means). */
void conf_init(struct safeline_conf *c);

/*
 * Reads path into *c. Returns 0, or a negative errno with err holding
 * "path:line: message" (line omitted when it cannot be known, e.g. the file
 * does not exist). On failure *c is not modified.
 */
int conf_load(const char *path, struct safeline_conf *c, char *err, size_t errsize);

/* The policy channel chan gets under c (verify, else the last matching rule, else the default). */
uint8_t conf_policy_for(const struct safeline_conf *c, uint32_t chan);

#endif
