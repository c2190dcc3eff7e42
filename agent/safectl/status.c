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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/safeline.h>

#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/safectl/status-verify.h"
#include "agent/shared/ctl-proto.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

/* a stopped (SIGSTOP, hung) agent accepts but never answers: don't wait forever */
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

enum agent_state {
	AGENT_ABSENT,	/* no socket, or nobody listening on it */
	AGENT_ANSWERED,	/* body holds the status record */
	AGENT_FAILED,	/* refused or broken: why says so */
};

struct agent {
	enum agent_state state;
	bool reached;	/* connected: it runs, whatever it answered */
	char *body;
	char why[256];
};

static int agent_connect(struct agent *a)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = AGENT_TIMEOUT_S };
	const char *path = getenv(SAFELINE_CTL_SOCKET_ENV);
	int fd;

	if (!path || !*path)
		path = SAFELINE_CTL_SOCKET;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(a->why, sizeof(a->why), "socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(a->why, sizeof(a->why), "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		a->state = AGENT_ABSENT;
	else
		snprintf(a->why, sizeof(a->why), "cannot reach safelined at %s: %s", path,
			 strerror(errno));
	close(fd);
	return -1;
}

/* ctl_call() reports "not running" as an error; here it is a state, so ask quietly */
static void fetch_agent(struct agent *a)
{
	char reply[4096], *nl;
	size_t len = 0;
	ssize_t n = 0;
	int fd;

	*a = (struct agent){ .state = AGENT_FAILED };
	fd = agent_connect(a);
	if (fd < 0)
		return;
	a->reached = true;
	if (dprintf(fd, "status\n") < 0) {
		snprintf(a->why, sizeof(a->why), "sending the request: %s", strerror(errno));
		close(fd);
		return;
	}
	shutdown(fd, SHUT_WR);
	while (len < sizeof(reply) - 1 &&
	       (n = read(fd, reply + len, sizeof(reply) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	reply[len] = '\0';
	nl = strchr(reply, '\n');
	if (n < 0) {
		snprintf(a->why, sizeof(a->why), "reading the reply: %s",
			 errno == EAGAIN ? "no answer" : strerror(errno));
	} else if (nl && strncmp(reply, "ok\n", 3) == 0) {
		a->state = AGENT_ANSWERED;
		a->body = strdup(nl + 1);
		if (!a->body) {
			a->state = AGENT_FAILED;
			snprintf(a->why, sizeof(a->why), "out of memory");
		}
	} else {
		if (nl)
			*nl = '\0';
		snprintf(a->why, sizeof(a->why), "%.200s", strncmp(reply, "error ", 6) == 0 ?
			 reply + 6 : len ? "malformed reply" : "no reply");
	}
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

static bool is_number(const char *s)
{
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	return strspn(s, "0123456789") == strlen(s);
}

/* each key=value of the status record: yes/no as booleans, digits as numbers */
static void print_agent_fields(struct json_writer *w, const char *line)
{
	char key[64], value[128], when[32];
	const char *f, *end, *eq, *label;

	for (f = line; *f && *f != '\n'; f = end + (*end == ' ')) {
		end = f + strcspn(f, " \n");
		eq = memchr(f, '=', (size_t)(end - f));
		if (!eq || (size_t)(eq - f) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - f), f);
		snprintf(value, sizeof(value), "%.*s", (int)(end - eq - 1), eq + 1);
		if (w) {
			if (streq(value, "yes") || streq(value, "no"))
				json_bool(w, key, streq(value, "yes"));
			else if (is_number(value))
				json_uint(w, key, strtoull(value, NULL, 10));
			else
				json_string(w, key, value);
			continue;
		}
		if (status_verify_key(key))
			continue;	/* their own section */
		label = agent_label(key, strlen(key));
		if (streq(key, "next_wipe")) {
			ctl_format_time(value, when, sizeof(when));
			snprintf(value, sizeof(value), "%s", when);
		}
		printf("agent %s: %s\n", label ? label : key, value);
	}
}

static void print_text(const struct safeline_status *st, const struct agent *a)
{
	if (st) {
		printf("version: %s\n", st->version);
		printf("protocol: %u\n", st->protocol);
		printf("dahdi auto-assign spans: %s\n", st->dahdi_auto_assign ? "yes" : "no");
	}
	if (a->state == AGENT_ABSENT)
		printf("agent: not running\n");
	else if (a->state == AGENT_ANSWERED)
		printf("agent: running\n");
	if (a->state == AGENT_ANSWERED) {
		print_agent_fields(NULL, a->body);
		status_verify_print(a->body);
	}
}

static void print_json(const struct safeline_status *st, const struct agent *a)
{
	struct json_writer w;

	json_init(&w, stdout, safectl_pretty);
	json_open_object(&w, NULL);
	if (st) {
		json_string(&w, "version", st->version);
		json_uint(&w, "protocol", st->protocol);
		json_bool(&w, "dahdi_auto_assign_spans", st->dahdi_auto_assign);
	}
	json_open_object(&w, "agent");
	json_bool(&w, "running", a->reached);
	if (a->state == AGENT_ANSWERED)
		print_agent_fields(&w, a->body);
	else if (a->state == AGENT_FAILED)
		json_string(&w, "error", a->why);
	json_close_object(&w);
	json_close_object(&w);
}

int cmd_status(int argc, char *argv[])
{
	struct safeline_status st;
	struct agent a;
	int first, ret, module;

	first = safectl_parse_common(argc, argv, usage, &ret);
	if (first < 0)
		return ret;
	if (first < argc)
		return safectl_usage_error("status", usage, "unexpected argument '%s'", argv[first]);
	module = fetch_module(&st);
	fetch_agent(&a);
	if (safectl_json)
		print_json(module == SAFECTL_EXIT_OK ? &st : NULL, &a);
	else
		print_text(module == SAFECTL_EXIT_OK ? &st : NULL, &a);
	fflush(stdout);
	if (module == SAFECTL_EXIT_OK && st.protocol != SAFELINE_GENL_VERSION)
		fprintf(stderr, "safectl: status: module speaks protocol %u, safectl %u\n",
			st.protocol, SAFELINE_GENL_VERSION);
	if (a.state == AGENT_FAILED) {
		free(a.body);
		return safectl_fail("status", NULL, "agent: %s", a.why);
	}
	if (module == SAFECTL_EXIT_OK && a.state == AGENT_ANSWERED)
		module = status_verify_exit(a.body);
	free(a.body);
	return module;
}
