/* SPDX-License-Identifier: GPL-2.0 */
/* One wired pair of channels and the call on it, as a state machine run by the poll loop.
 * After-ring standards: ring, spill once the first ring ends, stop ringing. Before-ring
 * standards: spill, ring 200..500 ms later, stop after the first ring. The listening end
 * decodes everything it reads during the call, as a hungry chan_dahdi would. */
#include <dahdi/user.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pair.h"

#define RING_END_GRACE_MS	3000	/* the first ring must end within ring_on + this */
#define RING_BUSY_RETRY_MS	20	/* DAHDI_RING says EBUSY until fully on-hook */
#define RING_BUSY_TRIES		100
#define PLAY_TIMEOUT_MS		3000	/* spill length + this: DAHDI never played it */
#define AFTER_SPILL_MS		20	/* after-ring: spill played -> stop ringing */
#define TAIL_MS			150	/* listener keeps reading after the call */
#define TAIL_TIMEOUT_MS		1500	/* ... and waits this long at most for the ring end */
#define LINE_MS(ms)		((ms) * 8)	/* line time, counted in samples heard */

int64_t pair_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pair_open(struct pair *p, int fxs, int fxo, char *why, size_t len)
{
	int r;

	memset(p, 0, sizeof(*p));
	p->drive.fd = p->listen.fd = -1;
	r = dchan_open(&p->drive, fxs, DCHAN_FXOKS, why, len);
	if (!r)
		r = dchan_open(&p->listen, fxo, DCHAN_FXSKS, why, len);
	if (r)
		pair_close(p);
	return r;
}

/* Calls of different jobs may share a pair: set its law and ring cadence for this one. */
static int set_line(struct pair *p, const struct job *job, char *why, size_t len)
{
	int r = dchan_set_law(&p->drive, job->law);

	if (!r)
		r = dchan_set_law(&p->listen, job->law);
	if (r) {
		snprintf(why, len, "pair %d->%d: DAHDI_SETLAW: %s", p->drive.channo,
			 p->listen.channo, strerror(-r));
		return r;
	}
	r = dchan_set_cadence(&p->drive, job->std->ring_on_ms, job->std->ring_off_ms);
	if (r) {
		snprintf(why, len, "channel %d: DAHDI_SETCADENCE: %s", p->drive.channo,
			 strerror(-r));
		return r;
	}
	if (job->echocan_taps == p->echocan_taps)
		return 0;
	r = dchan_set_echocan(&p->listen, job->echocan_taps);
	if (r)
		snprintf(why, len, "channel %d: DAHDI_ECHOCANCEL_PARAMS: %s%s", p->listen.channo,
			 strerror(-r), r == -ENODEV ? " (no echocanceller= for it in system.conf)" : "");
	else
		p->echocan_taps = job->echocan_taps;
	return r;
}

void pair_close(struct pair *p)
{
	if (p->drive.fd >= 0)
		dchan_ringoff(&p->drive);
	dchan_close(&p->drive);
	dchan_close(&p->listen);
	decoder_free(p->dec);
	p->dec = NULL;
	explicit_bzero(p->number, sizeof(p->number));
}

int pair_start_call(struct pair *p, struct job *job, int64_t at, char *why, size_t len)
{
	const struct std *std = job->std;
	int r, pad;

	p->job = job;
	memset(&p->res, 0, sizeof(p->res));
	r = set_line(p, job, why, len);
	if (r)
		return r;
	if (job->number_file)
		r = number_read(job->number_file, p->number, sizeof(p->number));
	else
		r = number_make(p->number, sizeof(p->number), std->number_min, std->number_max);
	if (!r)
		r = spill_build(&p->spill, std, job->withheld ? NULL : p->number, time(NULL));
	if (!r && job->level_db)
		spill_gain(&p->spill, job->level_db);
	if (r) {
		snprintf(why, len, "cannot make a spill: %s", strerror(-r));
		return r;
	}
	/* whole blocks: the tail of the last one is line silence */
	pad = (DCHAN_BLOCK - p->spill.len % DCHAN_BLOCK) % DCHAN_BLOCK;
	memset(p->spill.amp + p->spill.len, 0, pad * sizeof(p->spill.amp[0]));
	p->coded_len = p->spill.len + pad;
	law_encode(p->job->law, p->spill.amp, p->coded, p->coded_len);
	explicit_bzero(p->spill.amp, sizeof(p->spill.amp));
	decoder_free(p->dec);
	p->dec = decoder_new(std, p->number, p->spill.date);
	if (!p->dec) {
		snprintf(why, len, "cannot make a decoder: out of memory");
		return -ENOMEM;
	}
	p->res.digits_sent = (int)strlen(p->number);
	p->written = 0;
	p->ring_tries = 0;
	p->rang = false;
	p->t_call = p->t_next = at;
	p->t_ring = p->t_ring_end = p->t_send = p->t_spill = p->t_played = p->t_tail = 0;
	p->heard = p->mark = 0;
	p->phase = PHASE_WAIT;
	job->started++;
	return 0;
}

