// SPDX-License-Identifier: GPL-2.0
/*
 * safelined's Manager: owns the sd-event loop, its signal sources and the
 * generic netlink connection to safeline.ko.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <linux/safeline.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"

static int read_status(Manager *m)
{
	int r = safeline_genl_get_status(&m->genl, &m->status);

	if (r < 0)
		return log_error_errno(r, "Failed to read safeline.ko status: %m%s%s",
				       *m->genl.extack ? " (kernel: " : "",
				       *m->genl.extack ? m->genl.extack : "");
	if (m->status.protocol != SAFELINE_GENL_VERSION)
		log_warning("safeline.ko speaks protocol %u, safelined %u",
			    m->status.protocol, SAFELINE_GENL_VERSION);
	return 0;
}

int manager_status_text(Manager *m, char *buf, size_t size)
{
	int n = snprintf(buf, size, "Connected to safeline.ko %s, protocol %u",
			 m->status.version, m->status.protocol);

	return n < 0 || (size_t)n >= size ? -ENOBUFS : 0;
}

/* SIGHUP: nothing is configurable yet, so a reload re-reads the module's status. */
static int on_sighup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	Manager *m = userdata;
	char text[128];

	sd_notify(false, "RELOADING=1");
	if (read_status(m) < 0)
		log_warning("Keeping the previous status, ignoring");
	if (manager_status_text(m, text, sizeof(text)) == 0)
		sd_notifyf(false, "READY=1\nSTATUS=%s", text);
	return 0;
}

int manager_connect(Manager *m)
{
	int r = safeline_genl_open(&m->genl);

	if (r == -ENOENT)
		return log_error_errno(r, "safeline.ko is not loaded and could not be loaded: "
				       "no generic netlink family \"%s\"", SAFELINE_GENL_NAME);
	if (r < 0)
		return log_error_errno(r, "Failed to open generic netlink: %m");
	r = read_status(m);
	if (r < 0)
		return r;
	log_info("Connected to safeline.ko %s, protocol %u",
		 m->status.version, m->status.protocol);
	return 0;
}

int manager_new(Manager **ret)
{
	Manager *m;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = sd_event_default(&m->event);
	if (r < 0)
		goto fail;
	/* no handler: sd-event ends the loop with exit code 0 */
	r = sd_event_add_signal(m->event, NULL, SIGTERM | SD_EVENT_SIGNAL_PROCMASK, NULL, NULL);
	if (r < 0)
		goto fail;
	r = sd_event_add_signal(m->event, NULL, SIGINT | SD_EVENT_SIGNAL_PROCMASK, NULL, NULL);
	if (r < 0)
		goto fail;
	r = sd_event_add_signal(m->event, NULL, SIGHUP | SD_EVENT_SIGNAL_PROCMASK, on_sighup, m);
	if (r < 0)
		goto fail;
	/* pings the watchdog when the unit sets WatchdogSec= */
	r = sd_event_set_watchdog(m->event, true);
	if (r < 0)
		goto fail;
	*ret = m;
	return 0;
fail:
	manager_free(m);
	return r;
}

Manager *manager_free(Manager *m)
{
	if (!m)
		return NULL;
	if (m->genl.sock)
		safeline_genl_close(&m->genl);
	sd_event_unref(m->event);	/* also frees the floating signal sources */
	free(m);
	return NULL;
}
