/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading what arrives on the events socket: SAFELINE_CMD_EVENT messages of
 * the "events" multicast group, and nlctrl's notifications that the
 * safeline family appeared or went away (module load and unload). Pure: it
 * takes bytes and gives structs, so the unit tests and the benchmark feed it
 * the same datagrams the kernel sends. Anything malformed is counted and
 * dropped whole; nothing of it reaches the caller.
 */
#ifndef SAFELINED_EVENT_PARSE_H
#define SAFELINED_EVENT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* one SAFELINE_CMD_EVENT, attributes as the uapi header defines them */
struct kernel_event {
	uint8_t type;		/* enum safeline_event_type; unknown (newer) types kept */
	uint64_t seq;
	uint64_t time_ns;	/* CLOCK_BOOTTIME */
	uint32_t channo, spanno;
	uint8_t role, policy;
	uint32_t dropped;	/* 0 when the attribute is absent */
	uint8_t spill_kind, spill_muted;	/* SPILL only */
	uint32_t duration_ms;			/* SPILL only */
};

struct event_sink {
	uint16_t family;	/* the safeline family's id: messages of that type are events */
	void (*event)(const struct kernel_event *ev, void *data);
	/* nlctrl: the safeline family was registered (true) or unregistered (false) */
	void (*family_change)(bool added, void *data);
	void *data;
	uint64_t malformed;	/* messages dropped as malformed */
};

/*
 * One message. 0: handled (given to a callback or not ours, e.g. another
 * family's notification); -EBADMSG: malformed, counted, nothing given.
 */
int event_parse_message(struct event_sink *s, const void *msg, size_t len);

/* Every message of a datagram; a truncated tail counts as one malformed message. */
void event_parse_datagram(struct event_sink *s, const void *buf, size_t len);

#endif
