// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's authorisation: the pure decision over a matrix of
 * uids, primary and supplementary groups and configs; the kernel's
 * credentials for a socketpair peer (ourselves); and, when run as root, real
 * clients that dropped to uid nobody with and without the view group,
 * talking to ctl_serve() over a listening socket, with the audit lines it
 * writes (and those it must not).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/safelined/audit.h"
#include "agent/safelined/auth.h"
#include "agent/safelined/ctlsock.h"
#include "tests/unit/ktap.h"

static struct ktap k;

#define ADMIN_GID 4001
#define VIEW_GID 4002
#define OTHER_GID 4003

struct matrix_case {
	const char *who;
	uid_t uid;
	gid_t gid;
	gid_t groups[3];
	size_t n_groups;
	bool admin_set, view_set;
	enum ctl_access want;
};

static const struct matrix_case cases[] = {
	{ "root, no groups configured", 0, 0, {}, 0, false, false, CTL_ACCESS_ADMIN },
	{ "root in an unrelated group", 0, OTHER_GID, {}, 0, true, true, CTL_ACCESS_ADMIN },
	{ "user, no groups configured", 1000, 1000, {}, 0, false, false, CTL_ACCESS_NONE },
	{ "user, unrelated groups", 1000, 1000, { OTHER_GID }, 1, true, true, CTL_ACCESS_NONE },
	{ "user, admin as primary group", 1000, ADMIN_GID, {}, 0, true, true, CTL_ACCESS_ADMIN },
	{ "user, admin as supplementary", 1000, 1000, { OTHER_GID, ADMIN_GID }, 2, true, true,
	  CTL_ACCESS_ADMIN },
	{ "user, view as primary group", 1000, VIEW_GID, {}, 0, true, true, CTL_ACCESS_VIEW },
	{ "user, view as supplementary", 1000, 1000, { VIEW_GID }, 1, true, true, CTL_ACCESS_VIEW },
	{ "user in both groups", 1000, 1000, { VIEW_GID, ADMIN_GID }, 2, true, true,
	  CTL_ACCESS_ADMIN },
	{ "user in admin gid, admin not configured", 1000, 1000, { ADMIN_GID }, 1, false, true,
	  CTL_ACCESS_NONE },
	{ "user in view gid, view not configured", 1000, 1000, { VIEW_GID }, 1, true, false,
	  CTL_ACCESS_NONE },
	{ "nobody, gid 0 as a supplementary group", 65534, 65534, { 0 }, 1, true, true,
	  CTL_ACCESS_NONE },
};

/* written out, not derived: which access level may do which action */
static const bool allowed[3][CTL_ACTIONS] = {
	[CTL_ACCESS_NONE] = { false, false, false, false, false, false },
	[CTL_ACCESS_VIEW] = { [CTL_ACTION_STATUS] = true, [CTL_ACTION_CHANNELS] = true,
			      [CTL_ACTION_REPORT] = true },
	[CTL_ACCESS_ADMIN] = { true, true, true, true, true, true },
};

static void matrix(void)
{
	size_t i;
	int a;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct matrix_case *c = &cases[i];
		struct conf_group admin = { c->admin_set, ADMIN_GID }, view = { c->view_set, VIEW_GID };
		struct peer_cred p = { .uid = c->uid, .gid = c->gid, .n_groups = c->n_groups };
		enum ctl_access got;
		int wrong = 0;

		memcpy(p.groups, c->groups, sizeof(c->groups));
		got = auth_access(&p, &admin, &view);
		for (a = 0; a < CTL_ACTIONS; a++)
			wrong += auth_allows(got, (enum ctl_action)a) != allowed[c->want][a];
		ktap_ok(&k, got == c->want && wrong == 0, "%s: access %d, %d of %d actions wrong",
			c->who, got, wrong, CTL_ACTIONS);
	}
	ktap_ok(&k, !auth_allows(CTL_ACCESS_ADMIN, CTL_ACTIONS) &&
		!auth_allows(CTL_ACCESS_ADMIN, (enum ctl_action)-1),
		"an action outside the table is refused even to admins");
}

static void socketpair_cred(void)
{
	struct peer_cred p;
	gid_t groups[AUTH_MAX_GROUPS];
	int sv[2], n, r, same = 1;
	size_t i;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		ktap_ok(&k, 0, "socketpair: %s", strerror(errno));
		return;
	}
	r = auth_peer_cred(sv[0], &p);
	n = getgroups(AUTH_MAX_GROUPS, groups);
	for (i = 0; n >= 0 && i < (size_t)n; i++)
		same &= i < p.n_groups && p.groups[i] == groups[i];
	ktap_ok(&k, r == 0 && p.uid == getuid() && p.gid == getgid() && p.pid == getpid() &&
		same && p.n_groups == (size_t)n,
		"SO_PEERCRED/SO_PEERGROUPS of a socketpair are ours (uid, gid, %d groups)", n);
	close(sv[0]);
	close(sv[1]);
}

/* the handler behind the socket in these tests: answers with one record */
static int handler(void *data, enum ctl_action action, const char *arg, FILE *out, char *err,
		   size_t errsize)
{
	int *calls = data;

	(*calls)++;
	fprintf(out, "action=%s\n", ctl_action_name(action));
	return 0;
}

