/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state: the event loop and every source and connection it
 * owns. manager_free() accepts NULL and half-built managers.
 */
#ifndef SAFELINED_MANAGER_H
#define SAFELINED_MANAGER_H

#include <systemd/sd-event.h>

#include "agent/safelined/call-event.h"
#include "agent/safelined/conf.h"
#include "agent/safelined/schedule.h"
#include "agent/safelined/store.h"
#include "agent/shared/genl.h"

typedef struct Manager {
	sd_event *event;
	struct safeline_genl genl;	/* requests to safeline.ko */
	bool connected;
	struct safeline_status status;	/* as last read from the module */
	sd_event_source *connect_retry;	/* while safeline.ko cannot be reached */

	char conf_path[PATH_MAX];
	struct safeline_conf conf;	/* the running config, replaced only whole */

	struct store *store;
	struct wipe_clock wipe_clock;
	sd_event_source *wipe_timer;

	int ctl_fd;			/* listening control socket */
	sd_event_source *ctl_source;
} Manager;

/* A manager for the config conf, already loaded from conf_path. */
int manager_new(Manager **ret, const char *conf_path, const struct safeline_conf *conf);
Manager *manager_free(Manager *m);
/*
 * Hardens the process, checks swap, opens the store and the control socket
 * and arms the wipe timer. Logs why it failed.
 */
int manager_start(Manager *m);
/* Connects to safeline.ko; if it cannot, logs and retries in the background. */
void manager_connect(Manager *m);
/* The STATUS= line for sd_notify, describing what we are connected to. */
int manager_status_text(Manager *m, char *buf, size_t size);
/* The end of the loop: wipes everything if the config says so. */
void manager_stop(Manager *m);

/*
 * Re-reads the config; a bad one is logged with file:line and the running
 * one stays. err (may be NULL) receives the reason for the control socket.
 */
int manager_reload(Manager *m, char *err, size_t errsize);

/* The store's input: the netlink event handler (issue 4) calls this per finished call. */
int manager_record_call(Manager *m, const struct call_event *ev);

/* manager-wipe.c */
int manager_wipe(Manager *m, enum store_wipe_what what, const char *why,
		 struct store_wipe_result *res);
int manager_arm_wipe_timer(Manager *m);

/* manager-ctl.c */
int manager_ctl_open(Manager *m);

#endif
