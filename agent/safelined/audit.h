/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audit trail of the control socket: who (uid), what (action name),
 * how it ended. Nothing from the request or the reply goes in, so nothing
 * about a call can reach the journal this way.
 */
#ifndef SAFELINED_AUDIT_H
#define SAFELINED_AUDIT_H

#include <stddef.h>
#include <sys/types.h>

#include "agent/shared/ctl-proto.h"

/* "audit: uid=U action=A result=R"; returns snprintf's count */
int audit_format(char *buf, size_t size, uid_t uid, enum ctl_action action, const char *result);
/* To the journal with SAFELINE_AUDIT_* fields under systemd, else to stderr. */
void audit_log(uid_t uid, enum ctl_action action, const char *result);

#endif
