// SPDX-License-Identifier: GPL-2.0
/*
 * The events socket: a second generic netlink socket, non-blocking in the
 * event loop, that joins nlctrl's "notify" group (to see safeline.ko load
 * and unload) and, once connected, the module's "events" group. Datagrams
 * go through event-parse.c into the call assembler (calls.c), whose
 * finished calls go to the store. Losses are counted and logged as counts:
 * a socket overrun (ENOBUFS), sequence gaps and the kernel's DROPPED.
 */
#include <errno.h>
#include <inttypes.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"

#define EVENTS_RCVBUF (4 << 20)		/* ~30,000 events: seconds of a full storm */
#define OVERRUN_LOG_USEC (10 * 1000000ULL)

static int record_call(const struct call_event *ev, void *userdata)
{
	return manager_record_call(userdata, ev);
}

static void on_event(const struct kernel_event *ev, void *userdata)
{
	Manager *m = userdata;

	event_rx_feed_calls(m->calls, ev);
}

static void on_family(bool added, void *userdata)
{
	Manager *m = userdata;

	if (added && !m->connected) {
		log_info("safeline.ko registered its netlink family: connecting");
		manager_connect_now(m);
	} else if (!added && m->connected) {
		manager_disconnected(m, "safeline.ko unregistered its netlink family (unloaded)");
	}
}

static int on_calls_timer(sd_event_source *s, uint64_t usec, void *userdata);

/* arms the ring-timeout timer for the assembler's next deadline */
static void arm_calls_timer(Manager *m)
{
	uint64_t next = calls_expire(m->calls, (uint64_t)clock_ns(CLOCK_BOOTTIME)), usec;
	int r;

	if (!next) {
		if (m->calls_timer)
			sd_event_source_set_enabled(m->calls_timer, SD_EVENT_OFF);
		return;
	}
	usec = next / 1000 + 1;
	if (!m->calls_timer) {
		r = sd_event_add_time(m->event, &m->calls_timer, CLOCK_BOOTTIME, usec, 100000,
				      on_calls_timer, m);
	} else {
		r = sd_event_source_set_time(m->calls_timer, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(m->calls_timer, SD_EVENT_ONESHOT);
	}
	if (r < 0)
		log_error_errno(r, "Failed to arm the ring timeout timer: %m");
}

static int on_calls_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	arm_calls_timer(userdata);
	return 0;
}

/* counts, never content: how many events were lost so far and what that did */
static void log_losses(Manager *m, bool overrun)
{
	const struct calls_stats *st = calls_stats(m->calls);
	uint64_t now = (uint64_t)clock_ns(CLOCK_MONOTONIC) / 1000;

	if (overrun) {
		m->overruns++;
		if (m->last_overrun_log_usec && now - m->last_overrun_log_usec < OVERRUN_LOG_USEC)
			return;
		m->last_overrun_log_usec = now;
		log_warning("Events socket overran (%" PRIu64 " times so far): events lost, "
			    "open calls marked incomplete", m->overruns);
	} else if (st->lost != m->last_lost_logged &&
		   (!m->last_lost_log_usec || now - m->last_lost_log_usec >= OVERRUN_LOG_USEC)) {
		m->last_lost_log_usec = now;
		log_warning("%" PRIu64 " call events lost so far (sequence gaps, module drops): "
			    "affected calls marked incomplete", st->lost);
		m->last_lost_logged = st->lost;
	}
}

struct resync_ctx {
	Manager *m;
	uint64_t now;
	int64_t offset;
};

static void resync_one(uint32_t channo, uint8_t role, uint8_t hook, void *data)
{
	struct resync_ctx *r = data;

	calls_resync(r->m->calls, channo, hook, r->now, r->offset);
}

/*
 * After an overrun, outside the read loop: the module's hook states settle
 * calls whose ANSWER or HANGUP was lost.
 */
static int on_resync(sd_event_source *s, void *userdata)
{
	Manager *m = userdata;
	int64_t boot = clock_ns(CLOCK_BOOTTIME);
	struct resync_ctx r = { m, (uint64_t)boot, clock_ns(CLOCK_REALTIME) - boot };
	int ret;

	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	if (!m->connected)
		return 0;
	ret = safeline_genl_channel_hooks(&m->genl, resync_one, &r);
	if (ret < 0)
		log_warning_errno(ret, "Cannot read the channels' hook states after an overrun: %m");
	else
		log_info("Resynchronised open calls with the channels' hook states");
	arm_calls_timer(m);
	return 0;
}

