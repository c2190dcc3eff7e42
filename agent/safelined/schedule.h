/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When to wipe, as pure functions of the wall clock handed in, so tests can
 * drive them through clock jumps and DST changes.
 *
 * Wipe times are local times of day. A time counts once per local day: a
 * time that does not exist (spring forward) is taken as mktime() normalises
 * it, a time that exists twice (fall back) as mktime() picks one. The daemon
 * ticks at least once a minute and asks whether a wipe time was crossed
 * since its last tick: a clock that jumps forward over a wipe time still
 * wipes (once); a clock that jumps back wipes again when it re-crosses.
 */
#ifndef SAFELINED_SCHEDULE_H
#define SAFELINED_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* the daemon's longest sleep: how late a clock jump is noticed */
#define SCHEDULE_MAX_SLEEP_S 60

/* Whether some wipe time (minutes after local midnight) lies in (last, now]. */
bool schedule_crossed(const uint16_t *minutes, size_t n, time_t last, time_t now);

/* The first wipe time strictly after now, or 0 when there is none. */
time_t schedule_next(const uint16_t *minutes, size_t n, time_t now);

/* The schedule's memory between ticks. */
struct wipe_clock {
	time_t last;		/* the previous tick, 0 before the first */
};

/*
 * One tick at now: true when a wipe time was crossed since the previous
 * tick. The first tick only starts the clock: a restart does not wipe for
 * times that passed while the agent was down (max age still applies).
 */
bool schedule_tick(struct wipe_clock *wc, const uint16_t *minutes, size_t n, time_t now);

/*
 * When the daemon should tick next: the next wipe time, the moment the
 * oldest row (ended at oldest_end_s, 0: no rows) reaches max_age_s, or
 * SCHEDULE_MAX_SLEEP_S from now, whichever comes first (never before now).
 */
time_t schedule_wakeup(const uint16_t *minutes, size_t n, time_t now, int64_t oldest_end_s,
		       uint32_t max_age_s);

#endif
