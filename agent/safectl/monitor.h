/* SPDX-License-Identifier: GPL-2.0 */
/*
 * safectl monitor's output, apart from its socket so that unit tests can
 * print hand-built events: one line per event, text or a JSON line.
 */
#ifndef SAFECTL_MONITOR_H
#define SAFECTL_MONITOR_H

#include <stdint.h>
#include <stdio.h>

struct json_writer;
struct safeline_event;

/*
 * Prints ev as one line: on f as text when w is NULL, else as one JSON
 * object through w. wall_minus_boot_ns is CLOCK_REALTIME - CLOCK_BOOTTIME
 * now, to turn the event's boot time into a wall-clock time.
 */
void monitor_print_event(const struct safeline_event *ev, struct json_writer *w, FILE *f,
			 int64_t wall_minus_boot_ns);

#endif
