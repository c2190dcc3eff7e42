// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket client: one request, one reply, then the connection
 * closes. The socket path is SAFELINE_SOCKET from the environment, else
 * /run/safeline.sock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent/safectl/ctlsock.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/ctl-proto.h"
#include "agent/shared/json.h"
#include "agent/shared/util.h"

static const char *socket_path(void)
{
	const char *p = getenv(SAFELINE_CTL_SOCKET_ENV);

	return p && *p ? p : SAFELINE_CTL_SOCKET;
}

/* a connected socket, or -1 with r->state and r->why set */
static int connect_agent(int timeout_s, struct ctl_reply *r)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_s };
	const char *path = socket_path();
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(r->why, sizeof(r->why), "socket path too long: %.200s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(r->why, sizeof(r->why), "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED) {
		r->state = CTL_ABSENT;
		snprintf(r->why, sizeof(r->why), "safelined is not running (no agent at %.200s)",
			 path);
	} else {
		snprintf(r->why, sizeof(r->why), "cannot reach safelined at %.150s: %s", path,
			 strerror(errno));
	}
	close(fd);
	return -1;
}

/* the whole reply, NUL-terminated, in *buf; -errno on failure */
static int read_reply(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t n;
	char *p;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (cap - *len < 4096) {
			p = realloc(*buf, cap = cap ? 2 * cap : 8192);
			if (!p)
				return -ENOMEM;
			*buf = p;
		}
		n = read(fd, *buf + *len, cap - *len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	(*buf)[*len] = '\0';
	return 0;
}

void ctl_request(const char *request, int timeout_s, struct ctl_reply *r)
{
	char *reply, *nl;
	size_t len;
	int fd, e;

	*r = (struct ctl_reply){ .state = CTL_FAILED };
	fd = connect_agent(timeout_s, r);
	if (fd < 0)
		return;
	r->reached = true;
	if (dprintf(fd, "%s\n", request) < 0) {
		snprintf(r->why, sizeof(r->why), "sending the request: %s", strerror(errno));
		close(fd);
		return;
	}
	shutdown(fd, SHUT_WR);
	e = read_reply(fd, &reply, &len);
	close(fd);
	if (e < 0) {
		snprintf(r->why, sizeof(r->why), "reading the reply: %s",
			 e == -EAGAIN ? "no answer" : strerror(-e));
		free(reply);
		return;
	}
	nl = strchr(reply, '\n');
	if (nl && strncmp(reply, "ok\n", 3) == 0) {
		memmove(reply, nl + 1, len - (size_t)(nl + 1 - reply) + 1);
		r->state = CTL_ANSWERED;
		r->body = reply;
		return;
	}
	if (nl)
		*nl = '\0';
	snprintf(r->why, sizeof(r->why), "%.200s", strncmp(reply, "error ", 6) == 0 ?
		 reply + 6 : len ? "malformed reply" : "no reply");
	free(reply);
}

int ctl_call(const char *object, const char *request, char **body)
{
	struct ctl_reply r;

	ctl_request(request, CTL_TIMEOUT_S, &r);
	*body = r.body;
	if (r.state == CTL_ANSWERED)
		return SAFECTL_EXIT_OK;
	/* the agent's own refusals read "safelined: <reason>" */
	return safectl_fail(object, NULL, "%s%s", r.reached ? "safelined: " : "", r.why);
}

bool ctl_next_field(const char **p, char *key, size_t ksize, char *value, size_t vsize)
{
	const char *f, *end, *eq;

	while (**p && **p != '\n') {
		f = *p;
		end = f + strcspn(f, " \n");
		*p = end + (*end == ' ');
		eq = memchr(f, '=', (size_t)(end - f));
		if (!eq || (size_t)(eq - f) >= ksize)
			continue;	/* not a field, or a key no caller knows */
		snprintf(key, ksize, "%.*s", (int)(eq - f), f);
		snprintf(value, vsize, "%.*s", (int)(end - eq - 1), eq + 1);
		return true;
	}
	return false;
}

bool ctl_field(const char *line, const char *key, char *buf, size_t size)
{
	char k[CTL_MAX_KEY];

	while (ctl_next_field(&line, k, sizeof(k), buf, size))
		if (streq(k, key))
			return true;
	return false;
}

static bool is_number(const char *s)
{
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	return strspn(s, "0123456789") == strlen(s);
}

void ctl_json_fields(struct json_writer *w, const char *line)
{
	char key[CTL_MAX_KEY], value[256];

	while (ctl_next_field(&line, key, sizeof(key), value, sizeof(value))) {
		if (streq(value, "yes") || streq(value, "no"))
			json_bool(w, key, streq(value, "yes"));
		else if (is_number(value) && strlen(value) < 20)
			json_uint(w, key, strtoull(value, NULL, 10));
		else
			json_string(w, key, value);
	}
}

void ctl_print_json(const char *body)
{
	struct json_writer w;
	const char *line;

	json_init(&w, stdout, safectl_pretty);
	json_open_array(&w, NULL);
	for (line = body; *line; line += strcspn(line, "\n"), line += *line == '\n') {
		if (*line == '\n')
			continue;
		json_open_object(&w, NULL);
		ctl_json_fields(&w, line);
		json_close_object(&w);
	}
	json_close_array(&w);
}

int ctl_list(const char *request, void (*print_table)(const char *body))
{
	char *body;
	int ret = ctl_call(request, request, &body);

	if (ret != SAFECTL_EXIT_OK)
		return ret;
	if (safectl_json)
		ctl_print_json(body);
	else
		print_table(body);
	free(body);
	return SAFECTL_EXIT_OK;
}

void ctl_format_time(const char *seconds, char *buf, size_t size)
{
	time_t t = (time_t)strtoll(seconds, NULL, 10);
	struct tm tm;

	if (!t || !localtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, size, "-");
}
