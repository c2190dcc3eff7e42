// SPDX-License-Identifier: GPL-2.0
/*
 * Pushing the config's policies to safeline.ko. The rules (later ones win)
 * and the default are flattened into stretches of channels with one
 * effective policy, each sent once with SET_POLICY, so no channel passes
 * through a policy it should not have (a policy change restarts the
 * channel's detector; writing the same policy again does not). Pushed on
 * connect, on reload (SIGHUP, safectl reload, and so udev's
 * safeline-reapply.service) and every POLICY_CHECK_USEC, which catches
 * channels that appeared since: a push is cheap and changes nothing when
 * nothing is new.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/safeline.h>

#include "agent/safelined/manager.h"
#include "agent/shared/log.h"

#define POLICY_CHECK_USEC (10 * 1000000ULL)
#define POLICY_SOON_USEC (1000000ULL)

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t policy_flatten(const struct safeline_conf *c, struct policy_stretch *out)
{
	uint32_t cuts[POLICY_MAX_STRETCHES];
	size_t n = 0, i, j, k = 0;

	cuts[n++] = 1;
	for (i = 0; i < c->n_rules; i++) {
		cuts[n++] = c->rules[i].first;
		if (c->rules[i].last != UINT32_MAX)
			cuts[n++] = c->rules[i].last + 1;
	}
	/* the verification lines override every rule (conf_policy_for) */
	if (c->verify.enabled) {
		cuts[n++] = c->verify.first;
		if (c->verify.last != UINT32_MAX)
			cuts[n++] = c->verify.last + 1;
	}
	qsort(cuts, n, sizeof(cuts[0]), cmp_u32);
	for (i = 0; i < n; i = j) {
		uint32_t first = cuts[i], last;
		uint8_t policy;

		for (j = i + 1; j < n && cuts[j] == first; j++)
			;
		last = j < n ? cuts[j] - 1 : UINT32_MAX;
		policy = conf_policy_for(c, first);
		if (k && out[k - 1].policy == policy)
			out[k - 1].last = last;
		else
			out[k++] = (struct policy_stretch){ first, last, policy };
	}
	return k;
}

int manager_apply_policy(Manager *m, const char *why, bool quiet)
{
	struct policy_stretch s[POLICY_MAX_STRETCHES];
	uint32_t count, total = 0;
	size_t n, i, failed = 0;
	int r;

	if (!m->connected)
		return 0;	/* the next connect pushes */
	r = safeline_genl_set_policy(&m->genl, true, 0, 0, m->conf.default_policy, &count);
	if (r < 0) {
		log_error_errno(r, "Setting the default policy failed: %m%s%s%s",
				*m->genl.extack ? " (kernel: " : "", m->genl.extack,
				*m->genl.extack ? ")" : "");
		if (r == -ENOENT || r == -ENODEV)
			manager_disconnected(m, "safeline.ko went away");
		return r;
	}
	n = policy_flatten(&m->conf, s);
	for (i = 0; i < n; i++) {
		r = safeline_genl_set_policy(&m->genl, false, s[i].first, s[i].last, s[i].policy,
					     &count);
		if (r == -ENOENT || r == -EOPNOTSUPP)
			continue;	/* no live analog channel there (yet) */
		if (r < 0) {
			log_error_errno(r, "Setting policy on channels %" PRIu32 "-%" PRIu32
					" failed: %m%s%s%s", s[i].first, s[i].last,
					*m->genl.extack ? " (kernel: " : "", m->genl.extack,
					*m->genl.extack ? ")" : "");
			failed++;
			continue;
		}
		total += count;
	}
	if (!quiet || !m->policy_pushed || total != m->policy_channels || failed)
		log_info("Applied policy (%s): %" PRIu32 " channels set%s", why, total,
			 failed ? ", some ranges failed" : "");
	else
		log_debug("Policy checked (%s): %" PRIu32 " channels set", why, total);
	m->policy_channels = total;
	m->policy_pushed = true;
	return failed ? -EIO : 0;
}

static int on_policy_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	Manager *m = userdata;

	manager_apply_policy(m, "periodic check", true);
	sd_event_source_set_time(s, usec + POLICY_CHECK_USEC);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

int manager_policy_timer_start(Manager *m)
{
	uint64_t now;
	int r = sd_event_now(m->event, CLOCK_MONOTONIC, &now);

	if (r >= 0)
		r = sd_event_add_time(m->event, &m->policy_timer, CLOCK_MONOTONIC,
				      now + POLICY_CHECK_USEC, 1000000, on_policy_timer, m);
	if (r < 0)
		return log_error_errno(r, "Failed to start the channel check timer: %m");
	return 0;
}

void manager_policy_check_soon(Manager *m)
{
	uint64_t now;

	if (m->policy_timer && sd_event_now(m->event, CLOCK_MONOTONIC, &now) >= 0 &&
	    sd_event_source_set_time(m->policy_timer, now + POLICY_SOON_USEC) >= 0)
		sd_event_source_set_enabled(m->policy_timer, SD_EVENT_ONESHOT);
}
