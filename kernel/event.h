/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call events (uapi: multicast group "events"): queued from the data path in
 * atomic context into a bounded ring, sent from process context (event.c).
 */
#ifndef _SAFELINE_EVENT_H
#define _SAFELINE_EVENT_H

#include <linux/types.h>

/* One event as the data path describes it; seq and time are stamped when queued. */
struct safeline_event {
	u8 type;		/* enum safeline_event_type */
	u8 role;		/* enum safeline_role */
	u8 policy;		/* enum safeline_policy */
	u8 spill_kind;		/* SPILL: enum safeline_spill_kind */
	u8 spill_muted;		/* SPILL: 1 muted, 0 detected only */
	u8 verify_result;	/* VERIFY: enum safeline_verify_result */
	u8 verify_standard;	/* VERIFY: enum safeline_verify_standard */
	u32 channo;
	u32 spanno;
	u32 duration_ms;	/* SPILL */
};

/*
 * Queue ev for the events group: any context, any CPU, no sleeping, bounded
 * work. A full ring drops it and counts the drop. Cheap when nobody listens.
 */
void safeline_event_queue(const struct safeline_event *ev);

/* Totals since load, for GET_STATUS. */
u64 safeline_event_sent(void);
u64 safeline_event_dropped(void);

int safeline_event_init(void);
/* After the data path stopped feeding it: flushes nothing, frees everything. */
void safeline_event_uninit(void);

#endif /* _SAFELINE_EVENT_H */
