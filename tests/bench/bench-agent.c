// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, the agent's part (not a test): how fast call events go from a
 * netlink socket into the store, how much memory safelined needs with 100 k
 * rows, and how long wiping them takes. Prints a Markdown table for
 * docs/agent.md.
 *
 * Events: a generator process sends each event as its own datagram (as
 * safeline.ko multicasts one message per event), built like the kernel's,
 * from its own AF_NETLINK socket to ours by port id (root only; otherwise an
 * AF_UNIX datagram socketpair, said so in the output). We read them with
 * safelined's own read loop (event-rx.c, its kernel-sender check off: our
 * sender is a process) after poll(), and run the same code behind it:
 * event-parse.c, calls.c and store_record_event() into a store on
 * /dev/shm. A blocking sender is held back when our receive buffer is full,
 * so the rate is the sustained one, with no loss. Not measured: the
 * module's own queueing and multicast, and sd-event's dispatch.
 *
 * Memory and wipe: safelined itself (build/safelined) started on the store
 * the first part filled, its VmRSS read from /proc idle and after serving
 * every row once ("calls"), and the time of a "wipe all" request round trip.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/safelined/calls.h"
#include "agent/safelined/event-rx.h"
#include "agent/safelined/store.h"
#include "agent/shared/util.h"
#include "tests/unit/nlbuild.h"

#define FAM 0x20
#define CHANNELS 46
#define EVENTS_PER_CALL 5

static long n_calls = 100000;
static struct store *store;
static struct calls *assembler;
static struct nlbuf msg;
static long events_in, overruns;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int to_store(const struct call_event *ev, void *data)
{
	return store_record_event(store, ev);
}

static void on_event(const struct kernel_event *ev, void *data)
{
	events_in++;
	event_rx_feed_calls(assembler, ev);
}

static void on_overrun(void *data)
{
	overruns++;	/* a blocking sender never overruns us: this would be a lost event */
}

/* the generator: ring, spill, ring end, answer, hangup per call, channels round robin */
static void generate(int fd, const struct sockaddr *to, socklen_t tolen)
{
	uint64_t seq = 0, t = (uint64_t)clock_ns(CLOCK_BOOTTIME);
	long i;
	int e;

	for (i = 0; i < n_calls; i++) {
		uint32_t c = 25 + (uint32_t)(i % CHANNELS);

		for (e = 0; e < EVENTS_PER_CALL; e++) {
			msg.len = 0;
			t += 1000;
			if (e == 1)
				nl_spill(&msg, FAM, ++seq, t, c, SAFELINE_SPILL_FSK_MESSAGE, 1);
			else
				nl_event(&msg, FAM, (uint8_t[]){ SAFELINE_EVENT_RING_BEGIN, 0,
					 SAFELINE_EVENT_RING_END, SAFELINE_EVENT_ANSWER,
					 SAFELINE_EVENT_HANGUP }[e], ++seq, t, c);
			if (sendto(fd, msg.b, msg.len, 0, to, tolen) != (ssize_t)msg.len) {
				perror("bench-agent: generator send");
				_exit(1);
			}
		}
	}
	_exit(0);
}

/* two connected datagram endpoints: AF_NETLINK by port id when allowed */
static const char *open_pair(int *rx, int *tx, struct sockaddr_storage *to, socklen_t *tolen)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(a);
	int sv[2];

	*rx = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	*tx = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (*rx >= 0 && *tx >= 0 && bind(*rx, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(*rx, (struct sockaddr *)&a, &alen) == 0) {
		/* user-to-user netlink unicast needs CAP_NET_ADMIN: try one message */
		memcpy(to, &a, sizeof(a));
		*tolen = sizeof(a);
		msg.len = 0;
		nl_ctrl(&msg, CTRL_CMD_NEWOPS, "bench");
		if (sendto(*tx, msg.b, msg.len, 0, (struct sockaddr *)to, *tolen) > 0 &&
		    recv(*rx, msg.b, sizeof(msg.b), 0) > 0)
			return "AF_NETLINK (NETLINK_GENERIC, port to port)";
	}
	if (*rx >= 0)
		close(*rx);
	if (*tx >= 0)
		close(*tx);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return NULL;
	*rx = sv[0];
	*tx = sv[1];
	*tolen = 0;
	return "AF_UNIX datagram socketpair (AF_NETLINK unicast needs root)";
}

