// SPDX-License-Identifier: GPL-2.0
/*
 * What the control socket's requests do (ctlsock.c does the socket, the
 * authorisation and the audit). Replies are key=value records; times are
 * wall-clock seconds that safectl formats; nothing here can hold a number
 * or a name because the store holds none.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent/safelined/ctlsock.h"
#include "agent/safelined/manager.h"
#include "agent/safelined/verify.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"

static const char *const policy_names[] = { "pass", "detect", "suppress", "strict" };
static const char *const role_names[] = { "auto", "fxo_port", "fxs_port" };
static const char *const direction_names[] = { "unknown", "in", "out" };

#define NAME_OF(table, v) ((size_t)(v) < ELEMENTSOF(table) ? (table)[v] : "?")

static int reply_status(Manager *m, FILE *out)
{
	struct store_counts c;
	int r = store_count(m->store, &c);

	if (r < 0)
		return r;
	fprintf(out, "connected=%s module_version=%s rows=%zu corrupt=%zu days=%zu "
		"resolution=%s max_age_s=%" PRIu32 " wipe_times=%zu next_wipe=%lld "
		"wipe_on_stop=%s", m->connected ? "yes" : "no",
		m->connected ? m->status.version : "-", c.rows, c.corrupt, c.days,
		m->conf.resolution == CONF_RESOLUTION_HOUR ? "hour" : "minute",
		m->conf.max_age_s, m->conf.n_wipe_times,
		(long long)schedule_next(m->conf.wipe_minutes, m->conf.n_wipe_times, time(NULL)),
		m->conf.wipe_on_stop ? "yes" : "no");
	verify_status_fields(m, out);
	if (m->calls) {
		const struct calls_stats *st = calls_stats(m->calls);

		/* counts only: what the event path did since the agent started */
		fprintf(out, " events_subscribed=%s events=%" PRIu64 " events_rejected=%" PRIu64
			" events_malformed=%" PRIu64 " events_lost=%" PRIu64 " overruns=%" PRIu64
			" calls_open=%zu calls_incomplete=%" PRIu64,
			m->subscribed ? "yes" : "no", st->events, st->rejected, m->sink.malformed,
			st->lost, m->overruns, calls_open(m->calls), st->incomplete);
	}
	fputc('\n', out);
	return 0;
}

static int reply_channels(Manager *m, FILE *out)
{
	size_t i;

	fprintf(out, "default=%s\n", NAME_OF(policy_names, m->conf.default_policy));
	for (i = 0; i < m->conf.n_rules; i++)
		fprintf(out, "first=%" PRIu32 " last=%" PRIu32 " policy=%s role=%s\n",
			m->conf.rules[i].first, m->conf.rules[i].last,
			NAME_OF(policy_names, m->conf.rules[i].policy),
			NAME_OF(role_names, m->conf.rules[i].role));
	return 0;
}

static int reply_report(Manager *m, FILE *out)
{
	struct day_row *days;
	size_t n, i;
	int y, mo, d, r = store_days(m->store, &days, &n);

	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		store_day_to_date(days[i].day, &y, &mo, &d);
		fprintf(out, "date=%04d-%02d-%02d calls=%" PRIu32 " answered=%" PRIu32
			" missed=%" PRIu32 " total_s=%" PRIu64 " mean_s=%" PRIu64 "\n", y, mo, d,
			days[i].calls, days[i].answered, days[i].missed, days[i].total_s,
			days[i].answered ? days[i].total_s / days[i].answered : 0);
	}
	free(days);
	return 0;
}

static int print_call(const struct call_row *row, void *data)
{
	char id[2 * CALL_ID_BYTES + 1];
	FILE *out = data;

	call_id_format(row->id, id);
	fprintf(out, "id=%s channel=%" PRIu32 " direction=%s answered=%s ring_s=%lld answer_s=%lld "
		"end_s=%lld fsk=%u dtmf=%u alert=%u onhook=%u complete=%s\n", id, row->channo,
		NAME_OF(direction_names, row->direction), row->answered ? "yes" : "no",
		(long long)row->ring_s, (long long)row->answer_s, (long long)row->end_s,
		row->suppressed[CALL_SUPPRESSED_FSK], row->suppressed[CALL_SUPPRESSED_DTMF],
		row->suppressed[CALL_SUPPRESSED_ALERT], row->suppressed[CALL_SUPPRESSED_ONHOOK],
		row->incomplete ? "no" : "yes");
	return 0;
}

static int reply_wipe(Manager *m, const char *arg, FILE *out, char *err, size_t errsize)
{
	struct store_wipe_result res;
	enum store_wipe_what what;
	int r;

	if (!*arg || streq(arg, "expired")) {
		what = STORE_WIPE_EXPIRED;
	} else if (streq(arg, "all")) {
		what = STORE_WIPE_ALL;
	} else {
		snprintf(err, errsize, "wipe: expected 'expired' or 'all'");
		return -EINVAL;
	}
	r = manager_wipe(m, what, what == STORE_WIPE_ALL ? "on demand, all" : "on demand", &res);
	if (r < 0) {
		snprintf(err, errsize, "wipe failed or could not be verified: %s", strerror(-r));
		return r;
	}
	manager_arm_wipe_timer(m);
	fprintf(out, "rows_wiped=%zu days_wiped=%zu rows_kept=%zu days_kept=%zu\n",
		res.rows_wiped, res.days_wiped, res.rows_kept, res.days_kept);
	return 0;
}

static int handle(void *data, enum ctl_action action, const char *arg, FILE *out, char *err,
		  size_t errsize)
{
	Manager *m = data;

	if (*arg && action != CTL_ACTION_WIPE) {
		snprintf(err, errsize, "%s takes no argument", ctl_action_name(action));
		return -EINVAL;
	}
	switch (action) {
	case CTL_ACTION_STATUS:
		return reply_status(m, out);
	case CTL_ACTION_CHANNELS:
		return reply_channels(m, out);
	case CTL_ACTION_REPORT:
		return reply_report(m, out);
	case CTL_ACTION_CALLS:
		return store_foreach_call(m->store, print_call, out);
	case CTL_ACTION_WIPE:
		return reply_wipe(m, arg, out, err, errsize);
	case CTL_ACTION_RELOAD:
		return manager_reload(m, err, errsize);
	default:
		return -EOPNOTSUPP;
	}
}

static int on_ctl(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	Manager *m = userdata;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC), r;

	if (cfd < 0)
		return 0;	/* EAGAIN or a client that went away */
	r = ctl_serve(cfd, &m->conf, handle, m);
	if (r < 0)
		log_debug_errno(r, "Control request failed: %m");
	close(cfd);
	return 0;
}

int manager_ctl_open(Manager *m)
{
	int r;

	m->ctl_fd = ctl_listen(m->conf.socket_path);
	if (m->ctl_fd < 0)
		return log_error_errno(m->ctl_fd, "Failed to listen on %s: %m",
				       m->conf.socket_path);
	r = sd_event_add_io(m->event, &m->ctl_source, m->ctl_fd, EPOLLIN, on_ctl, m);
	if (r < 0)
		return log_error_errno(r, "Failed to watch the control socket: %m");
	return 0;
}
