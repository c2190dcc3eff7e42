// SPDX-License-Identifier: GPL-2.0
/* Wipe times of day against an injected wall clock: see schedule.h. */
#include "agent/safelined/schedule.h"

/* a jump this long crosses every time of day at least once */
#define LONG_JUMP_S (2 * 86400)

/* the instant of minute-of-day m on the local day of base shifted by days */
static time_t local_time_of_day(time_t base, int days, uint16_t m)
{
	struct tm tm;

	if (!localtime_r(&base, &tm))
		return (time_t)-1;
	tm.tm_mday += days;
	tm.tm_hour = m / 60;
	tm.tm_min = m % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;	/* let the zone rules say whether DST applies that day */
	return mktime(&tm);
}

bool schedule_crossed(const uint16_t *minutes, size_t n, time_t last, time_t now)
{
	size_t i;
	int d;

	if (n == 0 || now <= last)
		return false;
	if (now - last >= LONG_JUMP_S)
		return true;
	/* the local days last and now fall on, and one either side for DST shifts */
	for (d = -1; d <= 3; d++)
		for (i = 0; i < n; i++) {
			time_t t = local_time_of_day(last, d, minutes[i]);

			if (t != (time_t)-1 && t > last && t <= now)
				return true;
		}
	return false;
}

time_t schedule_next(const uint16_t *minutes, size_t n, time_t now)
{
	time_t best = 0;
	size_t i;
	int d;

	for (d = 0; d <= 2; d++)
		for (i = 0; i < n; i++) {
			time_t t = local_time_of_day(now, d, minutes[i]);

			if (t != (time_t)-1 && t > now && (!best || t < best))
				best = t;
		}
	return best;
}

bool schedule_tick(struct wipe_clock *wc, const uint16_t *minutes, size_t n, time_t now)
{
	bool due = wc->last && schedule_crossed(minutes, n, wc->last, now);

	wc->last = now;	/* also after a jump back: from here on, times count again */
	return due;
}

time_t schedule_wakeup(const uint16_t *minutes, size_t n, time_t now, int64_t oldest_end_s,
		       uint32_t max_age_s)
{
	time_t wake = now + SCHEDULE_MAX_SLEEP_S, next = schedule_next(minutes, n, now);

	if (next && next < wake)
		wake = next;
	if (oldest_end_s && oldest_end_s + (int64_t)max_age_s < (int64_t)wake)
		wake = (time_t)(oldest_end_s + max_age_s);
	return wake < now ? now : wake;
}
