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

static int connect_agent(const char *object, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = socket_path();

	if (strlen(path) >= sizeof(sa.sun_path))
		return safectl_fail(object, NULL, "socket path too long: %s", path);
	strcpy(sa.sun_path, path);
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return safectl_fail(object, NULL, "socket: %s", strerror(errno));
	if (connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return SAFECTL_EXIT_OK;
	close(*fd);
	if (errno == ENOENT || errno == ECONNREFUSED)
		return safectl_fail(object, NULL, "safelined is not running (no agent at %s)", path);
	return safectl_fail(object, NULL, "cannot reach safelined at %s: %s", path,
			    strerror(errno));
}

int ctl_call(const char *object, const char *request, char **body)
{
	char *reply = NULL, *nl;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = -1, ret;

	*body = NULL;
	ret = connect_agent(object, &fd);
	if (ret != SAFECTL_EXIT_OK)
		return ret;
	if (dprintf(fd, "%s\n", request) < 0) {
		close(fd);
		return safectl_fail(object, NULL, "sending the request: %s", strerror(errno));
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		if (cap - len < 4096) {
			char *p = realloc(reply, cap = cap ? 2 * cap : 8192);

			if (!p) {
				free(reply);
				close(fd);
				return safectl_fail(object, NULL, "out of memory");
			}
			reply = p;
		}
		n = read(fd, reply + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	if (n < 0) {
		free(reply);
		return safectl_fail(object, NULL, "reading the reply: %s", strerror(errno));
	}
	nl = strchr(reply, '\n');
	if (!nl || strncmp(reply, "ok\n", 3) != 0) {
		if (nl)
			*nl = '\0';
		ret = safectl_fail(object, NULL, "safelined: %s",
				   strncmp(reply, "error ", 6) == 0 ? reply + 6 :
				   len ? "malformed reply" : "no reply");
		free(reply);
		return ret;
	}
	memmove(reply, nl + 1, len - (size_t)(nl + 1 - reply) + 1);
	*body = reply;
	return SAFECTL_EXIT_OK;
}

bool ctl_field(const char *line, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = line, *end;

	while (*p && *p != '\n') {
		end = p + strcspn(p, " \n");
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			n = (size_t)(end - p) - klen - 1;
			if (n >= size)
				n = size - 1;
			memcpy(buf, p + klen + 1, n);
			buf[n] = '\0';
			return true;
		}
		p = *end == ' ' ? end + 1 : end;
	}
	return false;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n || (n > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void ctl_print_json(const char *body)
{
	const char *line = body, *p, *eq, *end;
	const char *nl = safectl_pretty ? "\n  " : "";
	char value[256];
	int records = 0, fields;

	putchar('[');
	for (; *line; line = *p ? p + 1 : p) {
		p = line + strcspn(line, "\n");
		if (p == line)
			continue;
		printf("%s%s{", records++ ? "," : "", nl);
		fields = 0;
		for (const char *f = line; f < p; f = end + (*end == ' ')) {
			end = f + strcspn(f, " \n");
			eq = memchr(f, '=', (size_t)(end - f));
			if (!eq)
				continue;
			printf("%s\"%.*s\":", fields++ ? "," : "", (int)(eq - f), f);
			if (all_digits(eq + 1, (size_t)(end - eq - 1))) {
				printf("%.*s", (int)(end - eq - 1), eq + 1);
			} else {
				snprintf(value, sizeof(value), "%.*s", (int)(end - eq - 1), eq + 1);
				json_quote(stdout, value);
			}
		}
		putchar('}');
	}
	printf("%s]\n", records && safectl_pretty ? "\n" : "");
}

void ctl_format_time(const char *seconds, char *buf, size_t size)
{
	time_t t = (time_t)strtoll(seconds, NULL, 10);
	struct tm tm;

	if (!t || !localtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, size, "-");
}
