// SPDX-License-Identifier: GPL-2.0
/*
 * safelined's Manager: owns the sd-event loop, its signal sources, the
 * generic netlink connection to safeline.ko, the config, the store, the
 * wipe timer and the control socket.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include <linux/safeline.h>

#include "agent/safelined/ctlsock.h"
#include "agent/safelined/manager.h"
#include "agent/safelined/swap.h"
#include "agent/safelined/verify.h"
#include "agent/shared/log.h"

#define CONNECT_RETRY_USEC (5 * 1000000ULL)

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
	int n = m->connected ?
		snprintf(buf, size, "Connected to safeline.ko %s, protocol %u",
			 m->status.version, m->status.protocol) :
		snprintf(buf, size, "Waiting for safeline.ko (it suppresses on its own meanwhile)");

	if (n >= 0 && (size_t)n < size)
		verify_status_text(m, buf + n, size - n);
	return n < 0 || (size_t)n >= size ? -ENOBUFS : 0;
}

static void notify_ready(Manager *m)
{
	char text[160];

	if (manager_status_text(m, text, sizeof(text)) < 0)
		text[0] = '\0';
	sd_notifyf(false, "READY=1\nSTATUS=%s", text);
}

static int store_options(const struct safeline_conf *c, struct store_options *o)
{
	o->resolution_s = c->resolution == CONF_RESOLUTION_HOUR ? 3600 : 60;
	o->aggregate_days = c->aggregate_days;
	return 0;
}

int manager_reload(Manager *m, char *err, size_t errsize)
{
	struct safeline_conf next;
	struct store_options o;
	char why[512];
	int r;

	sd_notify(false, "RELOADING=1");
	r = conf_load(m->conf_path, &next, why, sizeof(why));
	if (r < 0) {
		log_error("%s; keeping the running config", why);
		if (err)
			snprintf(err, errsize, "%s", why);
		notify_ready(m);
		return r;
	}
	/* these are opened once; moving them needs a restart */
	if (strcmp(next.store_path, m->conf.store_path) != 0) {
		log_warning("store.path changed: takes effect on restart, ignoring");
		strcpy(next.store_path, m->conf.store_path);
	}
	if (strcmp(next.socket_path, m->conf.socket_path) != 0) {
		log_warning("control.socket changed: takes effect on restart, ignoring");
		strcpy(next.socket_path, m->conf.socket_path);
	}
	m->conf = next;
	explicit_bzero(&next, sizeof(next));	/* own numbers (verify) */
	store_options(&m->conf, &o);
	if (m->store)
		store_set_options(m->store, &o);
	manager_arm_wipe_timer(m);
	log_info("Reloaded %s", m->conf_path);
	/* a failed push is logged with the kernel's reason; the config itself is good */
	manager_apply_policy(m, "reload", false);
	verify_apply(m);
	notify_ready(m);
	return 0;
}

static int on_sighup(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	manager_reload(userdata, NULL, 0);
	return 0;
}

static void schedule_retry(Manager *m);

static int try_connect(Manager *m)
{
	int r = safeline_genl_open(&m->genl);

	if (r < 0)
		return r;
	r = read_status(m);
	if (r < 0) {
		safeline_genl_close(&m->genl);
		return r;
	}
	m->connected = true;
	log_info("Connected to safeline.ko %s, protocol %u",
		 m->status.version, m->status.protocol);
	manager_events_subscribe(m);
	manager_apply_policy(m, "connect", false);
	manager_policy_check_soon(m);
	verify_apply(m);
	return 0;
}

void manager_disconnected(Manager *m, const char *why)
{
	if (!m->connected)
		return;
	log_warning("%s; waiting for it (it suppresses on its own meanwhile)", why);
	m->connected = false;
	m->policy_pushed = false;
	manager_events_reset(m);
	safeline_genl_close(&m->genl);
	notify_ready(m);
	/* not at once: a lookup now would load the module someone just unloaded */
	schedule_retry(m);
}

void manager_connect_now(Manager *m)
{
	if (m->connected || try_connect(m) < 0)
		return;
	if (m->connect_retry)
		sd_event_source_set_enabled(m->connect_retry, SD_EVENT_OFF);
	notify_ready(m);
}

static int on_connect_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
	Manager *m = userdata;

	if (try_connect(m) == 0) {
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
		notify_ready(m);
		return 0;
	}
	sd_event_source_set_time(s, usec + CONNECT_RETRY_USEC);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

