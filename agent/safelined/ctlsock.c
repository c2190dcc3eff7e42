// SPDX-License-Identifier: GPL-2.0
/*
 * Control socket server. Anyone may connect (mode 0666): what they may do is
 * decided by SO_PEERCRED/SO_PEERGROUPS, which the kernel fills in and the
 * peer cannot forge. Requests are read with a timeout so a silent client
 * cannot hold the agent for long.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "agent/safelined/audit.h"
#include "agent/safelined/ctlsock.h"
#include "agent/shared/log.h"
#include "agent/shared/util.h"

#define IO_TIMEOUT_MS 1000

/* the socket systemd passed (safelined.socket), or -1: systemd owns its file */
static int inherited_fd = -1;

/*
 * The listening socket from socket activation, or -1 when there is none.
 * The socket unit's ListenStream= decides the path then: a different
 * control.socket is only worth a warning, since clients already connect there.
 */
static int ctl_inherited(const char *path)
{
	int n = sd_listen_fds(1), fd = SD_LISTEN_FDS_START, flags;

	if (n <= 0)
		return -1;
	if (n > 1 || sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
		log_warning("Ignoring %d passed file descriptors: want one listening stream socket",
			    n);
		return -1;
	}
	if (sd_is_socket_unix(fd, SOCK_STREAM, 1, path, 0) <= 0)
		log_warning("The passed control socket is not at %s: using it anyway", path);
	/* on_ctl() relies on accept4() never blocking; sd_listen_fds() set FD_CLOEXEC */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		log_warning_errno(-errno, "Cannot use the passed control socket: %m");
		return -1;
	}
	inherited_fd = fd;
	return fd;
}

bool ctl_is_inherited(int fd)
{
	return fd >= 0 && fd == inherited_fd;
}

int ctl_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r;

	fd = ctl_inherited(path);
	if (fd >= 0)
		return fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	/* replace a socket left by a previous run, never any other file */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0666) < 0 ||
	    listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_MS / 1000,
			      .tv_usec = (IO_TIMEOUT_MS % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* one line, up to '\n' or end of file; -EPROTO when too long */
static int read_request(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	char *nl;

	for (;;) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		buf[len += (size_t)n] = '\0';
		nl = strchr(buf, '\n');
		if (nl) {
			*nl = '\0';
			return 0;
		}
		if (n == 0)
			return len ? 0 : -EPROTO;
		if (len == size - 1)
			return -EPROTO;
	}
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int reply_error(int fd, const char *reason)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "error %s\n", reason);

	return write_all(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/*
 * Replies that grow with the store (every call row) go straight to the
 * socket after "ok": memory stays at a stdio buffer however many rows there
 * are. A failure half way shows as a cut-off list (and in the audit line).
 */
static int serve_streamed(int fd, const struct peer_cred *peer, enum ctl_action action,
			  const char *arg, ctl_handler_t handler, void *data)
{
	char err[512] = "";
	int dfd, r;
	FILE *out;

	r = write_all(fd, "ok\n", 3);
	if (r < 0)
		return r;
	dfd = dup(fd);
	out = dfd >= 0 ? fdopen(dfd, "w") : NULL;
	if (!out) {
		r = -errno;
		if (dfd >= 0)
			close(dfd);
	} else {
		r = handler(data, action, arg ? arg : "", out, err, sizeof(err));
		if (fclose(out) != 0 && r == 0)
			r = -errno;
	}
	audit_log(peer->uid, action, r < 0 ? "failed" : "ok");
	return r;
}

int ctl_serve(int fd, const struct safeline_conf *conf, ctl_handler_t handler, void *data)
{
	char request[CTL_MAX_REQUEST], err[512] = "", *arg, *body = NULL;
	struct peer_cred peer;
	enum ctl_access access;
	size_t body_len = 0;
	int action, r;
	FILE *out;

	/* accepted sockets are blocking (accept4 without SOCK_NONBLOCK), with timeouts */
	r = auth_peer_cred(fd, &peer);
	if (r < 0)
		return r;
	set_timeouts(fd);
	r = read_request(fd, request, sizeof(request));
	if (r < 0)
		return reply_error(fd, "bad request");
	arg = strchr(request, ' ');
	if (arg)
		*arg++ = '\0';
	action = ctl_action_from_name(request);
	if (action < 0)
		return reply_error(fd, "unknown request");
	access = auth_access(&peer, &conf->admin, &conf->view);
	if (!auth_allows(access, (enum ctl_action)action)) {
		audit_log(peer.uid, (enum ctl_action)action, "refused");
		return reply_error(fd, "permission denied");
	}
	if (action == CTL_ACTION_CALLS)
		return serve_streamed(fd, &peer, (enum ctl_action)action, arg, handler, data);
	out = open_memstream(&body, &body_len);
	if (!out)
		return reply_error(fd, "out of memory");
	r = handler(data, (enum ctl_action)action, arg ? arg : "", out, err, sizeof(err));
	fclose(out);
	if (auth_is_admin_action((enum ctl_action)action))
		audit_log(peer.uid, (enum ctl_action)action, r < 0 ? "failed" : "ok");
	if (r < 0)
		r = reply_error(fd, *err ? err : strerror(-r));
	else if ((r = write_all(fd, "ok\n", 3)) == 0)
		r = write_all(fd, body, body_len);
	free(body);
	return r;
}
