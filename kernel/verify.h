/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verify policy's kernel half (verify.c): the own-number table that
 * SAFELINE_CMD_SET_VERIFY loads, and one verifier (dsp/verify.h) per channel
 * under the policy, whose per-call verdicts become counters and events.
 */
#ifndef _SAFELINE_VERIFY_H
#define _SAFELINE_VERIFY_H

#include <linux/types.h>

#include "suppress.h"

/*
 * Verdicts 1..3: withheld, presented not ours, presented ours. The DSP
 * core's outcomes and the uapi's enum safeline_verify_result share these
 * numbers (checked at build time in verify.c and verify-report.c), as do
 * its kinds and enum safeline_verify_standard (1..5).
 */
#define SAFELINE_VERIFY_RESULTS 3

struct safeline_verifier;

/* Where a channel's verdicts go: its counters (by result - 1) and its events. */
struct safeline_verify_sink {
	u32 channo;
	u32 spanno;
	u64 *results;	/* SAFELINE_VERIFY_RESULTS counters, the tick their only writer */
};

/*
 * Replaces the table: key (SAFELINE_VERIFY_KEY_LEN bytes), n hashes, the
 * suffix length; every verifier restarts with it. The old table is wiped.
 * Process context. The caller wipes its own copies.
 */
void safeline_verify_set_table(const u8 *key, const u64 *hashes, unsigned int n,
			       unsigned int suffix_digits);
/* Hashes loaded now (GET_STATUS). */
unsigned int safeline_verify_table_size(void);

/* A verifier on the current table, or NULL. Process context (GFP_KERNEL). */
struct safeline_verifier *safeline_verifier_new(void);
/* Wipes and frees v; the caller made sure no tick still uses it (RCU). */
void safeline_verifier_free(struct safeline_verifier *v);

/*
 * One receive chunk of a verify channel, before the suppressor mutes it:
 * read, never written. Atomic context, bounded work, no allocation. A
 * call's verdict (the worst of its messages) goes to sink once the PBX
 * answers or the line stayed quiet (no ring, no message) for verify_gap_ms.
 */
void safeline_verifier_chunk(struct safeline_verifier *v, const u8 *chunk, int len,
			     bool alaw, enum safeline_suppress_hook hook,
			     const struct safeline_verify_sink *sink);

/* verify-report.c: count a call's verdict and queue its event (atomic context). */
void safeline_verify_report(const struct safeline_verify_sink *sink, u8 result, u8 standard);

/* Module exit, after every verifier is freed: wipes the table. */
void safeline_verify_uninit(void);

#endif /* _SAFELINE_VERIFY_H */
