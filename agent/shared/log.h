/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Leveled logging to stderr. Under systemd, stderr is the journal and each
 * line carries a "<level>" prefix so journald keeps the priority.
 * The *_errno() forms set errno for "%m" and return -|error|, so a caller can
 * write `return log_error_errno(r, "Failed to ...: %m");`.
 */
#ifndef SAFELINE_LOG_H
#define SAFELINE_LOG_H

#include <syslog.h>

void log_set_max_level(int level);
int log_internal(int level, int error, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(...)   log_internal(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...)    log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...)  log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...)   log_internal(LOG_ERR, 0, __VA_ARGS__)

#define log_debug_errno(error, ...)   log_internal(LOG_DEBUG, (error), __VA_ARGS__)
#define log_warning_errno(error, ...) log_internal(LOG_WARNING, (error), __VA_ARGS__)
#define log_error_errno(error, ...)   log_internal(LOG_ERR, (error), __VA_ARGS__)

#endif
