/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's side of the control socket (protocol: agent/shared/ctl-proto.h).
 * ctl_serve() handles one accepted connection start to end: credentials,
 * request, authorisation, the handler's reply, the audit line.
 */
#ifndef SAFELINED_CTLSOCK_H
#define SAFELINED_CTLSOCK_H

#include <stdbool.h>
#include <stdio.h>

#include "agent/safelined/auth.h"
#include "agent/safelined/conf.h"

/*
 * Performs action (already authorised) with arg ("" when none), writing
 * the reply's records to out. Returns 0, or a negative errno with a short
 * reason in err.
 */
typedef int (*ctl_handler_t)(void *data, enum ctl_action action, const char *arg, FILE *out,
			     char *err, size_t errsize);

/*
 * The listening socket systemd passed (safelined.socket), else a new one at
 * path (a stale socket there is replaced), mode 0666.
 */
int ctl_listen(const char *path);

/* Whether fd came from systemd: then systemd keeps its file across restarts. */
bool ctl_is_inherited(int fd);

/* Serves the connection fd (closing it is the caller's business). */
int ctl_serve(int fd, const struct safeline_conf *conf, ctl_handler_t handler, void *data);

#endif