/* In a child: become uid nobody with the given groups, ask, compare. */
static int client(const char *path, bool as_nobody, const gid_t *groups, size_t n,
		  const char *request, const char *want_prefix)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char reply[512];
	ssize_t len = 0, got;
	int fd;

	if (as_nobody && (setgroups(n, groups) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		return 2;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return 3;
	if (write(fd, request, strlen(request)) < 0 || write(fd, "\n", 1) != 1)
		return 4;
	shutdown(fd, SHUT_WR);
	while ((got = read(fd, reply + len, sizeof(reply) - 1 - (size_t)len)) > 0)
		len += got;
	reply[len > 0 ? len : 0] = '\0';
	return strncmp(reply, want_prefix, strlen(want_prefix)) == 0 ? 0 : 1;
}

/* forks a client and serves its one connection; the client's exit code */
static int exchange(int lfd, const char *path, const struct safeline_conf *conf, bool as_nobody,
		    const gid_t *groups, size_t n, const char *request, const char *want,
		    int *handled)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	int ws = 0, cfd;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(client(path, as_nobody, groups, n, request, want));
	if (poll(&pfd, 1, 3000) == 1 && (cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		ctl_serve(cfd, conf, handler, handled);
		close(cfd);
	}
	waitpid(pid, &ws, 0);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static void read_all(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void real_peers(void)
{
	static const gid_t view_only[] = { VIEW_GID }, unrelated[] = { OTHER_GID };
	char dir[] = "/tmp/safeline-ctl-XXXXXX", path[64], log[4096], request[64], digits[16];
	struct safeline_conf conf;
	int lfd, logfd, saved, handled = 0, rc[6];
	size_t i;

	if (geteuid() != 0) {
		ktap_skip(&k, "not root: cannot become another uid", "real peers over the socket");
		return;
	}
	conf_init(&conf);
	conf.admin = (struct conf_group){ true, ADMIN_GID };
	conf.view = (struct conf_group){ true, VIEW_GID };
	if (!mkdtemp(dir) || chmod(dir, 0755) < 0)
		return;
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	lfd = ctl_listen(path);

	/* a random digit string as a request argument: it must not reach the audit */
	getrandom(digits, sizeof(digits) - 1, 0);
	for (i = 0; i < sizeof(digits) - 1; i++)
		digits[i] = (char)('0' + (unsigned char)digits[i] % 10);
	digits[sizeof(digits) - 1] = '\0';
	snprintf(request, sizeof(request), "wipe %s", digits);

	logfd = memfd_create("audit", 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(logfd, STDERR_FILENO);
	rc[0] = exchange(lfd, path, &conf, true, view_only, 1, "status", "ok\naction=status", &handled);
	rc[1] = exchange(lfd, path, &conf, true, view_only, 1, "calls", "error permission denied",
			 &handled);
	rc[2] = exchange(lfd, path, &conf, true, unrelated, 1, "status", "error permission denied",
			 &handled);
	rc[3] = exchange(lfd, path, &conf, false, NULL, 0, request, "ok\naction=wipe", &handled);
	rc[4] = exchange(lfd, path, &conf, true, view_only, 1, "frobnicate", "error unknown request",
			 &handled);
	rc[5] = exchange(lfd, path, &conf, true, unrelated, 1, request, "error permission denied",
			 &handled);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	read_all(logfd, log, sizeof(log));
	close(logfd);

	ktap_ok(&k, lfd >= 0, "the control socket listens");
	ktap_ok(&k, rc[0] == 0, "uid nobody in the view group may read status (%d)", rc[0]);
	ktap_ok(&k, rc[1] == 0, "uid nobody in the view group may not list calls (%d)", rc[1]);
	ktap_ok(&k, rc[2] == 0, "uid nobody in no configured group is refused status (%d)", rc[2]);
	ktap_ok(&k, rc[3] == 0, "root may wipe (%d)", rc[3]);
	ktap_ok(&k, rc[4] == 0, "an unknown request is an error (%d)", rc[4]);
	ktap_ok(&k, rc[5] == 0, "uid nobody in no group may not wipe (%d)", rc[5]);
	ktap_ok(&k, handled == 2, "the handler ran only for the two allowed requests (%d)", handled);
	ktap_ok(&k, strstr(log, "audit: uid=65534 action=calls result=refused\n") &&
		strstr(log, "audit: uid=0 action=wipe result=ok\n") &&
		strstr(log, "audit: uid=65534 action=wipe result=refused\n") &&
		strstr(log, "audit: uid=65534 action=status result=refused\n"),
		"refusals and the admin action are audited with uid, action and result");
	ktap_ok(&k, !strstr(log, "action=status result=ok"),
		"a view-level read is not audited (nothing changed, no call data)");
	ktap_ok(&k, !strstr(log, digits) && strlen(log) > 0,
		"the request's argument appears nowhere in %zu bytes of audit log", strlen(log));
	close(lfd);
	unlink(path);
	rmdir(dir);
}

static void audit_format_check(void)
{
	char line[128];

	audit_format(line, sizeof(line), 1234, CTL_ACTION_RELOAD, "failed");
	ktap_ok(&k, strcmp(line, "audit: uid=1234 action=reload result=failed") == 0,
		"the audit line holds uid, action and result only");
}

int main(void)
{
	ktap_plan(&k, (int)(sizeof(cases) / sizeof(cases[0])) + 1 + 1 + 11 + 1);
	matrix();
	socketpair_cred();
	real_peers();
	audit_format_check();
	return ktap_exit(&k);
}
