/* SPDX-License-Identifier: GPL-2.0 */
/* A DAHDI channel driven from userspace the way chan_dahdi does it (docs rig.md). */
#ifndef LINESIM_DCHAN_H
#define LINESIM_DCHAN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "law.h"

#define DCHAN_BLOCK	160	/* bytes per read/write: 20 ms */
#define DCHAN_BUFS	32	/* 2 x 160 under/overruns under load; 32 x 160 did not (rig.md) */

enum dchan_sig { DCHAN_FXOKS, DCHAN_FXSKS };

struct dchan {
	int fd;
	int channo;
};

/* Open channo non-blocking, check its signalling, set buffers and buffer events.
 * 0, or -errno with a message in why. */
int dchan_open(struct dchan *c, int channo, enum dchan_sig sig, char *why, size_t whylen);
void dchan_close(struct dchan *c);

int dchan_set_law(struct dchan *c, enum law law);
int dchan_set_cadence(struct dchan *c, int on_ms, int off_ms);	/* ring cadence, ms */
/* DAHDI's echo canceller on the channel with taps taps (0: off); -ENODEV: none assigned */
int dchan_set_echocan(struct dchan *c, int taps);
int dchan_ring(struct dchan *c);	/* 0 ringing; -EBUSY until fully on-hook */
int dchan_ringoff(struct dchan *c);

/* Next pending DAHDI event: > 0 event, 0 none, -errno. */
int dchan_event(struct dchan *c);
/* read()/write() of up to len bytes: count, -EAGAIN, -ELAST (events pending), -errno. */
ssize_t dchan_read(struct dchan *c, uint8_t *buf, size_t len);
ssize_t dchan_write(struct dchan *c, const uint8_t *buf, size_t len);

const char *dchan_event_name(int event);

#endif
