// SPDX-License-Identifier: GPL-2.0
/*
 * safelined and safectl together, without the kernel module: config checks
 * and refusals at startup (nothing created), a store filled beforehand and
 * read back through `safectl calls` and `report`, the authorisation of real
 * users, reloads (SIGHUP and `safectl reload`) that keep the running config
 * when the new one is bad, `safectl wipe --all`, wipe on stop, and the agent
 * section of `safectl status` (running, refused, not running).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/safelined/store.h"
#include "tests/unit/ktap.h"

#ifndef SAFELINED_PATH
#define SAFELINED_PATH "safelined"
#endif
#ifndef SAFECTL_PATH
#define SAFECTL_PATH "safectl"
#endif

#define VIEW_GID 4242
#define N_ROWS 20

static struct ktap k;
static char dir[] = "/tmp/safeline-daemon-XXXXXX";
static char shm[] = "/dev/shm/safeline-daemon-XXXXXX";
static char conf_path[128], bad_path[128], store_path[128], sock_path[128];

struct run {
	int status;
	char out[16384], err[4096];
};

static void slurp(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

enum who { ROOT, NOBODY_VIEW, NOBODY };

static void become(enum who who)
{
	static const gid_t view[] = { VIEW_GID };

	if (who == ROOT)
		return;
	if (setgroups(who == NOBODY_VIEW ? 1 : 0, view) < 0 || setgid(65534) < 0 ||
	    setuid(65534) < 0)
		_exit(126);
}

static void run(struct run *r, enum who who, const char *const argv[])
{
	int out = memfd_create("out", 0), err = memfd_create("err", 0), ws;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		setenv("SAFELINE_SOCKET", sock_path, 1);
		become(who);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	r->status = -1;
	if (pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws))
		r->status = WEXITSTATUS(ws);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

#define SAFECTL(r, who, ...) run(r, who, (const char *const[]){ SAFECTL_PATH, __VA_ARGS__, NULL })
#define SAFELINED(r, ...) run(r, ROOT, (const char *const[]){ SAFELINED_PATH, __VA_ARGS__, NULL })

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void write_conf(const char *path, const char *max_age, bool on_stop, const char *store)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "store = { path = \"%s\"; };\n"
		 "control = { socket = \"%s\"; };\n"
		 "access = { view = %d; };\n"
		 "wipe = { at = [ \"03:00\" ]; max_age = \"%s\"; on_stop = %s; };\n",
		 store, sock_path, VIEW_GID, max_age, on_stop ? "true" : "false");
	put(path, text);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static pid_t start_daemon(int errfd)
{
	pid_t pid;
	int i;

	unlink(sock_path);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(errfd, STDERR_FILENO);
		execl(SAFELINED_PATH, SAFELINED_PATH, "-c", conf_path, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 300 && !exists(sock_path); i++)
		usleep(10000);
	return pid;
}

static int stop_daemon(pid_t pid)
{
	int ws = 0;

	kill(pid, SIGTERM);
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws))
		return -1;
	return WEXITSTATUS(ws);
}

/* the agent's raw "status" record, for what safectl does not show */
static void agent_status(char *buf, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	ssize_t n, len = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	buf[0] = '\0';
	strcpy(sa.sun_path, sock_path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && write(fd, "status\n", 7) == 7)
		while ((n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
			len += n;
	buf[len > 0 ? len : 0] = '\0';
	close(fd);
}

/* polls the agent's status for want (a reload is asynchronous to SIGHUP) */
static bool status_has(const char *want)
{
	char buf[1024];
	int i;

	for (i = 0; i < 100; i++) {
		agent_status(buf, sizeof(buf));
		if (strstr(buf, want))
			return true;
		usleep(20000);
	}
	return false;
}

static int fill_store(int n)
{
	const struct store_options o = { .resolution_s = 60, .aggregate_days = 31 };
	struct store *s = NULL;
	time_t now = time(NULL);
	int i, r = store_open(&s, store_path, &o);

	for (i = 0; i < n && r == 0; i++) {
		struct call_event ev = {
			.channo = 1 + (uint32_t)(i % 4), .direction = CALL_DIRECTION_INCOMING,
			.ring_s = now - 300 - i, .answer_s = i % 2 ? now - 290 - i : 0,
			.end_s = now - 100 - i,
		};

		r = store_record_event(s, &ev);
	}
	store_close(s);
	return r;
}

static size_t digits_in_store(size_t *bytes)
{
	char path[512], buf[4096];
	struct dirent *de;
	size_t digits = 0;
	ssize_t n, i;
	DIR *d = opendir(store_path);
	int fd;

	*bytes = 0;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", store_path, de->d_name);
		fd = open(path, O_RDONLY);
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			for (i = 0; i < n; i++, (*bytes)++)
				digits += buf[i] >= '0' && buf[i] <= '9';
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
	return digits;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * safectl status prints the module section and the agent section; its exit
 * status is the worse of the two. Without the module here the module part
 * exits 1, so the agent part is judged by what it prints and by exit status
 * equal to the module part's alone. -1 when status must not run: asking for
 * the family would load an installed safeline.ko.
 */
static int status_module_exit(void)
{
	if (access("/sys/module/safeline", F_OK) == 0)
		return 0;
	if (system("modprobe -n -q net-pf-16-proto-16-family-safeline 2>/dev/null") == 0)
		return -1;
	return 1;
}

#define N_STATUS_CHECKS 5
#define REFUSED "safectl: status: agent: permission denied\n"

static void status_no_agent(int module_exit, const char *desc)
{
	struct run r;

	if (module_exit < 0) {
		ktap_skip(&k, "safeline.ko is installed: status would load it", "%s", desc);
		return;
	}
	SAFECTL(&r, NOBODY, "status");
	ktap_ok(&k, r.status == module_exit && strstr(r.out, "agent: not running\n") &&
		!strstr(r.err, "agent"), "%s (exit %d)", desc, r.status);
}

static void status_with_agent(int module_exit)
{
	struct run r;

	if (module_exit < 0) {
		for (int i = 0; i < 3; i++)
			ktap_skip(&k, "safeline.ko is installed: status would load it",
				  "status with the agent (%d of 3)", i + 1);
		return;
	}
	SAFECTL(&r, ROOT, "status");
	ktap_ok(&k, r.status == module_exit && strstr(r.out, "agent: running\n") &&
		strstr(r.out, "agent call records: 20\n") && !strstr(r.err, "agent"),
		"status as root: the agent section with its 20 records (exit %d)", r.status);
	SAFECTL(&r, NOBODY_VIEW, "-j", "status");
	ktap_ok(&k, r.status == module_exit && strstr(r.out, "\"agent\":{\"running\":true,") &&
		strstr(r.out, "\"rows\":20,") && strstr(r.out, "\"wipe_on_stop\":false,") &&
		strstr(r.out, "\"events_subscribed\":false,") && strstr(r.out, "\"events_lost\":0,") &&
		!strstr(r.err, "agent"),
		"-j status for the view group: an agent object with rows 20, event counts (exit %d)", r.status);
	SAFECTL(&r, NOBODY, "status");
	ktap_ok(&k, r.status == 1 && strstr(r.err, REFUSED) && !strstr(r.out, "agent"),
		"status for a user in no group: exit 1, agent: permission denied, no agent lines");
}

/* a socket file nobody listens on, as a killed agent leaves it: ECONNREFUSED */
static void leave_stale_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, sock_path);
	unlink(sock_path);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		chmod(sock_path, 0666);
	if (fd >= 0)
		close(fd);
}

static void startup_checks(void)
{
	char want[200], other[] = "/var/tmp/safeline-daemon-XXXXXX", sub[100];
	struct run r;

	SAFELINED(&r, "--check-config", "-c", conf_path);
	ktap_ok(&k, r.status == 0, "--check-config accepts a good config (control)");
	SAFELINED(&r, "--check-config", "-c", bad_path);
	snprintf(want, sizeof(want), "%s:2:", bad_path);
	ktap_ok(&k, r.status == 1 && strstr(r.err, want),
		"--check-config refuses a bad one, naming file:line (exit %d)", r.status);
	SAFELINED(&r, "-c", bad_path);
	ktap_ok(&k, r.status == 1 && strstr(r.err, want) && !exists(store_path) &&
		!exists(sock_path),
		"started with a bad config: exit 1, file:line, no store, no socket");
	SAFELINED(&r, "-c", "/nonexistent/safeline.conf");
	ktap_ok(&k, r.status == 1, "an explicitly named missing config is an error");

	if (mkdtemp(other)) {
		char c2[160];

		snprintf(sub, sizeof(sub), "%s/store", other);
		snprintf(c2, sizeof(c2), "%s/disk.conf", dir);
		write_conf(c2, "1h", false, sub);
		SAFELINED(&r, "-c", c2);
		ktap_ok(&k, r.status == 1 && strstr(r.err, "not on tmpfs") && !exists(sock_path),
			"a store path off tmpfs: refused at startup (exit %d)", r.status);
		rmdir(sub);
		rmdir(other);
	}
}

static void with_daemon(void)
{
	struct run r;
	size_t bytes;
	char want[200];
	int errfd = memfd_create("daemon-err", 0), rc;
	pid_t pid;

	int module_exit = status_module_exit();

	status_no_agent(module_exit, "status with no agent (no socket): agent: not running");
	rc = fill_store(N_ROWS);
	pid = start_daemon(errfd);
	ktap_ok(&k, rc == 0 && exists(sock_path), "safelined starts without the module, socket up");

	SAFECTL(&r, ROOT, "calls");
	ktap_ok(&k, r.status == 0 && count_lines(r.out) == N_ROWS + 1,
		"safectl calls lists the %d stored calls (%d lines)", N_ROWS, count_lines(r.out));
	SAFECTL(&r, ROOT, "-j", "report");
	ktap_ok(&k, r.status == 0 && strstr(r.out, "\"calls\":20,\"answered\":10,\"missed\":10"),
		"safectl -j report: 20 calls, 10 answered, 10 missed");
	SAFECTL(&r, NOBODY_VIEW, "report");
	ktap_ok(&k, r.status == 0 && count_lines(r.out) >= 2, "the view group may read the report");
	SAFECTL(&r, NOBODY_VIEW, "calls");
	ktap_ok(&k, r.status == 1 && strstr(r.err, "permission denied"),
		"the view group may not list calls (exit %d)", r.status);
	SAFECTL(&r, NOBODY, "report");
	ktap_ok(&k, r.status == 1 && strstr(r.err, "permission denied"),
		"a user in no configured group is refused the report (exit %d)", r.status);
	status_with_agent(module_exit);

	ktap_ok(&k, status_has("max_age_s=3600 "), "baseline: running with max age 1h");
	rename(conf_path, "/tmp/safeline-daemon-good.tmp");
	rename(bad_path, conf_path);
	kill(pid, SIGHUP);
	usleep(200000);
	ktap_ok(&k, status_has("max_age_s=3600 ") && kill(pid, 0) == 0,
		"SIGHUP with a bad config: still running, old config kept");
	SAFECTL(&r, ROOT, "reload");
	snprintf(want, sizeof(want), "%s:2:", conf_path);
	ktap_ok(&k, r.status == 1 && strstr(r.err, want),
		"safectl reload with a bad config: exit 1 naming file:line");
	rename(conf_path, bad_path);
	write_conf(conf_path, "2h", true, store_path);
	kill(pid, SIGHUP);
	ktap_ok(&k, status_has("max_age_s=7200 "), "control: SIGHUP with a good config applies it");

	SAFECTL(&r, NOBODY_VIEW, "wipe", "--all");
	ktap_ok(&k, r.status == 1, "the view group may not wipe");
	SAFECTL(&r, ROOT, "wipe", "--all");
	ktap_ok(&k, r.status == 0 && strstr(r.out, "call records wiped: 20"),
		"safectl wipe --all wipes the 20 records");
	SAFECTL(&r, ROOT, "calls");
	ktap_ok(&k, r.status == 0 && count_lines(r.out) == 1 && digits_in_store(&bytes) == 0 &&
		bytes == 0, "afterwards no call is listed and the store holds no byte");

	rc = stop_daemon(pid);
	ktap_ok(&k, rc == 0, "SIGTERM: exit 0");
	slurp(dup(errfd), r.err, sizeof(r.err));
	ktap_ok(&k, strstr(r.err, "audit: uid=0 action=wipe result=ok") &&
		strstr(r.err, "audit: uid=65534 action=calls result=refused"),
		"the admin action and the refusals were audited");

	/* wipe on stop: rows stored while it was down, then a start and a stop */
	rc = fill_store(5);
	pid = start_daemon(errfd);
	SAFECTL(&r, ROOT, "calls");
	ktap_ok(&k, rc == 0 && count_lines(r.out) == 6, "baseline: 5 calls stored before a start");
	rc = stop_daemon(pid);
	digits_in_store(&bytes);
	ktap_ok(&k, rc == 0 && bytes == 0, "wipe.on_stop: nothing left after SIGTERM");
	close(errfd);
	leave_stale_socket();
	status_no_agent(module_exit, "status with a stale socket (refused): agent: not running");
	unlink(sock_path);
}

int main(void)
{
	if (geteuid() != 0) {
		ktap_plan(&k, 1);
		ktap_skip(&k, "needs root to act as other users", "safelined with safectl");
		return ktap_exit(&k);
	}
	if (!mkdtemp(dir) || !mkdtemp(shm) || chmod(dir, 0755) < 0)
		return 1;
	snprintf(conf_path, sizeof(conf_path), "%s/safeline.conf", dir);
	snprintf(bad_path, sizeof(bad_path), "%s/bad.conf", dir);
	snprintf(store_path, sizeof(store_path), "%s/store", shm);
	snprintf(sock_path, sizeof(sock_path), "%s/ctl.sock", dir);
	write_conf(conf_path, "1h", false, store_path);
	put(bad_path, "store = { path = \"/dev/shm/x\"; };\nwipe = { max_age = \"soon\"; };\n");

	ktap_plan(&k, 5 + 17 + N_STATUS_CHECKS);
	startup_checks();
	with_daemon();

	unlink(conf_path);
	unlink(bad_path);
	unlink("/tmp/safeline-daemon-good.tmp");
	{
		char p[200];

		snprintf(p, sizeof(p), "%s/disk.conf", dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/calls", store_path);
		unlink(p);
		snprintf(p, sizeof(p), "%s/daily", store_path);
		unlink(p);
	}
	rmdir(store_path);
	rmdir(shm);
	rmdir(dir);
	return ktap_exit(&k);
}
