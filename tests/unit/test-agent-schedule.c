// SPDX-License-Identifier: GPL-2.0
/*
 * The wipe schedule against an injected wall clock: a tick a minute through
 * whole days (ordinary ones as the control, then DST changes in London and
 * New York), clock jumps forward and back, and the wake-up times the daemon
 * sleeps until. Counts are compared with what a calendar says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "agent/safelined/schedule.h"
#include "tests/unit/ktap.h"

static struct ktap k;

static void zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* local y-m-d h:m as an instant; isdst -1 lets the zone decide */
static time_t local(int y, int mon, int d, int h, int min)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = min, .tm_isdst = -1,
	};

	return mktime(&tm);
}

/* ticks every step seconds from start for hours of wall time; counts wipes */
static int wipes_over(const uint16_t *m, size_t n, time_t start, int hours, int step)
{
	struct wipe_clock wc = { 0 };
	time_t t;
	int wipes = 0;

	for (t = start; t <= start + hours * 3600; t += step)
		wipes += schedule_tick(&wc, m, n, t);
	return wipes;
}

static void days(const char *tz, int y, int gap_mon, int gap_day, int rep_mon, int rep_day,
		 uint16_t gap_minute, uint16_t rep_minute)
{
	const uint16_t gap[] = { gap_minute }, rep[] = { rep_minute }, two[] = { 180, 930 };
	time_t base;
	int w;

	zone(tz);
	base = local(y, gap_mon, gap_day - 7, 0, 0);
	w = wipes_over(gap, 1, base - 60, 24, 60);
	ktap_ok(&k, w == 1, "%s: control: a week before spring forward, %02d:%02d wipes once (%d)",
		tz, gap_minute / 60, gap_minute % 60, w);
	base = local(y, gap_mon, gap_day, 0, 0);
	w = wipes_over(gap, 1, base - 60, 24, 60);
	ktap_ok(&k, w == 1, "%s: on spring forward, the missing %02d:%02d still wipes once (%d)",
		tz, gap_minute / 60, gap_minute % 60, w);
	w = wipes_over(two, 2, base - 60, 23, 60);
	ktap_ok(&k, w == 2, "%s: the 23-hour day still has both of two wipe times (%d)", tz, w);
	base = local(y, rep_mon, rep_day, 0, 0);
	w = wipes_over(rep, 1, base - 60, 25, 60);
	ktap_ok(&k, w == 1, "%s: on fall back, the twice-seen %02d:%02d wipes once (%d)", tz,
		rep_minute / 60, rep_minute % 60, w);
	w = wipes_over(rep, 1, local(y, rep_mon, rep_day + 7, 0, 0) - 60, 24, 60);
	ktap_ok(&k, w == 1, "%s: control: a week after fall back, once (%d)", tz, w);
}

/* schedule_next from 03:00 the day before to 03:00 the day of: the day's real length */
static void next_spacing(const char *tz, int y, int mon, int d, long want_hours, const char *what)
{
	const uint16_t three[] = { 180 };
	time_t from, next;

	zone(tz);
	from = local(y, mon, d - 1, 3, 0);
	next = schedule_next(three, 1, from);
	ktap_ok(&k, next - from == want_hours * 3600,
		"%s: next 03:00 after the previous day's is %ld h later (%s)", tz,
		(long)(next - from) / 3600, what);
}

static void jumps(void)
{
	const uint16_t three[] = { 180 };
	struct wipe_clock wc = { 0 };
	time_t day;

	zone("Europe/London");
	day = local(2026, 6, 10, 0, 0);
	ktap_ok(&k, !schedule_tick(&wc, three, 1, day + 2 * 3600),
		"the first tick only starts the clock");
	ktap_ok(&k, schedule_tick(&wc, three, 1, day + 5 * 3600),
		"a jump forward from 02:00 to 05:00 wipes for 03:00");
	ktap_ok(&k, !schedule_tick(&wc, three, 1, day + 6 * 3600),
		"control: 05:00 to 06:00 does not");
	ktap_ok(&k, !schedule_tick(&wc, three, 1, day + 1 * 3600),
		"a jump back from 06:00 to 01:00 does not wipe");
	ktap_ok(&k, !schedule_tick(&wc, three, 1, day + 2 * 3600 + 59 * 60),
		"after the jump back, 02:59 does not");
	ktap_ok(&k, schedule_tick(&wc, three, 1, day + 3 * 3600),
		"after the jump back, 03:00 wipes again (re-crossed)");
	ktap_ok(&k, schedule_tick(&wc, three, 1, day + 3 * 86400),
		"a jump forward by three days wipes");
	ktap_ok(&k, !schedule_tick(&wc, NULL, 0, day + 9 * 86400),
		"control: no wipe times, no scheduled wipe even across days");
	ktap_ok(&k, wipes_over(three, 1, day, 24 * 7, 60) == 7,
		"a week of minute ticks wipes seven times");
}

static void wakeups(void)
{
	const uint16_t three[] = { 180 };
	time_t day, now;

	zone("America/New_York");
	day = local(2026, 6, 10, 0, 0);
	now = day + 2 * 3600 + 59 * 60 + 30;
	ktap_ok(&k, schedule_wakeup(three, 1, now, 0, 3600) == day + 3 * 3600,
		"wake-up at the next wipe time when it comes within a minute");
	now = day + 3600;
	ktap_ok(&k, schedule_wakeup(three, 1, now, 0, 3600) == now + SCHEDULE_MAX_SLEEP_S,
		"otherwise within a minute, to notice clock jumps");
	ktap_ok(&k, schedule_wakeup(three, 1, now, now - 3600 + 10, 3600) == now + 10,
		"wake-up when the oldest row reaches its max age");
	ktap_ok(&k, schedule_wakeup(three, 1, now, now - 7200, 3600) == now,
		"an overdue row means now, never the past");
}

int main(void)
{
	ktap_plan(&k, 2 * 5 + 6 + 9 + 4);
	days("Europe/London", 2026, 3, 29, 10, 25, 90, 90);
	days("America/New_York", 2026, 3, 8, 11, 1, 150, 90);
	next_spacing("Europe/London", 2026, 3, 22, 24, "ordinary day");
	next_spacing("Europe/London", 2026, 3, 29, 23, "spring forward");
	next_spacing("Europe/London", 2026, 10, 25, 25, "fall back");
	next_spacing("America/New_York", 2026, 3, 1, 24, "ordinary day");
	next_spacing("America/New_York", 2026, 3, 8, 23, "spring forward");
	next_spacing("America/New_York", 2026, 11, 1, 25, "fall back");
	jumps();
	wakeups();
	return ktap_exit(&k);
}
