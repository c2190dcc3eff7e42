/* SPDX-License-Identifier: GPL-2.0 */
/* A DAHDI channel driven from userspace the way chan_dahdi does it (docs rig.md): SPECIFY,
 * then buffers and law (opening resets both), buffer events on, non-blocking I/O. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <dahdi/user.h>

#include "dchan.h"

static int fail(char *why, size_t len, int err, const char *what, int channo)
{
	snprintf(why, len, "channel %d: %s: %s", channo, what, strerror(err));
	return -err;
}

static int check_sig(struct dchan *c, enum dchan_sig sig, char *why, size_t len)
{
	struct dahdi_params p = { 0 };
	int want = sig == DCHAN_FXOKS ? DAHDI_SIG_FXOKS : DAHDI_SIG_FXSKS;

	if (ioctl(c->fd, DAHDI_GET_PARAMS, &p))
		return fail(why, len, errno, "DAHDI_GET_PARAMS", c->channo);
	if (p.sigtype != want) {
		snprintf(why, len, "channel %d: signalling %#x, want %s", c->channo, p.sigtype,
			 sig == DCHAN_FXOKS ? "fxoks" : "fxsks");
		return -EINVAL;
	}
	return 0;
}

int dchan_open(struct dchan *c, int channo, enum dchan_sig sig, char *why, size_t whylen)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = DCHAN_BUFS,
		.bufsize = DCHAN_BLOCK,
	};
	int one = 1, r;

	c->channo = channo;
	c->fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0)
		return fail(why, whylen, errno, "open /dev/dahdi/channel", channo);
	if (ioctl(c->fd, DAHDI_SPECIFY, &channo)) {
		r = fail(why, whylen, errno, "DAHDI_SPECIFY", channo);
		goto err_close;
	}
	r = check_sig(c, sig, why, whylen);
	if (r)
		goto err_close;
	if (ioctl(c->fd, DAHDI_SET_BUFINFO, &bi)) {
		r = fail(why, whylen, errno, "DAHDI_SET_BUFINFO", channo);
		goto err_close;
	}
	if (ioctl(c->fd, DAHDI_BUFFER_EVENTS, &one)) {
		r = fail(why, whylen, errno, "DAHDI_BUFFER_EVENTS", channo);
		goto err_close;
	}
	return 0;
err_close:
	close(c->fd);
	c->fd = -1;
	return r;
}

void dchan_close(struct dchan *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
}

/* The loc span copies bytes, so both ends of a pair must use the same law (rig.md). */
int dchan_set_law(struct dchan *c, enum law law)
{
	int dlaw = law == LAW_ALAW ? DAHDI_LAW_ALAW : DAHDI_LAW_MULAW;

	return ioctl(c->fd, DAHDI_SETLAW, &dlaw) ? -errno : 0;
}

int dchan_set_cadence(struct dchan *c, int on_ms, int off_ms)
{
	struct dahdi_ring_cadence cad = { .ringcadence = { on_ms, off_ms } };

	return ioctl(c->fd, DAHDI_SETCADENCE, &cad) ? -errno : 0;
}

int dchan_set_echocan(struct dchan *c, int taps)
{
	struct dahdi_echocanparams ecp = { .tap_length = (uint32_t)taps };	/* no parameters */

	return ioctl(c->fd, DAHDI_ECHOCANCEL_PARAMS, &ecp) ? -errno : 0;
}

static int hook(struct dchan *c, int what)
{
	if (!ioctl(c->fd, DAHDI_HOOK, &what))
		return 0;
	/* non-blocking DAHDI_RING reports success as EINPROGRESS (rig.md) */
	return errno == EINPROGRESS ? 0 : -errno;
}

int dchan_ring(struct dchan *c)
{
	return hook(c, DAHDI_RING);
}

int dchan_ringoff(struct dchan *c)
{
	return hook(c, DAHDI_RINGOFF);
}

int dchan_event(struct dchan *c)
{
	int e = 0;

	if (ioctl(c->fd, DAHDI_GETEVENT, &e))
		return -errno;
	return e;
}

ssize_t dchan_read(struct dchan *c, uint8_t *buf, size_t len)
{
	ssize_t n = read(c->fd, buf, len);

	return n < 0 ? -errno : n;
}

ssize_t dchan_write(struct dchan *c, const uint8_t *buf, size_t len)
{
	ssize_t n = write(c->fd, buf, len);

	return n < 0 ? -errno : n;
}

const char *dchan_event_name(int e)
{
	switch (e) {
	case DAHDI_EVENT_ONHOOK: return "ONHOOK";
	case DAHDI_EVENT_RINGOFFHOOK: return "RINGOFFHOOK";
	case DAHDI_EVENT_RINGERON: return "RINGERON";
	case DAHDI_EVENT_RINGEROFF: return "RINGEROFF";
	case DAHDI_EVENT_RINGBEGIN: return "RINGBEGIN";
	case DAHDI_EVENT_POLARITY: return "POLARITY";
	case DAHDI_EVENT_READ_OVERRUN: return "READ_OVERRUN";
	case DAHDI_EVENT_WRITE_UNDERRUN: return "WRITE_UNDERRUN";
	default: return "OTHER";
	}
}
