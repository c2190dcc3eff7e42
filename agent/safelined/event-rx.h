/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events socket's read loop, apart from the manager, so that the
 * benchmark runs it as it ships: each datagram from the kernel goes to the
 * parser (event-parse.c), an overrun to the caller, anything else is counted
 * and dropped.
 */
#ifndef SAFELINED_EVENT_RX_H
#define SAFELINED_EVENT_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/safelined/calls.h"
#include "agent/safelined/event-parse.h"

struct event_rx {
	struct event_sink *sink;
	void (*overrun)(void *data);	/* ENOBUFS: the kernel threw datagrams away */
	void *data;
	bool any_sender;		/* the benchmark's generator is a process, not the kernel */
	uint64_t foreign;		/* datagrams not from the kernel, dropped */
};

/*
 * Reads what is queued on fd, max datagrams at the most (the event loop's
 * other sources get their turn). 0 when it stopped at an empty socket or at
 * max; -errno when a read failed.
 */
int event_rx_read(struct event_rx *rx, int fd, int max);

/* Gives an event to the call assembler, with the wall clock's offset from CLOCK_BOOTTIME now. */
void event_rx_feed_calls(struct calls *calls, const struct kernel_event *ev);

#endif
