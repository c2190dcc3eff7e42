// SPDX-License-Identifier: GPL-2.0
/*
 * safectl monitor: joins safeline.ko's "events" multicast group and prints
 * each call event as it comes (ring, answer, hangup, polarity, spill,
 * verify) until interrupted, like `ip monitor`. Needs CAP_NET_ADMIN, which
 * the kernel asks of the group's members.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <netlink/genl/genl.h>
#include <linux/safeline.h>

#include "agent/safectl/monitor.h"
#include "agent/safectl/safectl.h"
#include "agent/shared/genl-event.h"
#include "agent/shared/genl.h"
#include "agent/shared/json.h"

static const char usage[] =
	"Usage: safectl [-j|--json] [-p|--pretty] monitor\n"
	"Print safeline.ko's call events as they happen, one line each: time, channel,\n"
	"span, role, policy, event (ring_begin, ring_end, polarity, answer, hangup,\n"
	"spill with its kind, muted or not and duration, verify with its result), until\n"
	"interrupted. -j prints one JSON object per line. Needs CAP_NET_ADMIN.\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* SIGINT and SIGTERM end the loop (recv() returns EINTR: no SA_RESTART) */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int64_t wall_minus_boot_ns(void)
{
	struct timespec wall, boot;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (wall.tv_sec - boot.tv_sec) * 1000000000LL + (wall.tv_nsec - boot.tv_nsec);
}

/* every event message of one datagram; others (not our family) are skipped */
static void print_datagram(struct safeline_genl *g, void *buf, size_t len, struct json_writer *w)
{
	struct safeline_event ev;
	struct nlmsghdr *nlh;
	int n = (int)len;

	for (nlh = buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type != g->family)
			continue;
		if (safeline_event_parse(nlh, &ev) < 0) {
			fprintf(stderr, "safectl: monitor: skipping a malformed event\n");
			continue;
		}
		monitor_print_event(&ev, w, stdout, wall_minus_boot_ns());
	}
	fflush(stdout);
}

static int listen_events(struct safeline_genl *g)
{
	static char buf[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd = nl_socket_get_fd(g->sock);
	struct json_writer w;
	ssize_t n;

	json_init(&w, stdout, safectl_pretty);
	catch_signals();
	while (!stop) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* our socket overflowed: events the kernel sent were lost here */
			fprintf(stderr, "safectl: monitor: receive buffer overrun, events lost\n");
			continue;
		}
		if (n < 0)
			return safectl_fail("monitor", NULL, "receiving: %s", strerror(errno));
		print_datagram(g, buf, (size_t)n, safectl_json ? &w : NULL);
	}
	return SAFECTL_EXIT_OK;
}

int cmd_monitor(int argc, char *argv[])
{
	struct safeline_genl g;
	int ret, r;

	if (!safectl_parse_bare(argc, argv, usage, &ret))
		return ret;
	/* the kernel refuses the join; say so before waiting for nothing */
	if (!safectl_net_admin())
		return safectl_fail("monitor", NULL, "joining the \"%s\" group needs "
				    "CAP_NET_ADMIN (run it as root)", SAFELINE_MCGRP_EVENTS);
	ret = safectl_open_family(&g, "monitor");
	if (ret)
		return ret;
	r = safeline_genl_join_events(&g);
	if (r == -EPERM || r == -EACCES)
		ret = safectl_fail("monitor", NULL, "joining the \"%s\" group needs CAP_NET_ADMIN "
				   "(run it as root)", SAFELINE_MCGRP_EVENTS);
	else if (r == -ENOENT)
		ret = safectl_fail("monitor", NULL, "the loaded module has no \"%s\" group "
				   "(it is older than call events)", SAFELINE_MCGRP_EVENTS);
	else if (r < 0)
		ret = safectl_fail("monitor", NULL, "joining the \"%s\" group: %s",
				   SAFELINE_MCGRP_EVENTS, strerror(-r));
	else
		ret = listen_events(&g);
	safeline_genl_close(&g);
	return ret;
}
