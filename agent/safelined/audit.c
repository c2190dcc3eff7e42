// SPDX-License-Identifier: GPL-2.0
/* Audit lines for control socket actions: see audit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "agent/safelined/audit.h"
#include "agent/safelined/auth.h"
#include "agent/shared/log.h"

int audit_format(char *buf, size_t size, uid_t uid, enum ctl_action action, const char *result)
{
	return snprintf(buf, size, "audit: uid=%u action=%s result=%s", (unsigned int)uid,
			ctl_action_name(action), result);
}

void audit_log(uid_t uid, enum ctl_action action, const char *result)
{
	char line[128];

	audit_format(line, sizeof(line), uid, action, result);
	/* under systemd, fields a journalctl filter can match; else our stderr log */
	if (getenv("JOURNAL_STREAM") &&
	    sd_journal_send("MESSAGE=%s", line, "PRIORITY=%d", LOG_NOTICE,
			    "SAFELINE_AUDIT_UID=%u", (unsigned int)uid,
			    "SAFELINE_AUDIT_ACTION=%s", ctl_action_name(action),
			    "SAFELINE_AUDIT_RESULT=%s", result, NULL) >= 0)
		return;
	log_notice("%s", line);
}
