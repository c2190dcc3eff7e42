// SPDX-License-Identifier: GPL-2.0
/*
 * safectl status: what the loaded safeline.ko is (version, protocol, DAHDI's
 * span assignment mode), then what safelined says about itself over the
 * control socket. Looking the family up loads the module if needed.
 *
 * Both sections always print; the exit status is the worse of the two. An
 * agent that is not running is a state, not a failure (the kernel keeps
 * suppressing without it); an agent that refuses or fails is a failure, so
 * a user in neither access group gets exit 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/safeline.h>

#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/status-verify.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

/* a stopped (SIGSTOP, hung) agent accepts but never answers: status waits less */
#define AGENT_TIMEOUT_S 5

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] status\n"
	"Show the version and protocol of the loaded safeline module, then the state\n"
	"of safelined (\"agent: not running\" when there is none). Reading the agent\n"
	"needs root, the admin or the view group. Exit status 3: caller-ID verification\n"
	"failed (our number was presented) or is overdue.\n";

static int fetch_module(struct safeline_status *st)
{
	struct safeline_genl g;
	int r, ret;

	ret = safectl_open_family(&g, "status");
	if (ret)
		return ret;
	r = safeline_genl_get_status(&g, st);
	ret = r < 0 ? safectl_fail("status", g.extack, "reading module status: %s", strerror(-r))
		    : SAFECTL_EXIT_OK;
	safeline_genl_close(&g);
	return ret;
}

/* the agent's keys (manager-ctl.c) as text labels; unknown keys print as they are */
static const struct {
	const char *key, *label;
} agent_labels[] = {
	{ "connected", "connected to the module" },
	{ "module_version", "module version seen" },
	{ "rows", "call records" },
	{ "corrupt", "corrupt records" },
	{ "days", "daily aggregates" },
	{ "resolution", "time resolution" },
	{ "max_age_s", "record max age (s)" },
	{ "wipe_times", "wipes per day" },
	{ "next_wipe", "next wipe" },
	{ "wipe_on_stop", "wipe on stop" },
};

static const char *agent_label(const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < ELEMENTSOF(agent_labels); i++)
		if (strlen(agent_labels[i].key) == n && strncmp(agent_labels[i].key, key, n) == 0)
			return agent_labels[i].label;
	return NULL;
}

/* each key=value of the status record as "agent <label>: <value>" */
static void print_agent_fields(const char *line)
{
	char key[CTL_MAX_KEY], value[128];
	const char *label;

	while (ctl_next_field(&line, key, sizeof(key), value, sizeof(value))) {
		if (status_verify_key(key))
			continue;	/* their own section */
		label = agent_label(key, strlen(key));
		if (streq(key, "next_wipe"))
			ctl_format_time(value, value, sizeof(value));
		printf("agent %s: %s\n", label ? label : key, value);
	}
}

static void print_text(const struct safeline_status *st, const struct ctl_reply *a)
{
	if (st) {
		printf("version: %s\n", st->version);
		printf("protocol: %u\n", st->protocol);
		printf("dahdi auto-assign spans: %s\n", st->dahdi_auto_assign ? "yes" : "no");
		if (st->has_events)
			printf("events sent: %" PRIu64 "\nevents dropped: %" PRIu64 "\n",
			       st->events_sent, st->events_dropped);
		if (st->has_coverage)
			printf("hook misses: %" PRIu64 "\nchunks uncovered: %" PRIu64 "\n",
			       st->hook_misses, st->chunks_uncovered);
	}
	if (a->state == CTL_ABSENT)
		printf("agent: not running\n");
	else if (a->state == CTL_ANSWERED)
		printf("agent: running\n");
	if (a->state == CTL_ANSWERED) {
		print_agent_fields(a->body);
		status_verify_print(a->body);
	}
}

static void print_json(const struct safeline_status *st, const struct ctl_reply *a)
{
	struct json_writer w;

	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	if (st) {
		json_string(&w, "version", st->version);
		json_uint(&w, "protocol", st->protocol);
		json_bool(&w, "dahdi_auto_assign_spans", st->dahdi_auto_assign);
		if (st->has_events) {
			json_uint(&w, "events_sent", st->events_sent);
			json_uint(&w, "events_dropped", st->events_dropped);
		}
		if (st->has_coverage) {
			json_uint(&w, "hook_misses", st->hook_misses);
			json_uint(&w, "chunks_uncovered", st->chunks_uncovered);
		}
	}
	json_open_object(&w, "agent");
	json_bool(&w, "running", a->reached);
	if (a->state == CTL_ANSWERED)
		ctl_json_fields(&w, a->body);
	else if (a->state == CTL_FAILED)
		json_string(&w, "error", a->why);
	json_close_object(&w);
	json_close_object(&w);
}

int cmd_status(int argc, char *argv[])
{
	struct safeline_status st;
	struct ctl_reply a;
	int ret, module;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	module = fetch_module(&st);
	/* no agent is a state here, not an error: ask quietly */
	ctl_request("status", AGENT_TIMEOUT_S, &a);
	if (safectl_json)
		print_json(module == SAFECTL_EXIT_OK ? &st : NULL, &a);
	else
		print_text(module == SAFECTL_EXIT_OK ? &st : NULL, &a);
	fflush(stdout);
	if (module == SAFECTL_EXIT_OK && st.protocol != SAFELINE_GENL_VERSION)
		fprintf(stderr, "safectl: status: module speaks protocol %u, safectl %u\n",
			st.protocol, SAFELINE_GENL_VERSION);
	if (module == SAFECTL_EXIT_OK && a.state == CTL_ANSWERED)
		module = status_verify_exit(a.body);
	free(a.body);
	if (a.state == CTL_FAILED)
		return safectl_fail("status", NULL, "agent: %s", a.why);
	return module;
}
