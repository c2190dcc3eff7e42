// SPDX-License-Identifier: GPL-2.0
/*
 * The wipe timer: a CLOCK_REALTIME timer armed for the next wipe time, the
 * moment the oldest row reaches max age, or a minute from now (to notice
 * clock jumps), whichever is first. Each firing asks schedule.c whether a
 * wipe time was crossed and wipes what is due. Wipes are logged as counts.
 */
#include <errno.h>
#include <time.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"

#define USEC_PER_SEC 1000000ULL

int manager_wipe(Manager *m, enum store_wipe_what what, const char *why,
		 struct store_wipe_result *res)
{
	int r = store_wipe(m->store, what, time(NULL), m->conf.max_age_s, res);

	if (r < 0)
		return log_error_errno(r, "Wipe (%s) failed or could not be verified: %m", why);
	if (res->rows_wiped || res->days_wiped || what != STORE_WIPE_EXPIRED)
		log_info("Wiped %zu call records and %zu daily aggregates (%s), verified; "
			 "%zu records kept", res->rows_wiped, res->days_wiped, why, res->rows_kept);
	return 0;
}

static bool rows_expired(Manager *m, time_t now)
{
	int64_t oldest = store_oldest_end(m->store);

	return oldest && (now - oldest >= (int64_t)m->conf.max_age_s ||
			  oldest - now > (int64_t)m->conf.max_age_s);
}

static int on_wipe_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	Manager *m = userdata;
	struct store_wipe_result res;
	time_t now = time(NULL);

	if (schedule_tick(&m->wipe_clock, m->conf.wipe_minutes, m->conf.n_wipe_times, now))
		manager_wipe(m, STORE_WIPE_ROWS, "scheduled", &res);
	else if (rows_expired(m, now))
		manager_wipe(m, STORE_WIPE_EXPIRED, "max age", &res);
	manager_arm_wipe_timer(m);
	return 0;
}

int manager_arm_wipe_timer(Manager *m)
{
	time_t now = time(NULL);
	uint64_t at;
	int r;

	if (!m->store)
		return 0;
	if (!m->wipe_clock.last)
		schedule_tick(&m->wipe_clock, m->conf.wipe_minutes, m->conf.n_wipe_times, now);
	at = (uint64_t)schedule_wakeup(m->conf.wipe_minutes, m->conf.n_wipe_times, now,
				       store_oldest_end(m->store), m->conf.max_age_s) *
	     USEC_PER_SEC;
	if (!m->wipe_timer) {
		r = sd_event_add_time(m->event, &m->wipe_timer, CLOCK_REALTIME, at, USEC_PER_SEC,
				      on_wipe_timer, m);
		if (r < 0)
			return log_error_errno(r, "Failed to arm the wipe timer: %m");
		return 0;
	}
	r = sd_event_source_set_time(m->wipe_timer, at);
	if (r >= 0)
		r = sd_event_source_set_enabled(m->wipe_timer, SD_EVENT_ONESHOT);
	if (r < 0)
		return log_error_errno(r, "Failed to re-arm the wipe timer: %m");
	return 0;
}
