/* SPDX-License-Identifier: GPL-2.0 */
/* One wired pair of channels and the call in progress on it. The fxoks end rings and sends
 * the spill (the carrier's line when inbound, our FXS port when outbound); the fxsks end
 * listens and decodes (our FXO port toward the PBX inbound, the phone outbound). */
#ifndef LINESIM_PAIR_H
#define LINESIM_PAIR_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "dchan.h"
#include "decoder.h"
#include "job.h"
#include "number.h"
#include "spill.h"

enum pair_phase {
	PHASE_IDLE,	/* no call */
	PHASE_WAIT,	/* call prepared, waiting for its start time */
	PHASE_RING,	/* ringing, waiting for the end of the first ring */
	PHASE_SEND,	/* writing the spill */
	PHASE_PLAY,	/* spill written; waiting until DAHDI has played it, then a gap */
	PHASE_TAIL,	/* ring stopped; the listener reads what is left */
};

struct call_result {
	struct decoder_result dec;
	int under, over;		/* DAHDI buffer under/overruns during the call */
	int ring_begins, ring_ends;	/* seen by the listening end */
	int ms_ring, ms_ring_end;	/* first ring begins / ends (sender), from call start */
	int ms_spill, ms_spill_len;	/* spill's first write and its length */
	int ms_played;			/* first write -> DAHDI's write buffer ran empty */
	int ms_signal;			/* first non-silent sample of the spill on the line */
	int ms_total;
	int digits_sent;
	char error[96];			/* empty, or why the call could not be made */
};

struct pair {
	struct job *job;		/* of the current or last call */
	uint32_t jobs;			/* bit i: job i may use this pair */
	struct dchan drive;		/* fxoks */
	struct dchan listen;		/* fxsks */
	int echocan_taps;		/* as the listening channel's echo canceller was last set */
	enum pair_phase phase;
	bool in_call;
	int64_t t_call, t_next;		/* call start; next timed step (ms) */
	int64_t t_ring, t_ring_end, t_send, t_spill, t_played, t_tail;
	int64_t heard;			/* samples the listener read during the call */
	int64_t mark;			/* heard when the current gap began */
	int ring_tries;
	bool rang;			/* the ring has been started for this call */
	char number[NUMBER_MAX + 1];
	struct spill spill;
	uint8_t coded[SPILL_MAX + DCHAN_BLOCK];
	int coded_len, written;
	struct decoder *dec;
	struct call_result res;
};

int64_t pair_now_ms(void);
/* Open both ends; 0 or -errno with why filled. */
int pair_open(struct pair *p, int fxs, int fxo, char *why, size_t len);
void pair_close(struct pair *p);
/* Begin a call of job at time at (ms): law and cadence, fresh number, spill, decoder.
 * 0, or -errno with why filled. */
int pair_start_call(struct pair *p, struct job *job, int64_t at, char *why, size_t len);
/* Fill two pollfds for this pair. */
void pair_pollfds(const struct pair *p, struct pollfd *pfd);
/* Handle I/O and timers; true when the current call has just finished (see p->res). */
bool pair_service(struct pair *p, int64_t now);
/* When pair_service must run next at the latest (ms). */
int64_t pair_deadline(const struct pair *p);

#endif