static int events_part(const char *dir, double *rate, const char **how, size_t *rows)
{
	struct store_options o = { .resolution_s = 60, .aggregate_days = 31 };
	struct event_sink sink = { .family = FAM, .event = on_event };
	struct event_rx loop = { .sink = &sink, .overrun = on_overrun, .any_sender = true };
	struct sockaddr_storage to;
	struct store_counts cnt;
	socklen_t tolen;
	int rx, tx, size = 4 << 20, status;
	long want = n_calls * EVENTS_PER_CALL;
	double t0 = 0;
	pid_t pid;

	if (store_open(&store, dir, &o) < 0 || calls_new(&assembler, to_store, NULL) < 0)
		return -1;
	*how = open_pair(&rx, &tx, &to, &tolen);
	if (!*how)
		return -1;
	if (setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	pid = fork();
	if (pid == 0) {
		close(rx);
		generate(tx, tolen ? (struct sockaddr *)&to : NULL, tolen);
	}
	close(tx);
	/* as sd-event runs safelined's loop: wait for input, then read what is queued */
	while (events_in < want && !overruns) {
		struct pollfd p = { .fd = rx, .events = POLLIN };
		int r;

		if (poll(&p, 1, -1) < 0) {
			perror("bench-agent: poll");
			return -1;
		}
		if (!t0)
			t0 = now_s();
		r = event_rx_read(&loop, rx, 256);
		if (r < 0) {
			errno = -r;
			perror("bench-agent: recvfrom");
			return -1;
		}
	}
	*rate = (double)(want - 1) / (now_s() - t0);
	waitpid(pid, &status, 0);
	close(rx);
	if (store_count(store, &cnt) < 0 || sink.malformed || overruns || loop.foreign ||
	    calls_stats(assembler)->rejected)
		return -1;
	*rows = cnt.rows;
	calls_free(assembler);
	store_close(store);
	return 0;
}

static long proc_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* one control request; returns the reply's line count, -1 on failure */
static long request(const char *sock, const char *line)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[65536];
	long lines = 0;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

static int daemon_part(const char *dir, const char *store_dir, long *idle, long *served,
		       double *wipe_ms)
{
	char conf[300], sock[300];
	double t;
	pid_t pid;
	FILE *f;
	int i;

	snprintf(conf, sizeof(conf), "%s/safeline.conf", dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	f = fopen(conf, "we");
	if (!f)
		return -1;
	fprintf(f, "store = { path = \"%s\"; };\ncontrol = { socket = \"%s\"; };\n", store_dir,
		sock);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		execl(SAFELINED_PATH, "safelined", "-c", conf, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && request(sock, "status\n") < 0; i++)
		usleep(50000);
	usleep(200000);
	*idle = proc_kib(pid, "VmRSS:");
	if (request(sock, "calls\n") < n_calls)
		*served = -1;
	else
		*served = proc_kib(pid, "VmHWM:");
	t = now_s();
	if (request(sock, "wipe all\n") < 0)
		*wipe_ms = -1;
	else
		*wipe_ms = (now_s() - t) * 1000;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return *idle > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char dir[] = "/dev/shm/safeline-bench-XXXXXX", store_dir[64], cmd[96];
	const char *how = "";
	double rate = 0, wipe_ms = 0;
	long idle = 0, served = 0;
	size_t rows = 0;
	int r;

	if (argc > 1)
		n_calls = atol(argv[1]);
	if (!mkdtemp(dir)) {
		perror("bench-agent: /dev/shm");
		return 1;
	}
	snprintf(store_dir, sizeof(store_dir), "%s/store", dir);
	r = events_part(store_dir, &rate, &how, &rows);
	if (r == 0)
		r = daemon_part(dir, store_dir, &idle, &served, &wipe_ms);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-agent: cannot remove %s\n", dir);
	if (r < 0) {
		fprintf(stderr, "bench-agent: failed\n");
		return 1;
	}
	printf("| measure (%ld calls, %ld events, %zu rows) | result | target |\n", n_calls,
	       n_calls * EVENTS_PER_CALL, rows);
	printf("|---|---:|---:|\n");
	printf("| events/s, socket -> parse -> assemble -> store (%s) | %.0f | >= 10,000 |\n",
	       how, rate);
	printf("| safelined VmRSS, idle, with %zu rows | %.1f MiB | <= 8 MiB |\n", rows,
	       idle / 1024.0);
	printf("| safelined VmHWM after serving every row (`calls`) | %.1f MiB | - |\n",
	       served / 1024.0);
	printf("| `wipe all` of %zu rows, request round trip | %.0f ms | <= 200 ms |\n", rows,
	       wipe_ms);
	return 0;
}