static void schedule_retry(Manager *m)
{
	uint64_t now;

	if (sd_event_now(m->event, CLOCK_MONOTONIC, &now) < 0)
		goto fail;
	if (m->connect_retry) {
		if (sd_event_source_set_time(m->connect_retry, now + CONNECT_RETRY_USEC) < 0 ||
		    sd_event_source_set_enabled(m->connect_retry, SD_EVENT_ONESHOT) < 0)
			goto fail;
		return;
	}
	if (sd_event_add_time(m->event, &m->connect_retry, CLOCK_MONOTONIC,
			      now + CONNECT_RETRY_USEC, 0, on_connect_retry, m) >= 0)
		return;
fail:
	log_error("Cannot schedule reconnecting to safeline.ko, ignoring");
}

void manager_connect(Manager *m)
{
	int r = try_connect(m);

	if (r == 0)
		return;
	if (r == -ENOENT)
		log_warning("safeline.ko is not loaded and could not be loaded: no generic "
			    "netlink family \"%s\"; retrying", SAFELINE_GENL_NAME);
	else
		log_warning_errno(r, "Failed to reach safeline.ko: %m; retrying");
	schedule_retry(m);
}

int manager_start(Manager *m)
{
	struct store_options o;
	int r;

	/* no core dump may carry call metadata out of tmpfs */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return log_error_errno(errno, "Failed to disable core dumps: %m");
	r = swap_unencrypted("/proc/swaps", "/sys/block");
	if (r > 0 && m->conf.refuse_unencrypted_swap)
		return log_error_errno(EPERM, "%d unencrypted swap area(s) active: tmpfs pages "
				       "could reach disk; refusing (store.refuse_unencrypted_swap)", r);
	if (r > 0)
		log_warning("%d unencrypted swap area(s) active: call records in tmpfs could "
			    "reach disk", r);
	else if (r < 0)
		log_warning_errno(r, "Cannot read /proc/swaps: %m, ignoring");

	store_options(&m->conf, &o);
	r = store_open(&m->store, m->conf.store_path, &o);
	if (r == -EMEDIUMTYPE)
		return log_error_errno(r, "%s is not on tmpfs: call records must never reach "
				       "a disk; refusing", m->conf.store_path);
	if (r < 0)
		return log_error_errno(r, "Failed to open the store %s: %m", m->conf.store_path);
	r = manager_ctl_open(m);
	if (r < 0)
		return r;
	r = verify_start(m);
	if (r < 0)
		return r;
	r = manager_events_open(m);
	if (r < 0)
		return r;
	r = manager_policy_timer_start(m);
	if (r < 0)
		return r;
	return manager_arm_wipe_timer(m);
}

int manager_record_call(Manager *m, const struct call_event *ev)
{
	bool first = !store_oldest_end(m->store);
	int r = store_record_event(m->store, ev);

	if (r < 0)
		return log_error_errno(r, "Failed to store a call record: %m");
	log_debug("Stored a call record");	/* never per-call detail above debug */
	if (first)
		manager_arm_wipe_timer(m);	/* its max age now has a deadline */
	return 0;
}

void manager_stop(Manager *m)
{
	struct store_wipe_result res;

	if (m->store && m->conf.wipe_on_stop)
		manager_wipe(m, STORE_WIPE_ALL, "on stop", &res);
}

int manager_new(Manager **ret, const char *conf_path, const struct safeline_conf *conf)
{
	Manager *m;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->ctl_fd = -1;
	m->conf = *conf;
	snprintf(m->conf_path, sizeof(m->conf_path), "%s", conf_path);
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
	sd_event_source_unref(m->ctl_source);
	sd_event_source_unref(m->wipe_timer);
	sd_event_source_unref(m->connect_retry);
	verify_stop();
	sd_event_source_unref(m->policy_timer);
	manager_events_close(m);
	if (m->ctl_fd >= 0) {
		/* systemd's socket stays: it queues requests while we restart */
		if (!ctl_is_inherited(m->ctl_fd))
			unlink(m->conf.socket_path);
		close(m->ctl_fd);
	}
	store_close(m->store);
	if (m->genl.sock)
		safeline_genl_close(&m->genl);
	sd_event_unref(m->event);	/* also frees the floating signal sources */
	free(m);
	return NULL;
}