void pair_pollfds(const struct pair *p, struct pollfd *pfd)
{
	pfd[0] = (struct pollfd){ .fd = p->drive.fd, .events = POLLIN | POLLPRI };
	pfd[1] = (struct pollfd){ .fd = p->listen.fd, .events = POLLIN | POLLPRI };
	if (p->phase == PHASE_SEND)
		pfd[0].events |= POLLOUT;
}

static void call_error(struct pair *p, const char *what, int err)
{
	if (p->res.error[0])
		return;
	if (err)
		snprintf(p->res.error, sizeof(p->res.error), "%s: %s", what, strerror(err));
	else
		snprintf(p->res.error, sizeof(p->res.error), "%s", what);
}

static void drive_event(struct pair *p, int e, int64_t now)
{
	if (!p->in_call)
		return;
	switch (e) {
	case DAHDI_EVENT_RINGEROFF:
		if (!p->t_ring_end)
			p->t_ring_end = now;
		break;
	case DAHDI_EVENT_RINGERON:	/* the cadence came round: we were too slow */
		call_error(p, "a second ring began before the call ended", 0);
		break;
	case DAHDI_EVENT_WRITE_UNDERRUN:
		/* mid-spill it is a fault; once all is written it means "played" */
		if (p->phase == PHASE_SEND && p->written > 0) {
			p->res.under++;
		} else if (p->phase == PHASE_PLAY && !p->t_played) {
			p->t_played = now;
			p->mark = p->heard;
		}
		break;
	case DAHDI_EVENT_READ_OVERRUN:
		p->res.over++;
		break;
	}
}

static void listen_event(struct pair *p, int e)
{
	if (!p->in_call)
		return;
	switch (e) {
	case DAHDI_EVENT_RINGBEGIN:
		p->res.ring_begins++;
		break;
	case DAHDI_EVENT_RINGOFFHOOK:	/* on fxsks: the ring ended (after its trailer) */
		p->res.ring_ends++;
		break;
	case DAHDI_EVENT_READ_OVERRUN:
		p->res.over++;
		break;
	}
}

/* While any event is pending, read() and write() fail with ELAST: drain them all. */
static void drain_events(struct pair *p, int64_t now)
{
	int e;

	while ((e = dchan_event(&p->drive)) > 0)
		drive_event(p, e, now);
	while ((e = dchan_event(&p->listen)) > 0)
		listen_event(p, e);
}

static void read_all(struct pair *p, struct dchan *c, bool decode, int64_t now)
{
	uint8_t buf[DCHAN_BLOCK];
	int16_t amp[DCHAN_BLOCK];
	ssize_t n;

	for (int tries = 0; tries < 64; tries++) {
		n = dchan_read(c, buf, sizeof(buf));
		if (n == -ELAST) {
			drain_events(p, now);
			continue;
		}
		if (n <= 0)
			return;
		if (decode) {
			law_decode(p->job->law, buf, amp, (int)n);
			decoder_feed(p->dec, amp, (int)n);
			p->heard += n;
		}
	}
}

static void write_spill(struct pair *p, int64_t now)
{
	ssize_t n;

	for (int tries = 0; tries < 64 && p->written < p->coded_len; tries++) {
		int chunk = p->coded_len - p->written;

		n = dchan_write(&p->drive, p->coded + p->written,
				chunk < DCHAN_BLOCK ? chunk : DCHAN_BLOCK);
		if (n == -ELAST) {
			drain_events(p, now);
			continue;
		}
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			call_error(p, "write", n < 0 ? (int)-n : EIO);
			p->written = p->coded_len;	/* give up on the spill */
			return;
		}
		if (!p->written)
			p->t_spill = now;
		p->written += (int)n;
	}
}

static void begin_send(struct pair *p, int64_t now)
{
	p->phase = PHASE_SEND;
	p->t_send = now;
	write_spill(p, now);
}

static void start_ring(struct pair *p, int64_t now)
{
	int r = dchan_ring(&p->drive);

	p->phase = PHASE_RING;
	if (!r) {
		p->rang = true;
		p->t_ring = now;
		return;
	}
	if (r == -EBUSY && ++p->ring_tries < RING_BUSY_TRIES) {
		p->t_next = now + RING_BUSY_RETRY_MS;
		return;
	}
	call_error(p, "DAHDI_RING", -r);
}

static void begin_tail(struct pair *p, int64_t now)
{
	int r = dchan_ringoff(&p->drive);

	if (r)
		call_error(p, "DAHDI_RINGOFF", -r);
	p->phase = PHASE_TAIL;
	p->t_tail = now;
	p->mark = p->heard;
}

/* The listener has heard the rest of the line, and the ring end if there was a ring. */
static bool tail_done(const struct pair *p, int64_t now)
{
	if (now >= p->t_tail + TAIL_TIMEOUT_MS)
		return true;
	return p->heard >= p->mark + LINE_MS(TAIL_MS) && (!p->rang || p->res.ring_ends > 0);
}