static void schedule_resync(Manager *m)
{
	if (!m->resync && sd_event_add_defer(m->event, &m->resync, on_resync, m) < 0)
		return;
	sd_event_source_set_enabled(m->resync, SD_EVENT_ONESHOT);
}

/* the kernel threw datagrams away: the next SEQ tells how many */
static void on_overrun(void *userdata)
{
	Manager *m = userdata;

	calls_lost(m->calls, 0);
	log_losses(m, true);
	schedule_resync(m);
}

static int on_events(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	Manager *m = userdata;
	int r;

	/* bounded per wakeup so the control socket and timers get their turn */
	r = event_rx_read(&m->rx, fd, 256);
	if (r < 0)
		log_warning_errno(r, "Reading call events failed: %m");
	log_losses(m, false);
	arm_calls_timer(m);
	return 0;
}

int manager_events_open(Manager *m)
{
	int r, grp, size = EVENTS_RCVBUF, fd;

	r = calls_new(&m->calls, record_call, m);
	if (r < 0)
		return log_error_errno(r, "Failed to set up the call assembler: %m");
	m->sink = (struct event_sink){ .event = on_event, .family_change = on_family, .data = m };
	m->rx = (struct event_rx){ .sink = &m->sink, .overrun = on_overrun, .data = m };
	m->events_sock = nl_socket_alloc();
	if (!m->events_sock)
		return log_error_errno(ENOMEM, "Failed to allocate the events socket: %m");
	/* multicast carries no sequence numbers of ours */
	nl_socket_disable_seq_check(m->events_sock);
	r = genl_connect(m->events_sock);
	if (r < 0)
		return log_error_errno(EIO, "Failed to open the events socket: %s", nl_geterror(r));
	fd = nl_socket_get_fd(m->events_sock);
	/* past net.core.rmem_max with CAP_NET_ADMIN, else as far as it allows */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) < 0)
		log_warning_errno(errno, "Cannot enlarge the events socket buffer: %m, ignoring");
	grp = genl_ctrl_resolve_grp(m->events_sock, "nlctrl", "notify");
	if (grp < 0 || nl_socket_add_membership(m->events_sock, grp) < 0)
		log_warning("Cannot follow generic netlink family changes: module reloads are "
			    "noticed by retrying only");
	r = nl_socket_set_nonblocking(m->events_sock);
	if (r < 0)
		return log_error_errno(EIO, "Failed to make the events socket non-blocking");
	r = sd_event_add_io(m->event, &m->events_source, fd, EPOLLIN, on_events, m);
	if (r < 0)
		return log_error_errno(r, "Failed to watch the events socket: %m");
	return 0;
}

int manager_events_subscribe(Manager *m)
{
	int grp, r;

	m->subscribed = false;
	if (!m->events_sock)
		return 0;
	m->sink.family = (uint16_t)m->genl.family;
	grp = safeline_genl_group_id(&m->genl, SAFELINE_GENL_NAME, SAFELINE_MCGRP_EVENTS);
	if (grp < 0)
		return log_warning_errno(grp, "safeline.ko has no \"" SAFELINE_MCGRP_EVENTS
					 "\" group (%m): no call records from this module");
	r = nl_socket_add_membership(m->events_sock, grp);
	if (r < 0)
		return log_warning_errno(r == -NLE_PERM ? EPERM : EIO,
					 "Cannot join the call events group: %s (joining needs "
					 "CAP_NET_ADMIN): no call records", nl_geterror(r));
	m->subscribed = true;
	log_info("Subscribed to call events");
	return 0;
}

void manager_events_close(Manager *m)
{
	m->events_source = sd_event_source_unref(m->events_source);
	m->calls_timer = sd_event_source_unref(m->calls_timer);
	m->resync = sd_event_source_unref(m->resync);
	if (m->calls) {
		/* calls still open when we stop are lost with us: the store keeps what finished */
		calls_free(m->calls);
		m->calls = NULL;
	}
	nl_socket_free(m->events_sock);
	m->events_sock = NULL;
}

void manager_events_reset(Manager *m)
{
	int64_t boot = clock_ns(CLOCK_BOOTTIME);

	m->subscribed = false;
	m->sink.family = 0;
	if (m->calls)
		calls_reset(m->calls, (uint64_t)boot, clock_ns(CLOCK_REALTIME) - boot);
	if (m->calls)
		arm_calls_timer(m);
}
