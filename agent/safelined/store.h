/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call store: a directory on tmpfs (0700) holding two files (0600):
 *
 *   calls  per-call rows, appended one fixed-size record per call
 *   daily  daily aggregates, two alternating fixed-size slots per day
 *
 * Appends are single write()s of whole records with a CRC, so a crash
 * mid-write can tear at most the record being written; opening the store
 * drops a torn tail and readers skip a corrupt record and stay aligned. A
 * day's aggregate is rewritten into the older of its two slots, so a torn
 * update leaves the previous value readable. Removing records rewrites the
 * file to a temporary name, renames it over, then overwrites the old file's
 * data through a still-open descriptor, checks it reads back as zeros, and
 * lets it go: deleted call data never lingers in tmpfs pages.
 *
 * Library-like: returns negative errnos, never logs.
 */
#ifndef SAFELINED_STORE_H
#define SAFELINED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "agent/safelined/call-event.h"
#include "agent/safelined/record.h"

struct store;

struct store_options {
	unsigned int resolution_s;	/* 60 or 3600: stored times are rounded down to it */
	uint32_t aggregate_days;	/* daily aggregates older than this are expired */
};

/*
 * Opens (creating if needed) the store at path, which must be on tmpfs
 * (-EMEDIUMTYPE otherwise) and, if it exists, a directory owned by us
 * (-EPERM otherwise); its mode is forced to 0700. Recovers from a crash:
 * drops torn tails and leftover temporary files (overwriting them first).
 */
int store_open(struct store **ret, const char *path, const struct store_options *o);
void store_close(struct store *s);
/* later resolution/retention changes (reload); the path cannot change */
void store_set_options(struct store *s, const struct store_options *o);

/* Appends a finished call's row and counts it in its day's aggregate. */
int store_record_event(struct store *s, const struct call_event *ev);

/* Calls fn for each readable row in order; stops when fn returns nonzero. */
int store_foreach_call(struct store *s, int (*fn)(const struct call_row *row, void *data),
		       void *data);
/* The aggregates, oldest day first; *n is the count (free() the array). */
int store_days(struct store *s, struct day_row **days, size_t *n);

struct store_counts {
	size_t rows;		/* readable rows */
	size_t corrupt;		/* unreadable records among them (skipped) */
	int64_t oldest_end_s;	/* end time of the oldest row, 0 when none */
	size_t days;
};
int store_count(struct store *s, struct store_counts *c);

enum store_wipe_what {
	STORE_WIPE_EXPIRED,	/* rows older than max_age, aggregates past retention */
	STORE_WIPE_ROWS,	/* every row, and aggregates past retention */
	STORE_WIPE_ALL,		/* every row and every aggregate */
};

struct store_wipe_result {
	size_t rows_wiped, rows_kept, days_wiped, days_kept;
};

/*
 * Wipes per what, judging age against now (wall-clock seconds). A row is
 * expired when it ended max_age_s or more before now, or, because a clock
 * that jumped back cannot tell its age, more than max_age_s after now.
 * Verified afterwards: -EIO when old data did not read back as zeros or the
 * rewritten file holds something it should not.
 */
int store_wipe(struct store *s, enum store_wipe_what what, time_t now, uint32_t max_age_s,
	       struct store_wipe_result *res);

/* End time of the oldest row (0: none), kept without a scan. */
int64_t store_oldest_end(const struct store *s);

/* The local civil day of t (days since 1970-01-01), as aggregates key it. */
int32_t store_local_day(time_t t);
void store_day_to_date(int32_t day, int *year, int *month, int *mday);

#endif
