/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state: the event loop and every source and connection it
 * owns. manager_free() accepts NULL and half-built managers.
 */
#ifndef SAFELINED_MANAGER_H
#define SAFELINED_MANAGER_H

#include <systemd/sd-event.h>

#include "agent/safelined/call-event.h"
#include "agent/safelined/calls.h"
#include "agent/safelined/event-parse.h"
#include "agent/safelined/event-rx.h"
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

	/* manager-events.c: the events group and nlctrl's notifications */
	struct nl_sock *events_sock;
	sd_event_source *events_source;
	sd_event_source *calls_timer;	/* ring timeouts, CLOCK_BOOTTIME */
	sd_event_source *resync;	/* hook states read back after an overrun */
	struct calls *calls;
	struct event_sink sink;
	bool subscribed;		/* joined the events group of the current module */
	uint64_t overruns;		/* ENOBUFS on the events socket */
	struct event_rx rx;		/* the read loop; counts foreign datagrams */
	uint64_t last_lost_logged;
	uint64_t last_lost_log_usec;
	uint64_t last_overrun_log_usec;

	/* manager-policy.c */
	sd_event_source *policy_timer;	/* the periodic check for new channels */
	uint32_t policy_channels;	/* channels set by the last push */
	bool policy_pushed;
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

/* manager-events.c */
/* The events socket: follows nlctrl's notifications from now on. */
int manager_events_open(Manager *m);
/* Joins the events group of the module we just connected to. */
int manager_events_subscribe(Manager *m);
void manager_events_close(Manager *m);
/* The module went away or restarted: its open calls end, incomplete. */
void manager_events_reset(Manager *m);

/* manager-policy.c */
struct policy_stretch {
	uint32_t first, last;
	uint8_t policy;
};
/* a cut at each rule's ends and the verify range's, plus channel 1 */
#define POLICY_MAX_STRETCHES (2 * CONF_MAX_RULES + 3)
/* Channels 1..UINT32_MAX as stretches of one effective policy each, in order. */
size_t policy_flatten(const struct safeline_conf *c, struct policy_stretch *out);
/*
 * Pushes the config's policies to the module (SET_POLICY: the default, then
 * each stretch of channels with one effective policy) and logs how many
 * channels were set unless quiet and nothing changed. why says what asked.
 */
int manager_apply_policy(Manager *m, const char *why, bool quiet);
int manager_policy_timer_start(Manager *m);
/* The next check in a second: a module that just registered may not see its channels yet. */
void manager_policy_check_soon(Manager *m);

/* manager.c: the module went away (nlctrl, ENODEV) or came back */
void manager_disconnected(Manager *m, const char *why);
void manager_connect_now(Manager *m);

/* manager-ctl.c */
int manager_ctl_open(Manager *m);

#endif
