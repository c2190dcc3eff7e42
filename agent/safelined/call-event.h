/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One finished call as the store receives it. calls.c assembles it from
 * safeline.ko's ring/answer/hangup/spill events (the "events" multicast
 * group) per channel and the Manager hands it to store_record_event().
 * There is deliberately no field that could hold a number or a name.
 */
#ifndef SAFELINED_CALL_EVENT_H
#define SAFELINED_CALL_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum call_direction {
	CALL_DIRECTION_UNKNOWN,
	CALL_DIRECTION_INCOMING,	/* rang in from the line */
	CALL_DIRECTION_OUTGOING,
};

/* what safeline.ko did during the call, by kind */
enum call_suppressed_kind {
	CALL_SUPPRESSED_FSK,		/* Bell 202 / V.23 spills muted */
	CALL_SUPPRESSED_DTMF,		/* DTMF CLIP spills muted */
	CALL_SUPPRESSED_ALERT,		/* dual alert tones (CAS / DT-AS) muted */
	CALL_SUPPRESSED_ONHOOK,		/* strict mode: on-hook receive audio muted */
	CALL_SUPPRESSED_KINDS
};

struct call_event {
	uint32_t channo;		/* DAHDI channel number */
	enum call_direction direction;
	int64_t ring_s;			/* wall-clock seconds (CLOCK_REALTIME) */
	int64_t answer_s;		/* 0: never answered (missed) */
	int64_t end_s;
	uint16_t suppressed[CALL_SUPPRESSED_KINDS];
	bool incomplete;		/* events may have been lost during it */
};

#endif
