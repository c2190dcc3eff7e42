/* SPDX-License-Identifier: GPL-2.0 */
/*
 * safectl's transport to safelined: the control socket (protocol in
 * agent/shared/ctl-proto.h), kept apart from the genl transport. Replies are
 * lines of key=value records; the helpers here read and print them.
 */
#ifndef SAFECTL_CTLSOCK_H
#define SAFECTL_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Sends request and reads the reply. On success returns SAFECTL_EXIT_OK and
 * *body holds the records (free() it); otherwise prints
 * "safectl: <object>: ..." and returns SAFECTL_EXIT_FAILED.
 */
int ctl_call(const char *object, const char *request, char **body);

/* The value of key in the record line (up to '\n'), copied to buf; false if absent. */
bool ctl_field(const char *line, const char *key, char *buf, size_t size);

/* Every record as a JSON array of objects; all-digit values become numbers. */
void ctl_print_json(const char *body);

/* Local "YYYY-MM-DD HH:MM" of wall-clock seconds given as text ("-" for 0). */
void ctl_format_time(const char *seconds, char *buf, size_t size);

#endif
