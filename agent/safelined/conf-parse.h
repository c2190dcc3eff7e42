/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf.c's parsing helpers, shared with the sections parsed in files of
 * their own (verify-conf.c). Each returns 0 or -EINVAL with "file:line:
 * message" in the parser's err.
 */
#ifndef SAFELINED_CONF_PARSE_H
#define SAFELINED_CONF_PARSE_H

#include <libconfig.h>

#include "agent/safelined/conf.h"

/* where parsing stands: the file, and the error text once something failed */
struct parser {
	const char *path;
	char *err;
	size_t errsize;
};

__attribute__((format(printf, 3, 4)))
int conf_fail(struct parser *p, const config_setting_t *s, const char *fmt, ...);
int conf_get_string(struct parser *p, const config_setting_t *s, const char **v);
/* "90s", "30m", "12h", "7d": 1 s to 366 d */
int conf_get_duration(struct parser *p, const config_setting_t *s, uint32_t *seconds);
/* refuses members of group s that are not in allowed[] (NULL-terminated) */
int conf_check_members(struct parser *p, const config_setting_t *s, const char *const *allowed);
/* "3", "1-24", or an integer setting, into rule->first..last */
int conf_get_channels(struct parser *p, const config_setting_t *s, struct conf_rule *rule);

/* verify-conf.c: the verify = { ... } section */
int parse_verify(struct parser *p, const config_setting_t *s, struct safeline_conf *c);

#endif