/* Spill played: gaps are counted in samples the listener heard, i.e. in line time, which
 * stays right when the emulated DAHDI timer lags the wall clock. */
static void step_play(struct pair *p, int64_t now)
{
	const struct std *std = p->job->std;
	bool after = std->place == STD_AFTER_RING;
	int gap;

	if (!p->t_played) {
		if (now < p->t_spill + spill_ms(p->coded_len) + PLAY_TIMEOUT_MS)
			return;
		call_error(p, "DAHDI never finished playing the spill", 0);
		begin_tail(p, now);
		return;
	}
	gap = after ? AFTER_SPILL_MS : std->ring_gap_ms;
	if (p->heard < p->mark + LINE_MS(gap)) {
		if (now < p->t_played + gap + PLAY_TIMEOUT_MS)
			return;
		call_error(p, "the listening end stopped receiving audio", 0);
	}
	if (after || p->res.error[0])
		begin_tail(p, now);
	else
		start_ring(p, now);
}

static int rel(const struct pair *p, int64_t t)
{
	return t ? (int)(t - p->t_call) : -1;
}

static void finish(struct pair *p, int64_t now)
{
	struct call_result *r = &p->res;

	decoder_result(p->dec, &r->dec);
	decoder_free(p->dec);
	p->dec = NULL;
	explicit_bzero(p->number, sizeof(p->number));
	r->ms_ring = rel(p, p->t_ring);
	r->ms_ring_end = rel(p, p->t_ring_end);
	r->ms_spill = rel(p, p->t_spill);
	r->ms_spill_len = spill_ms(p->coded_len);
	r->ms_played = p->t_played ? (int)(p->t_played - p->t_spill) : -1;
	r->ms_signal = p->t_spill ? r->ms_spill + spill_ms(p->spill.signal_start) : -1;
	r->ms_total = rel(p, now);
	p->in_call = false;
	p->phase = PHASE_IDLE;
}

static void step_ring(struct pair *p, int64_t now)
{
	const struct std *std = p->job->std;

	if (!p->rang) {
		if (p->res.error[0])
			begin_tail(p, now);
		else if (now >= p->t_next)
			start_ring(p, now);
		return;
	}
	if (p->t_ring_end) {
		if (std->place == STD_AFTER_RING)
			begin_send(p, now);	/* Asterisk writes at RINGEROFF (cid-facts §4) */
		else
			begin_tail(p, now);
	} else if (now > p->t_ring + std->ring_on_ms + RING_END_GRACE_MS) {
		call_error(p, "the first ring never ended", 0);
		begin_tail(p, now);
	}
}

/* Returns true when the call has finished. */
static bool step(struct pair *p, int64_t now)
{
	const struct std *std = p->job->std;

	switch (p->phase) {
	case PHASE_IDLE:
		return false;
	case PHASE_WAIT:
		if (now < p->t_call)
			return false;
		p->in_call = true;
		if (std->place == STD_AFTER_RING)
			start_ring(p, now);
		else
			begin_send(p, now);
		break;
	case PHASE_RING:
		step_ring(p, now);
		break;
	case PHASE_SEND:
		write_spill(p, now);
		if (p->written == p->coded_len) {
			p->phase = PHASE_PLAY;
		} else if (now >= p->t_send + spill_ms(p->coded_len) + PLAY_TIMEOUT_MS) {
			call_error(p, "DAHDI stopped taking the spill", 0);
			begin_tail(p, now);
		}
		break;
	case PHASE_PLAY:
		step_play(p, now);
		break;
	case PHASE_TAIL:
		if (!tail_done(p, now))
			break;
		finish(p, now);
		return true;
	}
	return false;
}

bool pair_service(struct pair *p, int64_t now)
{
	drain_events(p, now);
	read_all(p, &p->drive, false, now);
	read_all(p, &p->listen, p->in_call, now);
	return step(p, now);
}

int64_t pair_deadline(const struct pair *p)
{
	switch (p->phase) {
	case PHASE_WAIT:
		return p->t_call;
	case PHASE_RING:
		if (!p->rang)
			return p->t_next;
		return p->t_ring + p->job->std->ring_on_ms + RING_END_GRACE_MS;
	case PHASE_SEND:
		return p->t_send + spill_ms(p->coded_len) + PLAY_TIMEOUT_MS;
	case PHASE_PLAY:
		if (p->t_played)
			return p->t_played + 500 + PLAY_TIMEOUT_MS;	/* gaps are <= 500 ms */
		return p->t_spill + spill_ms(p->coded_len) + PLAY_TIMEOUT_MS;
	case PHASE_TAIL:
		return p->t_tail + TAIL_TIMEOUT_MS;
	case PHASE_IDLE:
		break;
	}
	return INT64_MAX;
}
