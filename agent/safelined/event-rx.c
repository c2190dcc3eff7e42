// SPDX-License-Identifier: GPL-2.0
/* The events socket's read loop (event-rx.h). */
#include <errno.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "agent/safelined/event-rx.h"
#include "agent/shared/util.h"

#define RX_BUF 65536

int event_rx_read(struct event_rx *rx, int fd, int max)
{
	static uint8_t buf[RX_BUF] __attribute__((aligned(8)));
	int i;

	for (i = 0; i < max; i++) {
		struct sockaddr_nl sa;
		socklen_t salen = sizeof(sa);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sa,
				     &salen);

		if (n < 0 && errno == ENOBUFS) {
			rx->overrun(rx->data);
			continue;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (!rx->any_sender &&
		    (salen < sizeof(sa) || sa.nl_family != AF_NETLINK || sa.nl_pid != 0)) {
			rx->foreign++;	/* only the kernel speaks on this socket */
			continue;
		}
		event_parse_datagram(rx->sink, buf, (size_t)n);
	}
	return 0;
}

void event_rx_feed_calls(struct calls *calls, const struct kernel_event *ev)
{
	calls_feed(calls, ev, clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
}
