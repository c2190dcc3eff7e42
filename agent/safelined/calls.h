/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call assembler: turns safeline.ko's per-channel events into finished
 * calls (struct call_event) for the store. Pure: no clock, no I/O; the
 * caller gives each event with the CLOCK_REALTIME - CLOCK_BOOTTIME offset
 * it measured on receipt, and drives ring timeouts with calls_expire().
 *
 * Per channel:
 *   RING_BEGIN on an idle channel opens an incoming call (an FXO port rung
 *   by the line, or an FXS port ringing the staff phone); further ring
 *   bursts of the same call are ignored.
 *   ANSWER marks it answered; ANSWER on an idle channel opens an outgoing
 *   call (off-hook without ring).
 *   HANGUP closes an answered call; a ringing call no one answered closes as
 *   missed CALLS_RING_TIMEOUT_NS after its last ring burst ended.
 *   SPILL adds to the call's suppressed counts (muted spills only); a spill
 *   on an idle channel (caller ID sent before the first ring) is held for
 *   the call that opens within CALLS_RING_TIMEOUT_NS.
 * Events out of sequence or that make no sense for the channel are
 * rejected and counted; lost events (a sequence gap, DROPPED, a socket
 * overrun) mark every open call incomplete.
 */
#ifndef SAFELINED_CALLS_H
#define SAFELINED_CALLS_H

#include <stdint.h>

#include "agent/safelined/call-event.h"
#include "agent/safelined/event-parse.h"

#define CALLS_RING_TIMEOUT_NS (8ULL * 1000000000ULL)
/* a ring burst that never ends (its RING_END lost) gives up after this */
#define CALLS_RING_STUCK_NS (120ULL * 1000000000ULL)
/* channel numbers above this are garbage (DAHDI has 1024 at most) */
#define CALLS_MAX_CHANNO 4096

struct calls_stats {
	uint64_t events;	/* accepted */
	uint64_t rejected;	/* out of order, impossible, or garbage */
	uint64_t lost;		/* events the kernel or the socket lost, as far as known */
	uint64_t calls;		/* finished calls handed on */
	uint64_t incomplete;	/* of those, ones that may have missed events */
	uint64_t emit_failed;	/* the store refused */
};

struct calls;

/* Receives each finished call; a negative return is counted in emit_failed. */
typedef int (*calls_emit_fn)(const struct call_event *call, void *data);

int calls_new(struct calls **ret, calls_emit_fn emit, void *data);
void calls_free(struct calls *c);

/*
 * One event. wall_offset_ns: CLOCK_REALTIME minus CLOCK_BOOTTIME when it was
 * received. 0: used (or harmlessly ignored); -EINVAL: rejected.
 */
int calls_feed(struct calls *c, const struct kernel_event *ev, int64_t wall_offset_ns);

/* n events were lost somewhere (n may be 0: unknown): open calls become incomplete. */
void calls_lost(struct calls *c, uint64_t n);

/*
 * Closes the calls whose time is up at now_ns (CLOCK_BOOTTIME). Returns the
 * next deadline (CLOCK_BOOTTIME ns) or 0 when no call is waiting for one.
 */
uint64_t calls_expire(struct calls *c, uint64_t now_ns);

/*
 * The module went away or restarted: closes every open call as incomplete
 * at now_ns and forgets the sequence, so the new module's SEQ 1 is welcome.
 */
void calls_reset(struct calls *c, uint64_t now_ns, int64_t wall_offset_ns);

/*
 * After events were lost: the channel's hook as the module reports it now
 * (enum safeline_hook) settles what the lost events would have. An
 * answered call whose channel is on-hook ends at now_ns; a ringing call
 * whose channel is off-hook was answered (at now_ns, as far as we know).
 * Both stay marked incomplete.
 */
void calls_resync(struct calls *c, uint32_t channo, uint8_t hook, uint64_t now_ns,
		  int64_t wall_offset_ns);

/* Open calls right now. */
size_t calls_open(const struct calls *c);
const struct calls_stats *calls_stats(const struct calls *c);

#endif
