// SPDX-License-Identifier: GPL-2.0
/*
 * One line per call event (see monitor.h). Events carry kinds, times and
 * channel numbers only, so neither form can show a digit.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <linux/safeline.h>

#include "agent/safectl/monitor.h"
#include "agent/safectl/names.h"
#include "agent/shared/genl-event.h"
#include "agent/shared/json.h"

#define NS_PER_S 1000000000LL

/* local "YYYY-MM-DD HH:MM:SS.mmm" of wall-clock nanoseconds */
static void format_time(int64_t wall_ns, char *buf, size_t size)
{
	time_t s = (time_t)(wall_ns / NS_PER_S);
	struct tm tm;
	size_t n;

	if (wall_ns < 0 || !localtime_r(&s, &tm) ||
	    !(n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf + n, size - n, ".%03d", (int)(wall_ns % NS_PER_S / 1000000));
}

static void print_json(const struct safeline_event *ev, struct json_writer *w, int64_t wall_ns)
{
	json_open_object(w, NULL);
	json_uint(w, "seq", ev->seq);
	json_fixed(w, "time_s", (double)(wall_ns / 1000000) / 1000.0, 3);
	json_uint(w, "time_boot_ns", ev->time_ns);
	json_uint(w, "channel", ev->channo);
	json_uint(w, "span", ev->spanno);
	json_string(w, "role", name_role(ev->role));
	json_string(w, "policy", name_policy(ev->policy));
	json_string(w, "event", name_event_type(ev->type));
	if (ev->type == SAFELINE_EVENT_SPILL) {
		json_string(w, "kind", name_spill_kind(ev->spill_kind));
		json_bool(w, "muted", ev->spill_muted);
		json_uint(w, "duration_ms", ev->duration_ms);
	} else if (ev->type == SAFELINE_EVENT_VERIFY) {
		json_string(w, "result", name_verify_result(ev->verify_result));
		json_string(w, "standard", name_verify_standard(ev->verify_standard));
	}
	if (ev->dropped)
		json_uint(w, "dropped", ev->dropped);
	json_close_object(w);
}

static void print_text(const struct safeline_event *ev, FILE *f, int64_t wall_ns)
{
	bool detail = ev->type == SAFELINE_EVENT_SPILL || ev->type == SAFELINE_EVENT_VERIFY ||
		      ev->dropped;
	char when[40];

	format_time(wall_ns, when, sizeof(when));
	/* columns line up; nothing trails the last word */
	fprintf(f, "%s chan %-3" PRIu32 " span %-2" PRIu32 " %-8s %-8s %-*s", when, ev->channo,
		ev->spanno, name_role(ev->role), name_policy(ev->policy), detail ? 10 : 0,
		name_event_type(ev->type));
	if (ev->type == SAFELINE_EVENT_SPILL)
		fprintf(f, " %s %s %" PRIu32 " ms", name_spill_kind(ev->spill_kind),
			ev->spill_muted ? "muted" : "detected (not muted)", ev->duration_ms);
	else if (ev->type == SAFELINE_EVENT_VERIFY)
		fprintf(f, " %s (%s)", name_verify_result(ev->verify_result),
			name_verify_standard(ev->verify_standard));
	if (ev->dropped)
		fprintf(f, " [%" PRIu32 " event%s dropped before this]", ev->dropped,
			ev->dropped == 1 ? "" : "s");
	fputc('\n', f);
}

void monitor_print_event(const struct safeline_event *ev, struct json_writer *w, FILE *f,
			 int64_t wall_minus_boot_ns)
{
	int64_t wall_ns = (int64_t)ev->time_ns + wall_minus_boot_ns;

	if (w)
		print_json(ev, w, wall_ns);
	else
		print_text(ev, f, wall_ns);
}
